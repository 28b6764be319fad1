package org.osgemu.cpu.riscv.hart;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The opt-in instruction trace: its -Dosgemu.trace settings and the lines trace-diff compares with QEMU's log. */
class InstructionTraceTest {

    @TempDir
    Path dir;

    @Test
    void settingsNameTheFileThePrivilegeLevelsAndTheLimits() {
        InstructionTrace.Settings s = InstructionTrace.Settings.parse("file=/tmp/t,priv=su,hart=1,skip=5,limit=10");
        assertEquals(Path.of("/tmp/t"), s.file());
        assertEquals(1 << Csr.PRIV_S | 1 << Csr.PRIV_U, s.privMask());
        assertEquals(1, s.hart());
        assertEquals(5, s.skip());
        assertEquals(10, s.limit());
        InstructionTrace.Settings bare = InstructionTrace.Settings.parse("/tmp/u");
        assertEquals(Path.of("/tmp/u"), bare.file());
        assertEquals(Long.MAX_VALUE, bare.limit());
    }

    @Test
    void badSettingsAreRefusedWithTheItemNamed() {
        assertMessage("priv=X: 'X' is not one of M, S, U", "file=/t,priv=X");
        assertMessage("limit=ten is not a decimal number", "file=/t,limit=ten");
        assertMessage("unknown item 'colour=red'", "file=/t,colour=red");
        assertMessage("no file given", "priv=S");
    }

    private static void assertMessage(String expected, String spec) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> InstructionTrace.Settings.parse(spec));
        assertTrue(e.getMessage().contains("-Dosgemu.trace") && e.getMessage().contains(expected), e.getMessage());
    }

    @Test
    void eachRecordHoldsPcPrivilegeWordAndTheRegistersThatChanged() throws IOException {
        Path file = dir.resolve("t");
        InstructionTrace trace = new InstructionTrace(InstructionTrace.Settings.parse("file=" + file + ",priv=S,skip=1,limit=3"));
        long[] x = new long[32];
        x[2] = 0x8000_0000L;
        trace.before(0x8020_0000L, Csr.PRIV_S, 0x00000517, x);    // skipped
        x[10] = 0x8020_0000L;
        trace.before(0x8020_0004L, Csr.PRIV_S, 0x4505, x);        // first record: every non-zero register
        trace.before(0x8000_1000L, Csr.PRIV_M, 0x30200073, x);    // M-mode: not recorded
        x[10] = 1;
        x[31] = -1;
        trace.before(0x8020_0006L, Csr.PRIV_S, 0xfe0718e3, x);
        trace.before(0x8020_000aL, Csr.PRIV_S, 0x8082, x);
        trace.before(0x8020_000cL, Csr.PRIV_S, 0x8082, x);        // past the limit
        trace.flush();
        assertEquals(List.of(
                "0000000080200004 S 4505 x2=80000000 x10=80200000",
                "0000000080200006 S fe0718e3 x10=1 x31=ffffffffffffffff",
                "000000008020000a S 8082"), Files.readAllLines(file));
    }
}
