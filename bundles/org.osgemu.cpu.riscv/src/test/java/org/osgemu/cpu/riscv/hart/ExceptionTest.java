package org.osgemu.cpu.riscv.hart;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.osgemu.cpu.riscv.hart.Csr.*;
import static org.osgemu.cpu.riscv.testing.Asm.*;

import org.junit.jupiter.api.Test;
import org.osgemu.cpu.riscv.testing.Asm;
import org.osgemu.cpu.riscv.testing.HartTest;
import org.osgemu.cpu.riscv.testing.TestMachine;

/**
 * Every synchronous exception code (page faults are in {@link Sv39Test}): cause, xepc, xtval,
 * the mstatus stack, and delegation to S-mode through medeleg.
 */
class ExceptionTest extends HartTest {

    private static final long UNMAPPED = 0x2000_0000L;

    @Test
    void instructionAddressMisalignedOnceCIsOff() {
        Asm a = program().csrwi(MISA, 0).la(T0, "target").addi(T0, T0, 2)
                .label("jump").jalr(RA, T0, 0)
                .wfi()
                .label("target").nop().nop();
        runToTrap(a, TrapCause.INSTRUCTION_MISALIGNED);
        assertEquals(a.address("jump"), reg("mepc"));
        assertEquals(a.address("target") + 2, reg("mtval"));
        assertEquals(0, x(RA), "the jump did not write its link register");
    }

    @Test
    void branchesToMisalignedTargetsTrapOnlyWhenTaken() {
        Asm a = program().csrwi(MISA, 0).li(A0, 1)
                .word(0x00050363)       // beq a0, zero, +6: not taken, no trap
                .li(A1, 7)
                .label("taken").word(0x00051363) // bne a0, zero, +6
                .wfi().wfi();
        runToTrap(a, TrapCause.INSTRUCTION_MISALIGNED);
        assertEquals(7, x(A1));
        assertEquals(a.address("taken"), reg("mepc"));
        assertEquals(a.address("taken") + 6, reg("mtval"));
    }

    @Test
    void compressedInstructionsAreIllegalWithoutC() {
        Asm a = program().csrwi(MISA, 0).label("c").c_li(A0, 1).c_nop().wfi();
        runToTrap(a, TrapCause.ILLEGAL_INSTRUCTION);
        assertEquals(a.address("c"), reg("mepc"));
        assertEquals(0x4505, reg("mtval"));
    }

    @Test
    void instructionAccessFault() {
        Asm a = program().li(T0, UNMAPPED).label("jump").jalr(RA, T0, 0).wfi();
        runToTrap(a, TrapCause.INSTRUCTION_ACCESS_FAULT);
        assertEquals(UNMAPPED, reg("mepc"));
        assertEquals(UNMAPPED, reg("mtval"));
        assertEquals(a.address("jump") + 4, x(RA));
    }

    @Test
    void illegalInstructionsReportTheirBits() {
        Asm a = program().label("bad").word(0xFFFF_FFFF).wfi();
        runToTrap(a, TrapCause.ILLEGAL_INSTRUCTION);
        assertEquals(a.address("bad"), reg("mepc"));
        assertEquals(0xFFFF_FFFFL, reg("mtval"));

        Asm zero = program().label("bad").half(0).wfi();
        runToTrap(zero, TrapCause.ILLEGAL_INSTRUCTION);
        assertEquals(0, reg("mtval"));

        // a reserved compressed encoding: c.addi4spn with a zero immediate
        Asm reserved = program().label("bad").half(0x0004).wfi();
        runToTrap(reserved, TrapCause.ILLEGAL_INSTRUCTION);
        assertEquals(4, reg("mtval"));
    }

    @Test
    void breakpoint() {
        Asm a = program().label("bp").ebreak().wfi();
        runToTrap(a, TrapCause.BREAKPOINT);
        assertEquals(a.address("bp"), reg("mepc"));
        assertEquals(a.address("bp"), reg("mtval"));
    }

    @Test
    void loadAddressMisaligned() {
        Asm a = program().li(S0, DATA + 1).label("load").lw(A0, 0, S0).wfi();
        runToTrap(a, TrapCause.LOAD_MISALIGNED);
        assertEquals(a.address("load"), reg("mepc"));
        assertEquals(DATA + 1, reg("mtval"));
    }

    @Test
    void loadAccessFaultForHolesAndRefusedSizes() {
        runToTrap(program().li(S0, UNMAPPED).ld(A0, 8, S0).wfi(), TrapCause.LOAD_ACCESS_FAULT);
        assertEquals(UNMAPPED + 8, reg("mtval"));
        runToTrap(program().li(S0, TestMachine.MMIO_BASE).lb(A0, 0, S0).wfi(), TrapCause.LOAD_ACCESS_FAULT);
        assertEquals(TestMachine.MMIO_BASE, reg("mtval"));
    }

    @Test
    void storeAddressMisaligned() {
        runToTrap(program().li(S0, DATA + 4).sd(A0, 0, S0).wfi(), TrapCause.STORE_MISALIGNED);
        assertEquals(DATA + 4, reg("mtval"));
        runToTrap(program().li(S0, DATA + 1).sh(A0, 0, S0).wfi(), TrapCause.STORE_MISALIGNED);
    }

    @Test
    void storeAccessFaultForRomAndHoles() {
        runToTrap(program().li(S0, TestMachine.ROM_BASE).sw(A0, 0, S0).wfi(), TrapCause.STORE_ACCESS_FAULT);
        assertEquals(TestMachine.ROM_BASE, reg("mtval"));
        runToTrap(program().li(S0, UNMAPPED).sb(A0, 3, S0).wfi(), TrapCause.STORE_ACCESS_FAULT);
        assertEquals(UNMAPPED + 3, reg("mtval"));
    }

    @Test
    void mmioLoadsAndStoresReachTheDevice() {
        run(program().li(S0, TestMachine.MMIO_BASE).li(A0, 0x1234_5678_9ABC_DEF0L)
                .sd(A0, 8, S0).lw(A1, 12, S0).ld(A2, 8, S0).wfi());
        assertEquals(0x1234_5678_9ABC_DEF0L, machine.mmioRegisters[1]);
        assertEquals(0x1234_5678L, x(A1));
        assertEquals(0x1234_5678_9ABC_DEF0L, x(A2));
    }

    @Test
    void environmentCallsFromEachMode() {
        Asm m = program().label("call").ecall().wfi();
        runToTrap(m, TrapCause.ECALL_FROM_M);
        assertEquals(m.address("call"), reg("mepc"));
        assertEquals(0, reg("mtval"));
        assertEquals(3L << 11, reg("mstatus") & MSTATUS_MPP);

        Asm s = program();
        runToTrap(dropTo(s, PRIV_S).ecall().wfi(), TrapCause.ECALL_FROM_S);
        assertEquals(1L << 11, reg("mstatus") & MSTATUS_MPP);

        Asm u = program();
        runToTrap(dropTo(u, PRIV_U).ecall().wfi(), TrapCause.ECALL_FROM_U);
        assertEquals(0, reg("mstatus") & MSTATUS_MPP);
        assertEquals(PRIV_M, reg("priv"));
    }

    @Test
    void trapEntryStacksMieIntoMpie() {
        runToTrap(program().csrsi(MSTATUS, 8).ecall().wfi(), TrapCause.ECALL_FROM_M);
        assertEquals(MSTATUS_MPIE, reg("mstatus") & (MSTATUS_MIE | MSTATUS_MPIE));
    }

    @Test
    void delegatedExceptionsFromUserModeGoToSupervisorMode() {
        Asm a = program().li(T0, 1L << TrapCause.ECALL_FROM_U).csrw(MEDELEG, T0)
                .la(T0, "s_trap").csrw(STVEC, T0)
                .csrsi(SSTATUS, 2);  // SIE, to see it move into SPIE
        dropTo(a, PRIV_U).label("call").ecall().wfi()
                .label("s_trap").csrr(A0, SCAUSE).csrr(A1, SEPC).csrr(A2, SSTATUS).ecall();
        runToTrap(a, TrapCause.ECALL_FROM_S);
        assertEquals(TrapCause.ECALL_FROM_U, x(A0));
        assertEquals(a.address("call"), x(A1));
        assertEquals(MSTATUS_SPIE, x(A2) & (MSTATUS_SIE | MSTATUS_SPIE | MSTATUS_SPP), "SPP = U, SPIE = old SIE");
    }

    @Test
    void delegationDoesNotApplyToTrapsTakenInMachineMode() {
        Asm a = program().li(T0, -1L).csrw(MEDELEG, T0).la(T0, "s_trap").csrw(STVEC, T0)
                .ebreak().wfi()
                .label("s_trap").wfi();
        runToTrap(a, TrapCause.BREAKPOINT);
    }

    @Test
    void delegatedPageOrAccessFaultsSetStval() {
        Asm a = program().li(T0, 1L << TrapCause.LOAD_ACCESS_FAULT).csrw(MEDELEG, T0)
                .la(T0, "s_trap").csrw(STVEC, T0);
        dropTo(a, PRIV_S).li(S0, UNMAPPED).ld(A0, 0, S0).wfi()
                .label("s_trap").csrr(A1, STVAL).csrr(A2, SSTATUS).ecall();
        runToTrap(a, TrapCause.ECALL_FROM_S);
        assertEquals(UNMAPPED, x(A1));
        assertEquals(MSTATUS_SPP, x(A2) & MSTATUS_SPP, "SPP = S");
    }

    @Test
    void exceptionsGoToTheBaseEvenInVectoredMode() {
        Asm a = program().la(T0, "handler").ori(T0, T0, 1).csrw(MTVEC, T0)
                .ecall().wfi()
                .align(4).label("handler").wfi();
        execute(a);
        assertEquals(a.address("handler") + 4, hart.pc());
        assertEquals(TrapCause.ECALL_FROM_M, reg("mcause"));
    }
}
