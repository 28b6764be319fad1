package org.osgemu.api.machine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

/** The machine request a command line turns into, and the QAPI names machines report. */
class MachineConfigTest {

    @Test
    void withoutADtbTheBoardBuildsItsOwn() {
        MachineConfig c = new MachineConfig("vm1", 512L << 20, 2, Optional.of(Path.of("fw.bin")), Optional.empty(),
                Optional.empty(), "console=ttyS0", false, List.of("hd0"));

        assertEquals(Optional.empty(), c.dtb());
        assertEquals(List.of("hd0"), c.expectedDevices());
    }

    @Test
    void theDeviceListIsACopyThatCannotChange() {
        List<String> ids = new ArrayList<>(List.of("hd0"));
        MachineConfig c = new MachineConfig("vm1", 1 << 20, 1, Optional.empty(), Optional.empty(), Optional.empty(),
                "", true, ids);
        ids.add("net0");

        assertEquals(List.of("hd0"), c.expectedDevices());
        assertThrows(UnsupportedOperationException.class, () -> c.expectedDevices().add("x"));
    }

    @Test
    void absentImagesAreEmptyOptionalsNotNull() {
        assertThrows(NullPointerException.class, () -> new MachineConfig("vm1", 1 << 20, 1, null, Optional.empty(),
                Optional.empty(), "", false, List.of()));
        assertThrows(NullPointerException.class, () -> new MachineConfig(null, 1 << 20, 1, Optional.empty(),
                Optional.empty(), Optional.empty(), "", false, List.of()));
    }

    @Test
    void runStatesAndShutdownCausesUseQmpNames() {
        assertEquals("finish-migrate", RunState.FINISH_MIGRATE.qapiName());
        assertEquals("internal-error", RunState.INTERNAL_ERROR.qapiName());
        assertEquals("host-qmp-system-reset", ShutdownCause.HOST_QMP_SYSTEM_RESET.qapiName());
        assertEquals(List.of(ShutdownCause.GUEST_SHUTDOWN, ShutdownCause.GUEST_RESET, ShutdownCause.GUEST_PANIC),
                java.util.Arrays.stream(ShutdownCause.values()).filter(ShutdownCause::isGuest).toList());
    }
}
