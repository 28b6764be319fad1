package org.osgemu.qmp.commands;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.osgemu.api.device.Device;
import org.osgemu.api.device.PlatformDevice;

/**
 * The device services of every machine with their service properties (the configuration a
 * device was made from: {@code id}, {@code machine}, the driver's properties), which
 * {@code MachineControl.devices()} does not carry; and the devices the board does not place,
 * which it does not list at all.
 */
final class DeviceDirectory {

    private final Map<Device, Map<String, Object>> devices = new LinkedHashMap<>();

    synchronized void add(Device device, Map<String, Object> properties) {
        devices.put(device, Map.copyOf(properties));
    }

    synchronized void remove(Device device) {
        devices.remove(device);
    }

    /** The service properties of {@code device}, empty when it is not (or no longer) a service. */
    synchronized Map<String, Object> properties(Device device) {
        return devices.getOrDefault(device, Map.of());
    }

    /** A device service of machine {@code machine} with id {@code id}. */
    synchronized Optional<Device> find(String machine, String id) {
        return devices.entrySet().stream()
                .filter(e -> machine.equals(String.valueOf(e.getValue().get(Device.MACHINE))))
                .filter(e -> id.equals(String.valueOf(e.getValue().get(Device.ID))))
                .map(Map.Entry::getKey)
                .findFirst();
    }

    /**
     * The device services of machine {@code machine} that the board does not place (they plug into
     * another device's bus, like {@code virtconsole}): they are in the machine although
     * {@code MachineControl.devices()} does not list them.
     */
    synchronized List<Device> unplaced(String machine) {
        return devices.entrySet().stream()
                .filter(e -> !(e.getKey() instanceof PlatformDevice))
                .filter(e -> machine.equals(String.valueOf(e.getValue().get(Device.MACHINE))))
                .map(Map.Entry::getKey)
                .toList();
    }

    /** Every device service's properties. */
    synchronized Iterable<Map<String, Object>> allProperties() {
        return List.copyOf(devices.values());
    }
}
