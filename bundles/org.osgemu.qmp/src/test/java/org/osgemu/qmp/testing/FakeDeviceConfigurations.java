package org.osgemu.qmp.testing;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiFunction;

import org.osgemu.api.device.Device;
import org.osgemu.qmp.commands.DeviceCommands;
import org.osgemu.qmp.commands.DeviceConfigurations;

/**
 * Device configurations without ConfigAdmin: creating one makes the device appear on the fake
 * machine (and as a service of {@link DeviceCommands}) the way SCR and the board would, unless
 * a test says the driver fails or the board has no place for it.
 */
public final class FakeDeviceConfigurations implements DeviceConfigurations {

    private final FakeMachine machine;
    private final Set<String> drivers;
    private final Map<String, Map<String, Object>> configurations = new LinkedHashMap<>();
    private final Map<String, FakeDevice> devices = new LinkedHashMap<>();
    private final Map<String, FakePort> ports = new LinkedHashMap<>();
    private DeviceCommands commands;
    private int next;
    /** What a new configuration does: null to appear, or the problem SCR would report. */
    public volatile BiFunction<String, Map<String, Object>, String> problem = (driver, props) -> null;
    /** Whether the board places new devices (false: they become services but are never placed). */
    public volatile boolean boardPlaces = true;
    public final List<String> deleted = new ArrayList<>();
    /** Drivers whose devices plug into another device's bus: plain {@link Device} services the board never places. */
    public final Set<String> unplacedDrivers = new HashSet<>();

    public FakeDeviceConfigurations(FakeMachine machine, Set<String> drivers) {
        this.machine = machine;
        this.drivers = drivers;
    }

    /** The commands to tell about device services coming and going. */
    public void attach(DeviceCommands commands) {
        this.commands = commands;
    }

    /** A device the "board" made itself, with a configuration of its own. */
    public synchronized void onboard(String driver, String id) {
        Map<String, Object> props = new LinkedHashMap<>(Map.of("id", id, "machine", machine.name()));
        String pid = "osgemu.device." + driver + ".onboard-" + id;
        configurations.put(pid, props);
        appear(pid, driver, props);
    }

    public synchronized Map<String, Object> configuration(String id) {
        return configurations.values().stream().filter(p -> id.equals(p.get("id"))).findFirst().orElse(null);
    }

    @Override
    public boolean hasDriver(String driver) {
        return drivers.contains(driver);
    }

    @Override
    public boolean placedByTheBoard(String driver) {
        return !unplacedDrivers.contains(driver);
    }

    @Override
    public synchronized String create(String driver, Map<String, Object> properties) {
        String pid = "osgemu.device." + driver + "." + next++;
        configurations.put(pid, new LinkedHashMap<>(properties));
        if (problem.apply(driver, properties) == null) {
            appear(pid, driver, properties);
        }
        return pid;
    }

    private void appear(String pid, String driver, Map<String, Object> properties) {
        if (unplacedDrivers.contains(driver)) {
            FakePort port = new FakePort((String) properties.get("id"), driver);
            ports.put(pid, port);
            commands.addUnplacedDevice(port, properties);
            return;
        }
        FakeDevice device = new FakeDevice((String) properties.get("id"), driver);
        devices.put(pid, device);
        commands.addDevice(device, properties);
        if (boardPlaces) {
            machine.plug(device);
        }
    }

    @Override
    public synchronized Optional<String> problem(String pid) {
        Map<String, Object> props = configurations.get(pid);
        if (props == null || devices.containsKey(pid) || ports.containsKey(pid)) {
            return Optional.empty();
        }
        String driver = pid.substring("osgemu.device.".length(), pid.lastIndexOf('.'));
        return Optional.ofNullable(problem.apply(driver, props));
    }

    @Override
    public synchronized void delete(String pid) {
        Map<String, Object> props = configurations.remove(pid);
        if (props == null) {
            return;
        }
        deleted.add(pid);
        FakePort port = ports.remove(pid);
        if (port != null) {
            commands.removeUnplacedDevice(port, props);
        }
        FakeDevice device = devices.remove(pid);
        if (device != null) {
            commands.removeDevice(device, props); // SCR unbinds first, the board unplugs after
            machine.unplug(device);
        }
    }

    @Override
    public synchronized Optional<String> find(String machineName, String id) {
        return configurations.entrySet().stream()
                .filter(e -> id.equals(e.getValue().get("id")) && machineName.equals(e.getValue().get("machine")))
                .map(Map.Entry::getKey).findFirst();
    }
}
