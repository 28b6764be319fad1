package org.osgemu.shell.commands;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.osgemu.api.machine.RunState;

class StatusAndCpusTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            RUNNING        | VM status: running
            PAUSED         | VM status: paused
            SHUTDOWN       | VM status: paused (shutdown)
            PRELAUNCH      | VM status: paused (prelaunch)
            INMIGRATE      | VM status: paused (inmigrate)
            FINISH_MIGRATE | VM status: paused (finish-migrate)
            """)
    void statusIsWordedAsQemuWordsIt(RunState state, String expected) {
        assertEquals(expected, StatusLine.format(state));
    }

    @Test
    void cpusAreListedWithTheCurrentOneStarred() {
        List<org.osgemu.api.cpu.Cpu> cpus = List.of(new FakeCpu(0, 0, Map.of()), new FakeCpu(1, 0, Map.of()));

        assertEquals("* CPU #0: thread_id=42\n  CPU #1: thread_id=unknown",
                CpuList.format(cpus, 0, hart -> hart == 0 ? 42 : -1));
    }
}
