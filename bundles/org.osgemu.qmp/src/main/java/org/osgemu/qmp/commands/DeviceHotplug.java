package org.osgemu.qmp.commands;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import org.osgemu.api.command.CommandException;
import org.osgemu.api.command.ErrorClass;
import org.osgemu.api.device.Device;
import org.osgemu.api.machine.MachineControl;

/**
 * {@code device_add} and {@code device_del} as configurations: adding a device creates the
 * factory configuration {@code osgemu.device.<driver>} the launcher would create for
 * {@code -device}, and waits until the board has placed the device (or, for a device that plugs
 * into another device's bus such as {@code virtconsole}, until it is a service: its component
 * refuses to activate when it finds no bus to plug into); deleting one deletes its
 * configuration (DEVICE_DELETED follows once the device has left the machine). A device that
 * cannot come up (its component fails, a backend it names does not exist, the board has no
 * place for it) is taken back and the reason reported.
 */
final class DeviceHotplug {

    /** Properties that name a backend by id; each also gets the target filter {@code <name>.target=(id=X)}. */
    static final List<String> BACKEND_REFERENCES = List.of("drive", "netdev", "chardev");
    /** How long a device may be a service without being placed before the board is taken to have refused it. */
    private static final long PLACEMENT_GRACE_NANOS = TimeUnit.MILLISECONDS.toNanos(1000);
    /** A reference without target may still be bound a moment after the configuration arrives. */
    private static final long PROBLEM_GRACE_NANOS = TimeUnit.MILLISECONDS.toNanos(300);
    private static final long POLL_MILLIS = 20;

    private final DeviceConfigurations configurations;
    private final DeviceDirectory directory;
    private final long timeoutNanos;

    DeviceHotplug(DeviceConfigurations configurations, DeviceDirectory directory, long timeoutMillis) {
        this.configurations = configurations;
        this.directory = directory;
        this.timeoutNanos = TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
    }

    void add(MachineControl machine, Map<String, Object> arguments) throws CommandException {
        String driver = (String) arguments.get("driver");
        if (!configurations.hasDriver(driver)) {
            throw new CommandException("'" + driver + "' is not a valid device model name");
        }
        boolean placedByTheBoard = configurations.placedByTheBoard(driver);
        // the board has no named buses; a device that plugs into another one's bus (virtconsole)
        // gets the bus as a property and refuses a bus it does not find itself
        if (placedByTheBoard && arguments.containsKey("bus")) {
            throw new CommandException("Bus '" + arguments.get("bus") + "' not found");
        }
        String id = arguments.containsKey("id") ? (String) arguments.get("id") : freeId(machine, driver);
        if (findDevice(machine, directory, id).isPresent() || configuration(machine, id).isPresent()) {
            throw new CommandException("Duplicate device ID '" + id + "'");
        }
        Map<String, Object> properties = new LinkedHashMap<>();
        for (Map.Entry<String, Object> argument : arguments.entrySet()) {
            String name = argument.getKey();
            if (name.equals("driver") || name.equals("id")) {
                continue;
            }
            String value = scalar(name, argument.getValue());
            properties.put(name, value);
            if (BACKEND_REFERENCES.contains(name)) {
                properties.put(name + ".target", "(" + Device.ID + "=" + ConfigAdminDevices.escape(value) + ")");
            }
        }
        properties.put(Device.ID, id);
        properties.put(Device.MACHINE, machine.name());
        String pid;
        try {
            pid = configurations.create(driver, properties);
        } catch (IOException e) {
            throw new CommandException("Device '" + id + "' (" + driver + "): cannot configure it: " + e.getMessage());
        }
        awaitPlaced(machine, driver, id, pid, properties, placedByTheBoard);
    }

    /**
     * Waits until the device is in the machine: placed by the board, or, for a device the board
     * does not place, a service (its component has plugged it into its bus or refused to activate).
     */
    private void awaitPlaced(MachineControl machine, String driver, String id, String pid, Map<String, Object> properties,
                             boolean placedByTheBoard) throws CommandException {
        long start = System.nanoTime();
        long servicedSince = -1;
        while (true) {
            if (findDevice(machine, directory, id).isPresent()) {
                return;
            }
            long now = System.nanoTime();
            Optional<String> problem = now - start >= PROBLEM_GRACE_NANOS ? configurations.problem(pid) : Optional.empty();
            if (problem.isPresent()) {
                takeBack(pid);
                throw new CommandException(describe(driver, id, problem.get(), properties));
            }
            if (placedByTheBoard && directory.find(machine.name(), id).isPresent()) {
                if (servicedSince < 0) {
                    servicedSince = now;
                } else if (now - servicedSince >= PLACEMENT_GRACE_NANOS) {
                    takeBack(pid);
                    throw new CommandException("Device '" + id + "' (" + driver + ") was not placed: machine '"
                            + machine.name() + "' (" + machine.machineType() + ") has no free place for it");
                }
            }
            if (now - start >= timeoutNanos) {
                takeBack(pid);
                throw new CommandException("Device '" + id + "' (" + driver + ") did not come up within "
                        + TimeUnit.NANOSECONDS.toSeconds(timeoutNanos) + " s");
            }
            try {
                Thread.sleep(POLL_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                takeBack(pid);
                throw new CommandException("Device '" + id + "' (" + driver + "): interrupted while waiting for it");
            }
        }
    }

    /** QEMU's words for a backend that does not exist; otherwise the component's own reason. */
    private static String describe(String driver, String id, String problem, Map<String, Object> properties) {
        for (String reference : BACKEND_REFERENCES) {
            if (properties.containsKey(reference) && problem.startsWith("reference '" + reference + "'")) {
                return "Property '" + driver + "." + reference + "' can't find value '" + properties.get(reference) + "'";
            }
        }
        return "Device '" + id + "' (" + driver + ") cannot be added: " + problem;
    }

    void delete(MachineControl machine, String id) throws CommandException {
        if (findDevice(machine, directory, id).isEmpty()) {
            throw new CommandException(ErrorClass.DEVICE_NOT_FOUND, "Device '" + id + "' not found");
        }
        String pid = configuration(machine, id).orElseThrow(() -> new CommandException(
                "Device '" + id + "' cannot be removed: it was not made from a device configuration"));
        try {
            configurations.delete(pid);
        } catch (IOException e) {
            throw new CommandException("Device '" + id + "' cannot be removed: " + e.getMessage());
        }
    }

    private Optional<String> configuration(MachineControl machine, String id) throws CommandException {
        try {
            return configurations.find(machine.name(), id);
        } catch (IOException e) {
            throw new CommandException("cannot look up the configuration of device '" + id + "': " + e.getMessage());
        }
    }

    private void takeBack(String pid) {
        try {
            configurations.delete(pid);
        } catch (IOException e) {
            System.getLogger(DeviceHotplug.class.getName()).log(System.Logger.Level.WARNING,
                    "cannot delete configuration " + pid + " of a device that did not come up: " + e.getMessage());
        }
    }

    /** The device {@code id} of {@code machine}, placed by the board or plugged into another device's bus. */
    static Optional<Device> findDevice(MachineControl machine, DeviceDirectory directory, String id) {
        return devicesOf(machine, directory).stream().filter(d -> d.id().equals(id)).findFirst();
    }

    /** Every device of {@code machine}: the ones the board placed, then the ones plugged into another device's bus. */
    static List<Device> devicesOf(MachineControl machine, DeviceDirectory directory) {
        List<Device> all = new ArrayList<>(machine.devices());
        all.addAll(directory.unplaced(machine.name()));
        return all;
    }

    /** {@code <driver>.<n>}, the id the launcher gives a {@code -device} without one, with the first free n. */
    private String freeId(MachineControl machine, String driver) throws CommandException {
        for (int n = 0; ; n++) {
            String id = driver + "." + n;
            if (findDevice(machine, directory, id).isEmpty() && configuration(machine, id).isEmpty()) {
                return id;
            }
        }
    }

    /** Device properties are strings in the configuration, as the launcher stores {@code -device} ones. */
    private static String scalar(String name, Object value) throws CommandException {
        if (value instanceof String || value instanceof Number || value instanceof Boolean) {
            return String.valueOf(value);
        }
        throw new CommandException("Invalid parameter type for '" + name + "', expected: string");
    }
}
