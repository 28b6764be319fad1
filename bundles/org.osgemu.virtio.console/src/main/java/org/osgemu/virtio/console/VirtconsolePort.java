package org.osgemu.virtio.console;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.osgemu.api.chardev.Chardev;
import org.osgemu.api.device.Device;
import org.osgemu.api.device.PlatformDevice;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

/**
 * A console port as QEMU spells it: {@code -device virtio-serial-device -device
 * virtconsole,chardev=X} (optionally {@code bus=ID.0} to name the device). One per factory
 * configuration of {@code osgemu.device.virtconsole}. The port plugs into a
 * {@code virtio-serial-device} of its machine (the one the bus names, else the first with a free
 * port) and connects its chardev to that device's console port, which Linux shows as
 * {@code /dev/hvc0}.
 *
 * <p>As in QEMU, the device must exist when the port is created: a port that finds no device of
 * its machine, none with the id its bus names, or only devices whose console port is taken,
 * fails its activation with QEMU's reason, which the launcher reports under the {@code -device}
 * option and QMP's {@code device_add} as its error. The command line creates devices in the order
 * given, so {@code -device virtio-serial-device} goes first, as QEMU requires. Once plugged in,
 * the port follows its device: when that leaves, the port lets go and plugs into another device
 * that fits, if one appears.
 *
 * <p>One exception, so that restarting or updating this bundle works whatever order SCR activates
 * its two components in: a device that fits but is only configured, not yet active (its
 * configuration exists in ConfigAdmin), is late, not missing. The port then activates unplugged,
 * logs why, and plugs in when the device comes. The refusal is decided once, at activation, from
 * the configurations present then, so the outcome does not depend on timing.
 *
 * <p>Hot-plug ({@code device_add virtconsole} on a running machine): the device has its one
 * console port from realize on (no VIRTIO_CONSOLE_F_MULTIPORT, so the guest's driver never sees
 * ports come and go); plugging a virtconsole in only connects its chardev to that port, and input
 * and output flow from then on. Unplugging ({@code device_del}) disconnects the chardev; the guest
 * keeps {@code /dev/hvc0}, whose output is dropped until another port plugs in.
 *
 * <p>It is a {@link Device} but not a board device: it has no MMIO window, the board does not place
 * it and the machine does not wait for it.
 *
 * <p>Not modelled: more than one port per device (VIRTIO_CONSOLE_F_MULTIPORT): a second
 * virtconsole finds no free port and is refused, as is one whose device has a {@code chardev=} of
 * its own (QEMU would give either the next port number); port names ({@code name=}).
 */
@Component(immediate = true, service = Device.class, configurationPid = VirtconsolePort.PID,
        configurationPolicy = ConfigurationPolicy.REQUIRE, property = Device.TYPE + "=" + VirtconsolePort.TYPE)
public final class VirtconsolePort implements Device {

    /** The type name, as {@code -device} spells it (QEMU's). */
    public static final String TYPE = "virtconsole";
    /** Factory PID of the configurations. */
    public static final String PID = "osgemu.device." + TYPE;
    /** QEMU names the bus of a virtio-serial device by the device's id and this suffix. */
    static final String BUS_SUFFIX = ".0";

    private final String id;
    private final String machine;
    /** The id of the device the bus names, or null for any device of the machine. */
    private final String busDevice;
    private final SerialDeviceConfigurations configured;

    // Guarded by this: the devices that fit, in the order they came; the one plugged into, its
    // console, and the chardev. Lock order: this, then the device's port lock, then the console.
    private final Map<VirtioConsoleComponent, String> fitting = new LinkedHashMap<>();
    private VirtioConsoleComponent pluggedInto;
    private VirtioConsole console;
    private Chardev chardev;

    @Activate
    public VirtconsolePort(VirtconsolePortConfig config, @Reference ConfigurationAdmin configAdmin) {
        this(config, new ConfigAdminSerialDevices(configAdmin));
    }

    /** Over {@code configured} instead of ConfigAdmin (tests). */
    VirtconsolePort(VirtconsolePortConfig config, SerialDeviceConfigurations configured) {
        this.configured = configured;
        for (String[] p : new String[][] {{"machine", config.machine()}, {"id", config.id()}}) {
            if (p[1] == null || p[1].isBlank()) {
                throw new IllegalArgumentException(PID + ": configuration property '" + p[0] + "' is missing");
            }
        }
        id = config.id();
        machine = config.machine();
        String bus = config.bus();
        if (bus == null || bus.isEmpty()) {
            busDevice = null;
        } else if (bus.endsWith(BUS_SUFFIX) && bus.length() > BUS_SUFFIX.length()) {
            busDevice = bus.substring(0, bus.length() - BUS_SUFFIX.length());
        } else {
            throw new IllegalArgumentException(TYPE + " " + id + ": bus=" + bus
                    + ": expected the id of a virtio-serial-device followed by " + BUS_SUFFIX + " (e.g. bus=vser0" + BUS_SUFFIX + ")");
        }
    }

    /**
     * Called by DS after the devices present at activation are bound: a port that found nowhere
     * to plug in is refused, as QEMU refuses to create it, unless a device that fits is configured
     * but not active yet; then the port waits for it.
     */
    @Activate
    synchronized void refuseIfUnplugged() {
        if (pluggedInto != null) {
            return;
        }
        String reason = whyUnplugged();
        List<String> late = lateDevices();
        if (late.isEmpty()) {
            throw new IllegalStateException(reason);
        }
        System.getLogger(VirtconsolePort.class.getName()).log(System.Logger.Level.INFO, TYPE + " " + id
                + ": unplugged until virtio-serial-device " + String.join(", ", late) + " of machine '" + machine
                + "' comes up (configured, not active yet; now: " + reason + ")");
    }

    /** Whether the port waits for a device; null when plugged in, else the reason. */
    synchronized String waitingFor() {
        return pluggedInto == null ? whyUnplugged() : null;
    }

    /** The configured devices that fit and are not active yet, in id order. */
    private List<String> lateDevices() {
        List<String> late = new ArrayList<>();
        for (String deviceId : configured.deviceIds(machine)) {
            if ((busDevice == null || busDevice.equals(deviceId)) && !fitting.containsValue(deviceId)) {
                late.add(deviceId);
            }
        }
        return late;
    }

    /** QEMU's words for a port that cannot be plugged in. */
    private String whyUnplugged() {
        if (fitting.isEmpty()) {
            return busDevice == null ? "No 'virtio-serial-bus' bus found for device '" + TYPE + "'"
                    : "Bus '" + busDevice + BUS_SUFFIX + "' not found";
        }
        VirtioConsoleComponent first = fitting.keySet().iterator().next();
        String holder = first.consolePortHolder();
        return "virtio-serial-bus: Maximum port limit for this device reached (virtio-serial-device '" + first.id()
                + "' has one console port" + (holder == null ? "" : ", taken by " + holder) + ")";
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public String type() {
        return TYPE;
    }

    /** Nothing to reset: the port's state is the device's. */
    @Override
    public void reset() {
    }

    /** The id of the device the port is plugged into, or null. */
    synchronized String pluggedInto() {
        return pluggedInto == null ? null : pluggedInto.id();
    }

    @Reference(name = "device", service = PlatformDevice.class, cardinality = ReferenceCardinality.MULTIPLE,
            policy = ReferencePolicy.DYNAMIC, target = "(" + Device.TYPE + "=" + VirtioConsole.TYPE + ")",
            unbind = "unbindDevice")
    synchronized void bindDevice(PlatformDevice device, Map<String, Object> properties) {
        if (device instanceof VirtioConsoleComponent serial && machine.equals(properties.get(Device.MACHINE))
                && (busDevice == null || busDevice.equals(serial.id()))) {
            fitting.put(serial, serial.id());
            if (pluggedInto == null) {
                plugInto(serial);
            }
        }
    }

    synchronized void unbindDevice(PlatformDevice device) {
        if (fitting.remove(device) == null) {
            return;
        }
        if (device == pluggedInto) {
            unplug();
            for (VirtioConsoleComponent other : new ArrayList<>(fitting.keySet())) {
                if (plugInto(other)) {
                    break;
                }
            }
        }
    }

    @Reference(name = "chardev", cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY, target = VirtioConsoleComponent.NO_CHARDEV, unbind = "unbindChardev")
    synchronized void bindChardev(Chardev backend) {
        Chardev old = chardev;
        chardev = backend;
        if (console != null) {
            if (old != null) {
                console.disconnectChardev(old);
            }
            console.connectChardev(backend);
        }
    }

    synchronized void unbindChardev(Chardev backend) {
        if (chardev != backend) {
            return;
        }
        chardev = null;
        if (console != null) {
            console.disconnectChardev(backend);
        }
    }

    @Deactivate
    synchronized void deactivate() {
        unplug();
        fitting.clear();
    }

    private boolean plugInto(VirtioConsoleComponent serial) {
        VirtioConsole lent = serial.plugPort(this);
        if (lent == null) {
            return false;
        }
        pluggedInto = serial;
        console = lent;
        if (chardev != null) {
            console.connectChardev(chardev);
        }
        return true;
    }

    private void unplug() {
        if (pluggedInto == null) {
            return;
        }
        if (chardev != null) {
            console.disconnectChardev(chardev);
        }
        pluggedInto.unplugPort(this);
        pluggedInto = null;
        console = null;
    }
}
