package org.osgemu.virtio.console;

import org.osgemu.api.chardev.Chardev;
import org.osgemu.api.device.Device;
import org.osgemu.api.device.PlatformDevice;
import org.osgemu.virtio.api.VirtioMmioDevice;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

/**
 * One {@code virtio-serial-device} per factory configuration of
 * {@code osgemu.device.virtio-serial-device}, registered as a {@link PlatformDevice} (bus
 * virtio-mmio) with the configuration's {@code id} and {@code machine}. Its chardev is optional
 * and may come and go (hot-swapping a backend bundle); a better-ranked match replaces the current one.
 * The chardev comes either from the configuration ({@code chardev=X}, osgemu's first spelling) or
 * from a {@link VirtconsolePort} plugged into the device (QEMU's {@code -device virtconsole}).
 */
@Component(immediate = true, service = PlatformDevice.class, configurationPid = VirtioConsoleComponent.PID,
        configurationPolicy = ConfigurationPolicy.REQUIRE, property = Device.TYPE + "=" + VirtioConsole.TYPE)
public final class VirtioConsoleComponent extends VirtioMmioDevice<VirtioConsoleState> {

    /** Factory PID of the configurations. */
    public static final String PID = "osgemu.device." + VirtioConsole.TYPE;
    /** The target used when the configuration names no chardev: a filter no service matches. */
    static final String NO_CHARDEV = Chardev.NO_TARGET;

    /** The configuration names a chardev ({@code virtio-serial-device,chardev=X}): no virtconsole may plug in. */
    private final boolean ownChardev;
    private final Object portLock = new Object();
    private VirtconsolePort plugged; // guarded by portLock: the virtconsole that has the console port

    @Activate
    public VirtioConsoleComponent(VirtioConsoleConfig config) {
        super(checked(config), VirtioConsole.TYPE, new VirtioConsole());
        String target = config.chardev_target();
        ownChardev = target != null && !target.isBlank() && !target.equals(NO_CHARDEV);
    }

    /**
     * Gives the device's one console port to {@code port} (QEMU's {@code -device virtconsole}):
     * returns the console whose chardev the port then connects, or null when the device has a
     * chardev of its own or another port.
     */
    VirtioConsole plugPort(VirtconsolePort port) {
        synchronized (portLock) {
            if (ownChardev || (plugged != null && plugged != port)) {
                return null;
            }
            plugged = port;
            return console();
        }
    }

    /**
     * Who has the device's one console port, for a virtconsole refused because of it: its own
     * {@code chardev=} or another virtconsole; null when the port is free.
     */
    String consolePortHolder() {
        synchronized (portLock) {
            if (ownChardev) {
                return "its own chardev";
            }
            return plugged == null ? null : "virtconsole '" + plugged.id() + "'";
        }
    }

    /** Takes the console port back from {@code port}; no effect when another has it. */
    void unplugPort(VirtconsolePort port) {
        synchronized (portLock) {
            if (plugged == port) {
                plugged = null;
            }
        }
    }

    private VirtioConsole console() {
        return (VirtioConsole) model();
    }

    @Reference(name = "chardev", cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY, target = NO_CHARDEV, unbind = "unbindChardev")
    void bindChardev(Chardev backend) {
        console().connectChardev(backend);
    }

    void unbindChardev(Chardev backend) {
        console().disconnectChardev(backend);
    }

    /** The board unrealizes on unregistration; this covers a board that left first. */
    @Deactivate
    void deactivate() {
        Chardev backend = console().chardev();
        if (backend != null) {
            console().disconnectChardev(backend);
        }
        unrealize();
    }

    private static String checked(VirtioConsoleConfig config) {
        for (String[] p : new String[][] {{"machine", config.machine()}, {"id", config.id()}}) {
            if (p[1] == null || p[1].isBlank()) {
                throw new IllegalArgumentException(PID + ": configuration property '" + p[0] + "' is missing");
            }
        }
        return config.id();
    }
}
