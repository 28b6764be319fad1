package org.osgemu.cpu.riscv.hart;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.osgemu.cpu.riscv.hart.Csr.*;
import static org.osgemu.cpu.riscv.testing.Asm.*;

import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.osgemu.api.cpu.Cpu.ExitReason;
import org.osgemu.api.vmstate.VMStateException;
import org.osgemu.api.vmstate.VMStateField;
import org.osgemu.cpu.riscv.testing.Asm;
import org.osgemu.cpu.riscv.testing.HartTest;

/**
 * Sstc: who may access stimecmp, STIP driven by {@code time >= stimecmp} once menvcfg.STCE is
 * set (and read-only then), the interrupt rising on time from the virtual clock's timer, also
 * while the hart sleeps in WFI, and stimecmp in the migration state.
 */
class SstcTest extends HartTest {

    private static final long STIP = 1L << IRQ_S_TIMER;
    /** The test machine's timebase is 10 MHz: one tick every 100 ns. */
    private static final long NANOS_PER_TICK = 100;

    /** M-mode code enabling Sstc for S-mode: STCE, mcounteren.TM, STI delegated and enabled, stvec. */
    private Asm sstcEnabled(long stimecmp) {
        return program().li(T0, stimecmp).csrw(STIMECMP, T0)
                .li(T0, MENVCFG_STCE).csrs(MENVCFG, T0)
                .csrwi(MCOUNTEREN, 2)
                .li(T0, STIP).csrw(MIDELEG, T0).csrw(MIE, T0)
                .la(T0, "s_trap").csrw(STVEC, T0);
    }

    /** The S-mode timer handler: records scause and sip, pushes stimecmp out of reach, records sip again. */
    private static Asm supervisorHandler(Asm a) {
        return a.align(4).label("s_trap").csrr(A0, SCAUSE).csrr(A1, SIP)
                .li(T0, -1L).csrw(STIMECMP, T0).csrr(A2, SIP).ecall();
    }

    @Test
    void supervisorAccessNeedsStceAndTm() {
        Asm noStce = program().csrwi(MCOUNTEREN, 2);
        runToTrap(dropTo(noStce, PRIV_S).csrr(A0, STIMECMP).wfi(), TrapCause.ILLEGAL_INSTRUCTION);

        Asm noTm = program().li(T0, MENVCFG_STCE).csrs(MENVCFG, T0).csrwi(MCOUNTEREN, 5);
        runToTrap(dropTo(noTm, PRIV_S).li(A0, 7).csrw(STIMECMP, A0).wfi(), TrapCause.ILLEGAL_INSTRUCTION);

        Asm both = program().li(T0, MENVCFG_STCE).csrs(MENVCFG, T0).csrwi(MCOUNTEREN, 2);
        run(dropTo(both, PRIV_S).li(A0, 12345).csrw(STIMECMP, A0).csrr(A1, STIMECMP).wfi());
        assertEquals(12345, x(A1));
        assertEquals(12345, reg("stimecmp"));

        Asm user = program().li(T0, MENVCFG_STCE).csrs(MENVCFG, T0).csrwi(MCOUNTEREN, 2).csrwi(SCOUNTEREN, 2);
        runToTrap(dropTo(user, PRIV_U).csrr(A0, STIMECMP).wfi(), TrapCause.ILLEGAL_INSTRUCTION);
    }

    @Test
    void machineModeAccessesStimecmpWhateverStce() {
        run(program().li(A0, 0x55AA).csrw(STIMECMP, A0).csrr(A1, STIMECMP).wfi());
        assertEquals(0x55AA, x(A1));
    }

    @Test
    void supervisorTimerInterruptRisesWhenTimeReachesStimecmp() {
        Asm a = sstcEnabled(1000);
        supervisorHandler(dropTo(a, PRIV_S).csrsi(SSTATUS, 2).label("spin").j("spin"));
        loadProgram(a);
        assertEquals(ExitReason.BUDGET, hart.execute(10_000));
        assertEquals(List.of(1000 * NANOS_PER_TICK), machine.clock.deadlines(), "a timer waits for the deadline");

        machine.clock.advanceTo(1000 * NANOS_PER_TICK - 1);
        assertEquals(ExitReason.BUDGET, hart.execute(10_000), "one nanosecond early: nothing yet");
        int wakeups = machine.wakeups.get();
        machine.clock.advanceTo(1000 * NANOS_PER_TICK);
        assertTrue(machine.wakeups.get() > wakeups, "the timer callback woke the hart");

        assertEquals(ExitReason.WAIT_FOR_INTERRUPT, hart.execute(10_000));
        assertEquals(TrapCause.ECALL_FROM_S, reg("mcause"));
        assertEquals(TrapCause.INTERRUPT | IRQ_S_TIMER, x(A0));
        assertEquals(STIP, x(A1) & STIP);
        assertEquals(0, x(A2) & STIP, "a later stimecmp lowers STIP at once");
        assertEquals(List.of(), machine.clock.deadlines(), "no deadline for stimecmp = 2^64 - 1");
    }

    @Test
    void theInterruptWakesAHartSleepingInWfi() {
        Asm a = sstcEnabled(500);
        supervisorHandler(dropTo(a, PRIV_S).csrsi(SSTATUS, 2).label("sleep").wfi().j("sleep"));
        loadProgram(a);
        assertEquals(ExitReason.WAIT_FOR_INTERRUPT, hart.execute(10_000));
        assertFalse(hart.hasWork());

        machine.clock.advanceTo(500 * NANOS_PER_TICK);
        assertTrue(hart.hasWork(), "STIP is pending: the vCPU thread may run again");
        assertEquals(ExitReason.WAIT_FOR_INTERRUPT, hart.execute(10_000));
        assertEquals(TrapCause.ECALL_FROM_S, reg("mcause"), "the S-mode handler ran and called M-mode");
        assertEquals(TrapCause.INTERRUPT | IRQ_S_TIMER, x(A0));
    }

    @Test
    void stipIsReadOnlyWhileStceIsSet() {
        run(program().li(T0, STIP).csrs(MIP, T0).csrr(A0, MIP)
                .li(T1, -1L).csrw(STIMECMP, T1)
                .li(T1, MENVCFG_STCE).csrs(MENVCFG, T1).csrr(A1, MIP)
                .csrs(MIP, T0).csrr(A2, MIP)
                .csrw(STIMECMP, ZERO).csrr(A3, MIP)
                .csrc(MIP, T0).csrr(A4, MIP)
                .csrc(MENVCFG, T1).csrr(A5, MIP)
                .wfi());
        assertEquals(STIP, x(A0) & STIP, "without Sstc M-mode sets STIP by hand");
        assertEquals(0, x(A1) & STIP, "STCE takes STIP over; stimecmp is out of reach");
        assertEquals(0, x(A2) & STIP, "software cannot set it");
        assertEquals(STIP, x(A3) & STIP, "time 0 >= stimecmp 0");
        assertEquals(STIP, x(A4) & STIP, "software cannot clear it");
        assertEquals(0, x(A5) & STIP, "clearing STCE drops the comparator's STIP");
    }

    @Test
    void theComparisonIsUnsigned() {
        machine.clock.advanceTo(1_000_000_000_000L); // 1000 s: 10^10 ticks
        run(program().li(T0, Long.MIN_VALUE).csrw(STIMECMP, T0)
                .li(T1, MENVCFG_STCE).csrs(MENVCFG, T1).csrr(A0, MIP)
                .li(T0, 10_000_000_000L).csrw(STIMECMP, T0).csrr(A1, MIP)
                .wfi());
        assertEquals(0, x(A0) & STIP, "2^63 is later than now");
        assertEquals(STIP, x(A1) & STIP);
    }

    @Test
    void resetDisarmsTheComparator() {
        Asm a = sstcEnabled(1000);
        supervisorHandler(dropTo(a, PRIV_S).label("spin").j("spin"));
        loadProgram(a);
        hart.execute(1000);
        assertEquals(1, machine.clock.deadlines().size());
        hart.reset();
        assertEquals(List.of(), machine.clock.deadlines());
        machine.clock.advanceTo(2000 * NANOS_PER_TICK);
        assertEquals(0, reg("mip") & STIP);
        assertEquals(0, reg("stimecmp"));
    }

    @Test
    void stimecmpMigratesAndOlderStreamsLoadWithoutIt() throws VMStateException {
        Asm a = sstcEnabled(3000);
        supervisorHandler(dropTo(a, PRIV_S).label("spin").j("spin"));
        loadProgram(a);
        hart.execute(1000);
        RiscvCpuState saved = hart.saveState();
        assertEquals(3000, saved.stimecmp());

        RiscvHart target = new RiscvHart(0, machine);
        byte[] wire = RiscvCpuState.VMSTATE.save(saved);
        target.loadState(RiscvCpuState.VMSTATE.load(wire, RiscvCpuState.VMSTATE.version()));
        assertEquals(3000, target.registers().get("stimecmp"));
        machine.clock.advanceTo(3000 * NANOS_PER_TICK);
        assertEquals(STIP, target.registers().get("mip") & STIP, "the restored hart armed its own timer");

        // Older streams are this one without the fields added since (all of fixed size).
        RiscvCpuState version2 = RiscvCpuState.VMSTATE.load(Arrays.copyOf(wire, wire.length - bytesSince(3)), 2);
        assertEquals(3000, version2.stimecmp());
        RiscvCpuState version1 = RiscvCpuState.VMSTATE.load(Arrays.copyOf(wire, wire.length - bytesSince(2)), 1);
        assertEquals(0, version1.stimecmp());
        assertArrayEquals(saved.x(), version1.x());
    }

    /** Bytes on the wire of the fields added in {@code version} or later. */
    private static int bytesSince(int version) {
        int n = 0;
        for (VMStateField f : RiscvCpuState.VMSTATE.fields()) {
            if (f.sinceVersion() >= version) {
                n += f.type().unitSize() * Math.max(1, f.length());
            }
        }
        return n;
    }
}
