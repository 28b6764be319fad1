package org.osgemu.cpu.riscv.hart;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.osgemu.cpu.riscv.hart.Csr.*;
import static org.osgemu.cpu.riscv.testing.Asm.*;

import java.util.Arrays;
import java.util.Map;
import java.util.function.UnaryOperator;

import org.junit.jupiter.api.Test;
import org.osgemu.api.cpu.Cpu.ExitReason;
import org.osgemu.api.vmstate.VMStateException;
import org.osgemu.cpu.riscv.testing.Asm;
import org.osgemu.cpu.riscv.testing.HartTest;

/** The riscv-cpu VMState: a saved hart restored elsewhere carries on identically; bad states are refused. */
class MigrationTest extends HartTest {

    /** Runs to a point where many registers and CSRs hold distinct values, in S-mode, mid-program. */
    private Asm busyProgram() {
        Asm a = program();
        for (int r = 1; r < 31; r++) {
            if (r != T5 && r != T6) {
                a.li(r, 0x0101_0101_0101_0101L * r);
            }
        }
        a.li(T0, 0x8000_1000L).csrw(STVEC, T0).csrw(SSCRATCH, T0).csrw(MSCRATCH, T0)
                .li(T0, 0x222).csrw(MIDELEG, T0).li(T0, 0xB1FF).csrw(MEDELEG, T0)
                .li(T0, 0xAAA).csrw(MIE, T0).csrwi(MCOUNTEREN, 5).csrwi(SCOUNTEREN, 1)
                .li(T0, 0x1234).csrw(PMPADDR0 + 3, T0).li(T0, -1L).csrw(PMPADDR0 + 8, T0)
                .li(T0, 0x1F).csrw(PMPCFG0 + 2, T0) // entry 8: NAPOT over everything, RWX
                .li(T0, 8L << 60).csrw(SATP, T0).csrw(SATP, ZERO)
                .csrwi(MENVCFG, 1).csrwi(SENVCFG, 1);
        dropTo(a, PRIV_S).label("pause").addi(A0, A0, 1).addi(A1, A1, 2).ecall();
        return a;
    }

    @Test
    void saveTransferLoadAndContinueGivesTheSameResult() throws VMStateException {
        Asm a = busyProgram();
        appendHandler(a);
        RiscvHart source = machine.load(a);
        // run to the "pause" label
        while (source.pc() != a.address("pause")) {
            assertEquals(ExitReason.BUDGET, source.execute(1));
        }
        RiscvCpuState saved = source.saveState();
        byte[] wire = RiscvCpuState.VMSTATE.save(saved);

        RiscvHart target = new RiscvHart(0, machine);
        RiscvCpuState received = target.vmstate().load(wire, RiscvCpuState.VMSTATE.version());
        target.loadState(received);
        assertArrayEquals(wire, RiscvCpuState.VMSTATE.save(target.saveState()), "state survives the round trip");
        assertEquals(source.registers(), target.registers());

        source.execute(1000);
        target.execute(1000);
        Map<String, Long> expected = source.registers();
        assertEquals(expected, target.registers());
        assertEquals((long) TrapCause.ECALL_FROM_S, expected.get("mcause"));
        assertEquals(0x0A0A_0A0A_0A0A_0A0BL, expected.get("a0"));
    }

    @Test
    void descriptionIsNamedRiscvCpu() {
        loadProgram(program().wfi());
        assertEquals("riscv-cpu", hart.vmstate().name());
        assertEquals(3, hart.vmstate().version());
    }

    @Test
    void waitForInterruptIsPartOfTheState() throws VMStateException {
        loadProgram(program().wfi());
        assertEquals(ExitReason.WAIT_FOR_INTERRUPT, hart.execute(100));
        RiscvHart target = new RiscvHart(0, machine);
        target.loadState(hart.saveState());
        assertEquals(false, target.hasWork());
        assertEquals(ExitReason.WAIT_FOR_INTERRUPT, target.execute(100));
        assertEquals(hart.pc(), target.pc());
    }

    private void assertRefused(String field, UnaryOperator<RiscvCpuState> corrupt) {
        loadProgram(program().wfi());
        RiscvCpuState good = hart.saveState();
        Map<String, Long> before = hart.registers();
        VMStateException e = assertThrows(VMStateException.class, () -> hart.loadState(corrupt.apply(good)));
        assertTrue(e.getMessage().startsWith("riscv-cpu." + field + ":"), e.getMessage());
        assertEquals(before, hart.registers(), "a refused state leaves the hart unchanged");
    }

    private static RiscvCpuState with(RiscvCpuState s, long pc, int priv, long[] x, long mstatus, long satp) {
        return new RiscvCpuState(pc, priv, x, mstatus, s.misa(), s.medeleg(), s.mideleg(), s.mie(),
                s.mip(), s.interruptLines(), s.mtvec(), s.mscratch(), s.mepc(), s.mcause(), s.mtval(),
                s.mcounteren(), s.mcountinhibit(), s.menvcfg(), s.stvec(), s.sscratch(), s.sepc(), s.scause(),
                s.stval(), s.scounteren(), s.senvcfg(), satp, s.mcycle(), s.minstret(), s.pmpcfg(),
                s.pmpaddr(), s.waitingForInterrupt(), s.stimecmp(), s.f(), s.fcsr());
    }

    @Test
    void untrustedStatesAreRefusedWithTheFieldNamed() {
        assertRefused("priv", s -> with(s, s.pc(), 2, s.x(), s.mstatus(), s.satp()));
        assertRefused("pc", s -> with(s, s.pc() + 1, s.priv(), s.x(), s.mstatus(), s.satp()));
        long[] x0 = s0();
        assertRefused("x", s -> with(s, s.pc(), s.priv(), x0, s.mstatus(), s.satp()));
        assertRefused("x", s -> with(s, s.pc(), s.priv(), new long[31], s.mstatus(), s.satp()));
        assertRefused("mstatus", s -> with(s, s.pc(), s.priv(), s.x(), (s.mstatus() & ~MSTATUS_MPP) | (2L << 11),
                s.satp()));
        assertRefused("mstatus", s -> with(s, s.pc(), s.priv(), s.x(), s.mstatus() | MSTATUS_FS, s.satp()));
        assertRefused("satp", s -> with(s, s.pc(), s.priv(), s.x(), s.mstatus(), 11L << 60));
        assertThrows(VMStateException.class, () -> new RiscvHart(1, machine).loadState(null));
    }

    private static long[] s0() {
        long[] x = new long[32];
        x[0] = 5;
        return x;
    }

    @Test
    void truncatedStreamsAreRefused() {
        loadProgram(program().wfi());
        byte[] wire = RiscvCpuState.VMSTATE.save(hart.saveState());
        byte[] cut = Arrays.copyOf(wire, wire.length - 3);
        VMStateException e = assertThrows(VMStateException.class,
                () -> RiscvCpuState.VMSTATE.load(cut, RiscvCpuState.VMSTATE.version()));
        assertTrue(e.getMessage().contains("riscv-cpu"), e.getMessage());
    }
}
