package org.osgemu.core.machine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.osgemu.api.device.Device;
import org.osgemu.api.device.DevicePlacement;

/** The runtime answers where the board placed each device (migration streams record it) until it is removed. */
class DevicePlacementTest {

    private final CoreMachineRuntime machine = new CoreMachineRuntime("vm", "fake", 2_000, m -> { });

    @AfterEach
    void destroy() {
        machine.destroy();
    }

    private static Device device(String id) {
        return new Device() {
            @Override public String id() { return id; }
            @Override public String type() { return "fake"; }
            @Override public void reset() { }
        };
    }

    @Test
    void aPlacedDeviceIsAnsweredUntilRemovedAndAnUnplacedOneIsNot() {
        Device placed = device("blk0");
        Device unplaced = device("other");
        DevicePlacement at = new DevicePlacement(0x1000_8000L, 0x1000, List.of(8), 1);
        machine.addDevice(placed, at);
        machine.addDevice(unplaced);

        assertEquals(Optional.of(at), machine.devicePlacement(placed));
        assertEquals(Optional.empty(), machine.devicePlacement(unplaced));
        assertEquals(List.of(placed, unplaced), machine.devices());

        machine.removeDevice(placed);
        assertEquals(Optional.empty(), machine.devicePlacement(placed));
    }
}
