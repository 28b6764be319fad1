package org.osgemu.cpu.riscv.hart;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.osgemu.cpu.riscv.hart.Csr.*;
import static org.osgemu.cpu.riscv.testing.Asm.*;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.osgemu.api.cpu.Cpu.ExitReason;
import org.osgemu.cpu.riscv.testing.Asm;
import org.osgemu.cpu.riscv.testing.HartTest;

/**
 * Interrupts: M and S software, timer and external interrupts, their priorities, global
 * enables per privilege, delegation, vectored xtvec; WFI, interrupt lines and kick.
 */
class InterruptTest extends HartTest {

    private static final long INTERRUPT = TrapCause.INTERRUPT;

    /** Loads {@code a} (with the handler appended) without running it. */
    private Asm load(Asm a) {
        appendHandler(a);
        hart = machine.load(a);
        return a;
    }

    private ExitReason run() {
        return hart.execute(100_000);
    }

    @Test
    void machineInterruptsFromLinesAreTakenWhenEnabled() {
        for (int irq : new int[] {IRQ_M_SOFT, IRQ_M_TIMER, IRQ_M_EXT}) {
            Asm a = load(program().li(T0, 1L << irq).csrw(MIE, T0).csrsi(MSTATUS, 8)
                    .label("spin").j("spin"));
            assertEquals(ExitReason.BUDGET, hart.execute(1000), "nothing pending yet");
            hart.interruptLine(irq).raise();
            assertEquals(ExitReason.WAIT_FOR_INTERRUPT, run());
            assertEquals(INTERRUPT | irq, reg("mcause"));
            assertEquals(a.address("spin"), reg("mepc"));
            assertEquals(0, reg("mtval"));
            assertEquals(MSTATUS_MPIE, reg("mstatus") & (MSTATUS_MIE | MSTATUS_MPIE));
        }
    }

    @Test
    void machineInterruptsWaitForMieInMachineMode() {
        load(program().li(T0, 1L << IRQ_M_TIMER).csrw(MIE, T0)
                .li(A0, 0).addi(A0, A0, 1).addi(A0, A0, 1)
                .csrsi(MSTATUS, 8)
                .label("spin").j("spin"));
        hart.interruptLine(IRQ_M_TIMER).raise();
        assertEquals(ExitReason.WAIT_FOR_INTERRUPT, run());
        assertEquals(2, x(A0), "the interrupt came only once MIE was set");
    }

    @Test
    void machineInterruptsAreTakenInLowerModesWhateverMie() {
        Asm a = program().li(T0, 1L << IRQ_M_EXT).csrw(MIE, T0);
        dropTo(a, PRIV_U).label("spin").j("spin");
        load(a);
        hart.interruptLine(IRQ_M_EXT).raise();
        assertEquals(ExitReason.WAIT_FOR_INTERRUPT, run());
        assertEquals(INTERRUPT | IRQ_M_EXT, reg("mcause"));
        assertEquals(0, reg("mstatus") & MSTATUS_MPP, "taken from U-mode");
    }

    @Test
    void priorityOrderIsMeiMsiMtiSeiSsiSti() {
        Asm a = program().li(T0, -1L).csrw(MIE, T0);
        dropTo(a, PRIV_U).label("spin").j("spin");
        load(a);
        for (int irq : new int[] {IRQ_S_TIMER, IRQ_S_SOFT, IRQ_S_EXT, IRQ_M_TIMER, IRQ_M_SOFT, IRQ_M_EXT}) {
            hart.interruptLine(irq).raise();
        }
        // Each run takes the highest pending interrupt; its line is then lowered and the program rerun.
        int[] expected = {IRQ_M_EXT, IRQ_M_SOFT, IRQ_M_TIMER, IRQ_S_EXT, IRQ_S_SOFT, IRQ_S_TIMER};
        for (int irq : expected) {
            hart.reset();
            assertEquals(ExitReason.WAIT_FOR_INTERRUPT, run());
            assertEquals(INTERRUPT | irq, reg("mcause"));
            hart.interruptLine(irq).lower();
        }
    }

    @Test
    void delegatedInterruptsGoToSupervisorModeThroughAVectoredStvec() {
        Asm a = program()
                .li(T0, 0x222).csrw(MIDELEG, T0)
                .li(T0, 0x222).csrw(MIE, T0)
                .la(T0, "s_vector").ori(T0, T0, 1).csrw(STVEC, T0)
                .csrsi(SSTATUS, 2);
        dropTo(a, PRIV_S).label("spin").j("spin")
                .align(4).label("s_vector")
                .j("s_other")             // 0: exceptions
                .j("s_other")             // 1: SSI
                .j("s_other").j("s_other").j("s_other")
                .j("s_timer")             // 5: STI
                .j("s_other").j("s_other").j("s_other")
                .j("s_other")             // 9: SEI
                .label("s_other").li(A0, -1).ecall()
                .label("s_timer").csrr(A0, SCAUSE).csrr(A1, SEPC).csrr(A2, SSTATUS).ecall();
        load(a);
        hart.interruptLine(IRQ_S_TIMER).raise();
        assertEquals(ExitReason.WAIT_FOR_INTERRUPT, run());
        assertEquals(TrapCause.ECALL_FROM_S, reg("mcause"));
        assertEquals(INTERRUPT | IRQ_S_TIMER, x(A0));
        assertEquals(a.address("spin"), x(A1));
        assertEquals(MSTATUS_SPIE | MSTATUS_SPP, x(A2) & (MSTATUS_SIE | MSTATUS_SPIE | MSTATUS_SPP));
    }

    @Test
    void supervisorInterruptsNeedSieInSupervisorModeAndAreIgnoredInMachineMode() {
        Asm a = program().li(T0, 0x222).csrw(MIDELEG, T0).csrw(MIE, T0)
                .la(T0, "s_trap").csrw(STVEC, T0)
                .li(T0, 1L << IRQ_S_SOFT).csrs(MIP, T0)     // M-mode sets SSIP: not taken in M
                .csrsi(MSTATUS, 8)
                .li(A0, 1);
        dropTo(a, PRIV_S).li(A0, 2)                           // in S with SIE = 0: not taken
                .csrsi(SSTATUS, 2)                            // now it is
                .li(A0, 3)
                .wfi()
                .label("s_trap").csrr(A1, SCAUSE).ecall();
        runToTrap(a, TrapCause.ECALL_FROM_S);
        assertEquals(2, x(A0));
        assertEquals(INTERRUPT | IRQ_S_SOFT, x(A1));
    }

    @Test
    void softwareRaisedSupervisorTimerAndExternalInterrupts() {
        for (int irq : new int[] {IRQ_S_TIMER, IRQ_S_EXT}) {
            Asm a = program().li(T0, 1L << irq).csrw(MIDELEG, T0).csrw(MIE, T0)
                    .la(T1, "s_trap").csrw(STVEC, T1)
                    .csrs(MIP, T0)                            // M-mode software may raise STIP / SEIP
                    .csrsi(MSTATUS, 2);
            dropTo(a, PRIV_S).label("spin").j("spin")
                    .label("s_trap").csrr(A1, SCAUSE).ecall();
            load(a);
            assertEquals(ExitReason.WAIT_FOR_INTERRUPT, run());
            assertEquals(INTERRUPT | irq, x(A1));
        }
    }

    @Test
    void delegatedSupervisorExternalInterruptFromThePlicLine() {
        Asm a = program().li(T0, 1L << IRQ_S_EXT).csrw(MIDELEG, T0).csrw(MIE, T0)
                .la(T1, "s_trap").csrw(STVEC, T1)
                .csrsi(MSTATUS, 2);
        dropTo(a, PRIV_U).label("spin").j("spin")
                .label("s_trap").csrr(A1, SCAUSE).csrr(A2, SIP).ecall();
        load(a);
        assertEquals(ExitReason.BUDGET, hart.execute(1000));
        hart.interruptLine(IRQ_S_EXT).raise();
        assertEquals(ExitReason.WAIT_FOR_INTERRUPT, run());
        assertEquals(INTERRUPT | IRQ_S_EXT, x(A1));
        assertEquals(1L << IRQ_S_EXT, x(A2));
        assertEquals(TrapCause.ECALL_FROM_S, reg("mcause"));
    }

    @Test
    void vectoredMtvecJumpsToBasePlusFourTimesCause() {
        // each 4-byte slot jumps to a tail that records the slot number
        Asm b = program().la(T0, "vector").ori(T0, T0, 1).csrw(MTVEC, T0)
                .li(T0, 1L << IRQ_M_TIMER).csrw(MIE, T0).csrsi(MSTATUS, 8)
                .label("spin").j("spin")
                .align(4).label("vector");
        for (int i = 0; i < 12; i++) {
            b.j("slot" + i);
        }
        for (int i = 0; i < 12; i++) {
            b.label("slot" + i).li(A0, i).csrw(MIE, ZERO).wfi();
        }
        load(b);
        hart.interruptLine(IRQ_M_TIMER).raise();
        assertEquals(ExitReason.WAIT_FOR_INTERRUPT, run());
        assertEquals(IRQ_M_TIMER, x(A0));
    }

    @Test
    void wfiWaitsUntilAnInterruptLineWakesTheHart() throws Exception {
        Asm a = load(program().li(T0, 1L << IRQ_M_SOFT).csrw(MIE, T0)
                .li(A0, 1).label("wfi").wfi().li(A0, 2).wfi());
        assertEquals(ExitReason.WAIT_FOR_INTERRUPT, run());
        assertEquals(a.address("wfi") + 4, hart.pc(), "pc is after the WFI");
        assertFalse(hart.hasWork());
        assertEquals(ExitReason.WAIT_FOR_INTERRUPT, run(), "still nothing to do");
        assertEquals(1, x(A0));

        int wakeups = machine.wakeups.get();
        CompletableFuture.runAsync(() -> hart.interruptLine(IRQ_M_SOFT).raise()).get(5, TimeUnit.SECONDS);
        assertEquals(wakeups + 1, machine.wakeups.get(), "the line woke the vCPU thread");
        assertTrue(hart.hasWork());
        hart.interruptLine(IRQ_M_SOFT).raise();
        assertEquals(wakeups + 1, machine.wakeups.get(), "setting the same level again changes nothing");

        // MIE = 0: the interrupt ends the wait but is not taken
        assertEquals(ExitReason.WAIT_FOR_INTERRUPT, run());
        assertEquals(2, x(A0));
        assertEquals(0, reg("mcause"));
    }

    @Test
    void wfiIsANopWhenAnInterruptIsAlreadyPending() {
        Asm a = load(program().li(T0, 1L << IRQ_M_TIMER).csrw(MIE, T0).wfi().li(A0, 5).csrw(MIE, ZERO).wfi());
        hart.interruptLine(IRQ_M_TIMER).raise();
        assertEquals(ExitReason.WAIT_FOR_INTERRUPT, run());
        assertEquals(5, x(A0));
        assertEquals(a.address("m_trap"), hart.pc(), "stopped at the second WFI, just before the handler");
    }

    @Test
    void wfiInUserModeAndUnderTwIsIllegal() {
        Asm u = program();
        runToTrap(dropTo(u, PRIV_U).wfi(), TrapCause.ILLEGAL_INSTRUCTION);
        Asm s = program().li(T0, MSTATUS_TW).csrs(MSTATUS, T0);
        runToTrap(dropTo(s, PRIV_S).wfi(), TrapCause.ILLEGAL_INSTRUCTION);
        Asm m = program().li(T0, MSTATUS_TW).csrs(MSTATUS, T0).wfi();
        run(m); // TW does not apply to M-mode
    }

    @Test
    void kickStopsARunningHart() throws Exception {
        load(program().label("spin").j("spin"));
        CompletableFuture<ExitReason> running = CompletableFuture.supplyAsync(() -> hart.execute(Long.MAX_VALUE));
        Thread.sleep(50);
        assertFalse(running.isDone());
        hart.kick();
        assertEquals(ExitReason.KICKED, running.get(5, TimeUnit.SECONDS));
        assertEquals(ExitReason.BUDGET, hart.execute(100), "a kick is consumed once");
    }

    @Test
    void interruptLineNumbersAreChecked() {
        load(program().wfi());
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> hart.interruptLine(64));
        assertTrue(e.getMessage().contains("64"), e.getMessage());
    }
}
