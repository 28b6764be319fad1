package org.osgemu.api.device;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The configuration checks every device component runs in its constructor. */
class DeviceConfigsTest {

    @Test
    void aGivenValueIsReturned() {
        assertEquals("uart0", DeviceConfigs.required("osgemu.device.ns16550a", "id", "uart0"));
        assertEquals("uart0", DeviceConfigs.checkedId("osgemu.device.ns16550a", "uart0", "vm1"));
    }

    @Test
    void aMissingOrBlankValueIsRefusedNamingThePidAndTheProperty() {
        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class,
                () -> DeviceConfigs.required("osgemu.device.plic", "id", null));
        IllegalArgumentException blank = assertThrows(IllegalArgumentException.class,
                () -> DeviceConfigs.required("osgemu.device.plic", "drive", "  "));

        assertTrue(missing.getMessage().contains("osgemu.device.plic") && missing.getMessage().contains("'id'"),
                missing.getMessage());
        assertTrue(blank.getMessage().contains("'drive'"), blank.getMessage());
    }

    @Test
    void checkedIdAlsoNeedsTheMachine() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> DeviceConfigs.checkedId("osgemu.device.rtc", "rtc0", null));

        assertTrue(e.getMessage().contains("'machine'"), e.getMessage());
    }

    @Test
    void hartInterruptControllerLabelsMatchTheBoardsNaming() {
        assertEquals("cpu0-intc", DevicePlacement.cpuInterruptController(0));
        assertEquals("cpu12-intc", DevicePlacement.cpuInterruptController(12));
    }
}
