package org.osgemu.device.uart16550;

import org.osgemu.api.chardev.Chardev;
import org.osgemu.api.device.Device;
import org.osgemu.api.device.DeviceConfigs;
import org.osgemu.api.device.PlatformDevice;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

/**
 * One {@code ns16550a} per factory configuration of {@code osgemu.device.ns16550a}, registered as
 * a {@link PlatformDevice} with the configuration's {@code id} and {@code machine}. Its chardev
 * is optional and may come and go (hot-swapping a backend bundle): without one, output is dropped
 * and no input arrives; a better-ranked match replaces the current one.
 * Immediate, so that a bad configuration fails (and registers no service) when it is given,
 * not when a consumer first asks for the service.
 */
@Component(immediate = true, service = PlatformDevice.class, configurationPid = Uart16550Component.PID,
        configurationPolicy = ConfigurationPolicy.REQUIRE, property = Device.TYPE + "=" + Uart16550Device.TYPE)
public final class Uart16550Component extends Uart16550Device {

    /** Factory PID of the configurations. */
    public static final String PID = "osgemu.device.ns16550a";
    /** The backend used when the configuration names none: QEMU's first serial port. */
    static final String DEFAULT_CHARDEV_TARGET = "(id=serial0)";

    @Activate
    public Uart16550Component(Uart16550Config config) {
        super(DeviceConfigs.checkedId(PID, config.id(), config.machine()));
    }

    @Reference(name = "chardev", cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY, target = DEFAULT_CHARDEV_TARGET, unbind = "unbindChardev")
    void bindChardev(Chardev backend) {
        connectChardev(backend);
    }

    void unbindChardev(Chardev backend) {
        disconnectChardev(backend);
    }

    /** The board unrealizes on unregistration; this covers a board that left first. */
    @Deactivate
    void deactivate() {
        Chardev backend = chardev();
        if (backend != null) {
            disconnectChardev(backend);
        }
        unrealize();
    }
}
