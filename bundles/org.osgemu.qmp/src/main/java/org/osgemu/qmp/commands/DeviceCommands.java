package org.osgemu.qmp.commands;

import java.net.URL;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import org.osgemu.api.chardev.Chardev;
import org.osgemu.api.command.CommandContext;
import org.osgemu.api.command.CommandException;
import org.osgemu.api.command.CommandHandler;
import org.osgemu.api.command.CommandProvider;
import org.osgemu.api.command.CommandRegistry;
import org.osgemu.api.command.ErrorClass;
import org.osgemu.api.device.Device;
import org.osgemu.api.device.PlatformDevice;
import org.osgemu.api.machine.MachineControl;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.runtime.ServiceComponentRuntime;

/**
 * The device commands of {@code qapi/qdev.json}: hot-plug ({@code device_add},
 * {@code device_del}, see {@link DeviceHotplug}), the QOM tree ({@code qom-list},
 * {@code qom-get}, {@code qom-set}, see {@link QomTree}) and the DEVICE_DELETED event, emitted
 * whenever a device leaves its machine: after {@code device_del}, and as well when its bundle
 * stops or its configuration is deleted by other means.
 */
@Component(service = CommandProvider.class)
public final class DeviceCommands implements CommandProvider {

    static final long DEVICE_TIMEOUT_MILLIS = 10_000;
    /** How long a departing device service may take to leave the machine before DEVICE_DELETED is sent anyway. */
    private static final long LEAVE_WAIT_MILLIS = 5_000;

    private final CommandRegistry registry;
    private final MachineDirectory machines = new MachineDirectory();
    private final DeviceDirectory devices = new DeviceDirectory();
    private final Map<String, String> chardevBackends = new ConcurrentHashMap<>();
    private final DeviceHotplug hotplug;
    private final Set<Thread> watchers = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    @Activate
    public DeviceCommands(@Reference CommandRegistry registry, @Reference ConfigurationAdmin configAdmin,
                          @Reference ServiceComponentRuntime scr) {
        this(registry, new ConfigAdminDevices(configAdmin, scr), DEVICE_TIMEOUT_MILLIS);
    }

    /** Over {@code configurations} instead of ConfigAdmin (tests, embedding); waits {@code timeoutMillis} for a new device. */
    public DeviceCommands(CommandRegistry registry, DeviceConfigurations configurations, long timeoutMillis) {
        this.registry = registry;
        this.hotplug = new DeviceHotplug(configurations, devices, timeoutMillis);
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC, unbind = "removeMachine")
    public void addMachine(MachineControl machine) {
        machines.add(machine);
    }

    public void removeMachine(MachineControl machine) {
        machines.remove(machine);
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC, unbind = "removeDevice")
    public void addDevice(PlatformDevice device, Map<String, Object> properties) {
        devices.add(device, properties);
    }

    /** The device leaves its machine once the board has unplugged it; DEVICE_DELETED waits for that on a thread of its own. */
    public void removeDevice(PlatformDevice device, Map<String, Object> properties) {
        departed(device, properties);
    }

    /**
     * A device the board does not place (registered as {@link Device}, not {@link PlatformDevice}):
     * one that plugs into another device's bus, such as {@code virtconsole}. It is in its machine
     * while it is a service.
     */
    @Reference(name = "unplacedDevice", service = Device.class, cardinality = ReferenceCardinality.MULTIPLE,
            policy = ReferencePolicy.DYNAMIC, unbind = "removeUnplacedDevice")
    public void addUnplacedDevice(Device device, Map<String, Object> properties) {
        devices.add(device, properties);
    }

    /** Its component has unplugged it when the service goes, so DEVICE_DELETED follows at once. */
    public void removeUnplacedDevice(Device device, Map<String, Object> properties) {
        departed(device, properties);
    }

    private void departed(Device device, Map<String, Object> properties) {
        devices.remove(device);
        String machineName = String.valueOf(properties.get(Device.MACHINE));
        String id = String.valueOf(properties.get(Device.ID));
        MachineControl machine = machines.all().stream().filter(m -> m.name().equals(machineName)).findFirst().orElse(null);
        if (machine == null || closed) {
            return;
        }
        Thread watcher = Thread.ofVirtual().name("osgemu-qmp-device-deleted-" + id).unstarted(() -> {
            try {
                long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(LEAVE_WAIT_MILLIS);
                while (machine.devices().contains(device) && System.nanoTime() < deadline) {
                    Thread.sleep(10);
                }
                Map<String, Object> data = new LinkedHashMap<>();
                data.put("device", id);
                data.put("path", QomTree.devicePath(id));
                registry.emit(machineName, "DEVICE_DELETED", data);
            } catch (InterruptedException e) {
                // deactivated: nobody is left to tell
            } finally {
                watchers.remove(Thread.currentThread());
            }
        });
        watchers.add(watcher);
        watcher.start();
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC, unbind = "removeChardev")
    public void addChardev(Chardev chardev) {
        chardevBackends.put(chardev.id(), chardev.backend());
    }

    public void removeChardev(Chardev chardev) {
        chardevBackends.remove(chardev.id(), chardev.backend());
    }

    @Deactivate
    void deactivate() {
        closed = true;
        for (Thread watcher : List.copyOf(watchers)) {
            watcher.interrupt();
            try {
                watcher.join(1000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public URL schema() {
        return DeviceCommands.class.getResource("/qapi/qdev.json");
    }

    @Override
    public Map<String, CommandHandler> handlers() {
        Map<String, CommandHandler> handlers = new LinkedHashMap<>();
        handlers.put("device_add", (c, a) -> {
            hotplug.add(machines.select(c), a);
            return null;
        });
        handlers.put("device_del", (c, a) -> {
            hotplug.delete(machines.select(c), (String) a.get("id"));
            return null;
        });
        handlers.put("qom-list", (c, a) -> node(c, (String) a.get("path")).properties().stream()
                .map(DeviceCommands::propertyInfo).toList());
        handlers.put("qom-get", this::qomGet);
        handlers.put("qom-set", this::qomSet);
        return handlers;
    }

    /** {@code ObjectPropertyInfo}, name first as QEMU writes it. */
    private static Map<String, Object> propertyInfo(QomTree.Property property) {
        Map<String, Object> info = new LinkedHashMap<>();
        info.put("name", property.name());
        info.put("type", property.type());
        return info;
    }

    private QomTree.Node node(CommandContext context, String path) throws CommandException {
        return new QomTree(machines.select(context), devices, Map.copyOf(chardevBackends)).resolve(path)
                .orElseThrow(() -> new CommandException(ErrorClass.DEVICE_NOT_FOUND, "Device '" + path + "' not found"));
    }

    private QomTree.Property property(QomTree.Node node, String name) throws CommandException {
        return node.property(name).orElseThrow(() -> new CommandException(
                "Property '" + node.type() + "." + name + "' not found"));
    }

    private Object qomGet(CommandContext context, Map<String, Object> arguments) throws CommandException {
        QomTree.Node node = node(context, (String) arguments.get("path"));
        QomTree.Property property = property(node, (String) arguments.get("property"));
        if (property.isChild()) {
            return (node.path().equals("/") ? "" : node.path()) + "/" + property.name();
        }
        return property.value();
    }

    /**
     * Nothing in the tree is writable yet, and the refusals are QEMU's: a device's configuration
     * properties are fixed once it is realized, the rest have no setter.
     */
    private Object qomSet(CommandContext context, Map<String, Object> arguments) throws CommandException {
        QomTree.Node node = node(context, (String) arguments.get("path"));
        QomTree.Property property = property(node, (String) arguments.get("property"));
        if (node.path().startsWith("/machine/peripheral/") && property.type().equals("str")) {
            throw new CommandException("Attempt to set property '" + property.name() + "' on device '"
                    + node.path().substring("/machine/peripheral/".length()) + "' (type '" + node.type()
                    + "') after it was realized");
        }
        throw new CommandException("Insufficient permission to perform this operation");
    }
}
