package org.osgemu.qmp.commands;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.osgemu.api.cpu.Cpu;
import org.osgemu.api.device.Device;
import org.osgemu.api.machine.MachineControl;

/**
 * The machine seen as QEMU's QOM composition tree, for {@code qom-list}, {@code qom-get} and
 * {@code qom-set}:
 *
 * <pre>
 * /                                   container
 * /machine                            &lt;type&gt;-machine (virt-machine)
 * /machine/peripheral/&lt;id&gt;            every device of the machine, typed by its driver
 * /machine/soc0                       riscv.hart_array
 * /machine/soc0/harts[N]              rv64-riscv-cpu, one per hart
 * /machine/unattached                 container (empty: every device has an id)
 * /chardevs/&lt;id&gt;                      chardev-&lt;backend&gt;
 * /objects                            container
 * </pre>
 *
 * Every device is under {@code peripheral}, onboard ones included: the board makes them from
 * configurations like any {@code -device}, so osgemu cannot tell them apart (QEMU puts its
 * onboard devices under {@code unattached}). A device's properties are {@code type},
 * {@code realized} and the properties of the configuration it was made from.
 */
final class QomTree {

    /** One property of a node. */
    record Property(String name, String type, Object value) {

        boolean isChild() {
            return type.startsWith("child<");
        }
    }

    /** One object of the tree. */
    record Node(String path, String type, List<Property> properties) {

        Optional<Property> property(String name) {
            return properties.stream().filter(p -> p.name().equals(name)).findFirst();
        }
    }

    /** Service properties that say how a device was made, not what it is. */
    private static final List<String> HIDDEN_PREFIXES = List.of("service.", "component.", "osgi.", "objectClass");

    private final MachineControl machine;
    private final DeviceDirectory devices;
    private final Map<String, String> chardevBackends;

    /** @param chardevBackends backend name ({@code stdio}, {@code file}...) by chardev id */
    QomTree(MachineControl machine, DeviceDirectory devices, Map<String, String> chardevBackends) {
        this.machine = machine;
        this.devices = devices;
        this.chardevBackends = chardevBackends;
    }

    static String devicePath(String id) {
        return "/machine/peripheral/" + id;
    }

    static String hartPath(int hart) {
        return "/machine/soc0/harts[" + hart + "]";
    }

    /** The node at absolute path {@code path} (a trailing slash is ignored). */
    Optional<Node> resolve(String path) {
        String p = path.length() > 1 && path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
        return switch (p) {
            case "/" -> Optional.of(container("/", List.of(child("machine", machineType()), child("chardevs", "container"),
                    child("objects", "container"))));
            case "/machine" -> Optional.of(new Node(p, machineType(), List.of(typeProperty(machineType()),
                    child("peripheral", "container"), child("unattached", "container"), child("soc0", "riscv.hart_array"))));
            case "/machine/peripheral" -> Optional.of(container(p, DeviceHotplug.devicesOf(machine, devices).stream()
                    .map(d -> child(d.id(), d.type())).toList()));
            case "/machine/unattached", "/objects" -> Optional.of(container(p, List.of()));
            case "/machine/soc0" -> Optional.of(hartArray());
            case "/chardevs" -> Optional.of(container(p, chardevBackends.entrySet().stream()
                    .map(e -> child(e.getKey(), "chardev-" + e.getValue())).toList()));
            default -> leaf(p);
        };
    }

    private Optional<Node> leaf(String path) {
        if (path.startsWith("/machine/peripheral/")) {
            String id = path.substring("/machine/peripheral/".length());
            return DeviceHotplug.findDevice(machine, devices, id).map(d -> device(path, d));
        }
        if (path.startsWith("/machine/soc0/harts[") && path.endsWith("]")) {
            String index = path.substring("/machine/soc0/harts[".length(), path.length() - 1);
            return machine.cpus().stream().filter(c -> String.valueOf(c.index()).equals(index)).findFirst()
                    .map(c -> hart(path, c));
        }
        if (path.startsWith("/chardevs/")) {
            String id = path.substring("/chardevs/".length());
            return Optional.ofNullable(chardevBackends.get(id))
                    .map(backend -> new Node(path, "chardev-" + backend, List.of(typeProperty("chardev-" + backend))));
        }
        return Optional.empty();
    }

    private Node device(String path, Device device) {
        List<Property> properties = new ArrayList<>();
        properties.add(typeProperty(device.type()));
        properties.add(new Property("realized", "bool", true));
        Map<String, Object> configuration = new LinkedHashMap<>(devices.properties(device));
        configuration.keySet().removeIf(QomTree::hidden);
        configuration.forEach((name, value) -> properties.add(new Property(name, "str", String.valueOf(value))));
        return new Node(path, device.type(), properties);
    }

    private static boolean hidden(String name) {
        return name.equals(Device.ID) || name.equals(Device.MACHINE) || name.equals(Device.TYPE) || name.endsWith(".target")
                || HIDDEN_PREFIXES.stream().anyMatch(name::startsWith);
    }

    private Node hartArray() {
        List<Property> properties = new ArrayList<>();
        properties.add(typeProperty("riscv.hart_array"));
        properties.add(new Property("num-harts", "uint32", (long) machine.cpus().size()));
        for (Cpu cpu : machine.cpus()) {
            properties.add(child("harts[" + cpu.index() + "]", "rv64-riscv-cpu"));
        }
        return new Node("/machine/soc0", "riscv.hart_array", properties);
    }

    private static Node hart(String path, Cpu cpu) {
        return new Node(path, "rv64-riscv-cpu", List.of(typeProperty("rv64-riscv-cpu"),
                new Property("hartid", "uint64", (long) cpu.index()), new Property("realized", "bool", true)));
    }

    private String machineType() {
        return machine.machineType() + "-machine";
    }

    private static Node container(String path, List<Property> children) {
        List<Property> properties = new ArrayList<>();
        properties.add(typeProperty("container"));
        properties.addAll(children);
        return new Node(path, "container", properties);
    }

    private static Property typeProperty(String type) {
        return new Property("type", "string", type);
    }

    private static Property child(String name, String type) {
        return new Property(name, "child<" + type + ">", null);
    }
}
