package org.osgemu.cpu.riscv.hart;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.osgemu.cpu.riscv.hart.Csr.*;
import static org.osgemu.cpu.riscv.testing.Asm.*;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.osgemu.cpu.riscv.testing.Asm;
import org.osgemu.cpu.riscv.testing.HartTest;
import org.osgemu.cpu.riscv.testing.TestMachine;

/**
 * Sv39 translation: gigapages, megapages and 4 KiB pages, A/D updates, the permission rules
 * with SUM and MXR, MPRV, and the three page-fault causes.
 */
class Sv39Test extends HartTest {

    private static final long PTE_V = 1, PTE_R = 2, PTE_W = 4, PTE_X = 8, PTE_U = 16, PTE_A = 64, PTE_D = 128;
    private static final long ROOT = TestMachine.RAM_BASE + 0x20000;
    private static final long L1 = ROOT + 0x1000;
    private static final long L0 = ROOT + 0x2000;
    private static final long SATP_SV39 = (8L << 60) | (ROOT >>> 12);

    /** RAM seen through the supervisor identity gigapage at root[2]; code runs there. */
    private static final long USER_ALIAS = 0xC000_0000L - TestMachine.RAM_BASE; // root[3]: U gigapage
    private static final long RW_PAGE = 0x4000_0000L;     // DATA, R/W, A = D = 0 initially
    private static final long USER_PAGE = 0x4000_1000L;   // DATA + 0x1000, U R W
    private static final long EXEC_PAGE = 0x4000_2000L;   // DATA + 0x2000, X only
    private static final long INVALID_PAGE = 0x4000_3000L;
    private static final long READ_PAGE = 0x4000_4000L;   // DATA + 0x4000, R only
    private static final long MEGAPAGE = 0x4020_0000L;    // RAM_BASE as a 2 MiB page
    private static final long BAD_MEGAPAGE = 0x4040_0000L;

    private static long pte(long pa, long flags) {
        return (pa >>> 12) << 10 | flags;
    }

    private void setPte(long table, int index, long value) {
        machine.writeRam(table + 8L * index, value, 8);
    }

    private long pteAt(long table, int index) {
        return machine.readRam(table + 8L * index, 8);
    }

    @BeforeEach
    void pageTables() {
        setPte(ROOT, 1, pte(L1, PTE_V));
        setPte(ROOT, 2, pte(TestMachine.RAM_BASE, PTE_V | PTE_R | PTE_W | PTE_X | PTE_A | PTE_D));
        setPte(ROOT, 3, pte(TestMachine.RAM_BASE, PTE_V | PTE_R | PTE_W | PTE_X | PTE_U | PTE_A | PTE_D));
        setPte(ROOT, 4, pte(TestMachine.RAM_BASE, PTE_V | PTE_W));                      // W without R
        setPte(ROOT, 5, pte(TestMachine.RAM_BASE, PTE_V | PTE_R | PTE_A) | (1L << 63));      // reserved bit
        setPte(L1, 0, pte(L0, PTE_V));
        setPte(L1, 1, pte(TestMachine.RAM_BASE, PTE_V | PTE_R | PTE_W | PTE_A | PTE_D));
        setPte(L1, 2, pte(TestMachine.RAM_BASE + 0x1000, PTE_V | PTE_R | PTE_A));           // misaligned megapage
        setPte(L0, 0, pte(DATA, PTE_V | PTE_R | PTE_W));
        setPte(L0, 1, pte(DATA + 0x1000, PTE_V | PTE_R | PTE_W | PTE_U | PTE_A | PTE_D));
        setPte(L0, 2, pte(DATA + 0x2000, PTE_V | PTE_X | PTE_A));
        setPte(L0, 4, pte(DATA + 0x4000, PTE_V | PTE_R | PTE_A));
        machine.writeRam(DATA, 0x1111, 8);
        machine.writeRam(DATA + 0x1000, 0x2222, 8);
        machine.writeRam(DATA + 0x2000, 0x3333, 8);
        machine.writeRam(DATA + 0x4000, 0x5555, 8);
    }

    /** A program that turns on Sv39 and continues in S-mode. */
    private Asm supervisor() {
        Asm a = program().li(T0, SATP_SV39).csrw(SATP, T0);
        return dropTo(a, PRIV_S);
    }

    @Test
    void loadsAndStoresGoThroughFourKilobytePagesAndSuperpages() {
        run(supervisor().li(S0, RW_PAGE).ld(A0, 0, S0)
                .li(A1, 0x77).sd(A1, 8, S0)
                .li(S1, MEGAPAGE + (DATA - TestMachine.RAM_BASE)).ld(A2, 8, S1)
                .wfi());
        assertEquals(0x1111, x(A0));
        assertEquals(0x77, machine.readRam(DATA + 8, 8));
        assertEquals(0x77, x(A2));
    }

    @Test
    void accessedAndDirtyBitsAreSetByHardware() {
        run(supervisor().li(S0, RW_PAGE).ld(A0, 0, S0).wfi());
        assertEquals(PTE_A, pteAt(L0, 0) & (PTE_A | PTE_D), "a load sets A only");
        run(supervisor().li(S0, RW_PAGE).sd(A0, 0, S0).wfi());
        assertEquals(PTE_A | PTE_D, pteAt(L0, 0) & (PTE_A | PTE_D), "a store sets A and D");
    }

    @Test
    void pageFaultsForEachAccessType() {
        runToTrap(supervisor().li(S0, INVALID_PAGE).ld(A0, 16, S0).wfi(), TrapCause.LOAD_PAGE_FAULT);
        assertEquals(INVALID_PAGE + 16, reg("mtval"));

        runToTrap(supervisor().li(S0, READ_PAGE).sw(A0, 4, S0).wfi(), TrapCause.STORE_PAGE_FAULT);
        assertEquals(READ_PAGE + 4, reg("mtval"));
        assertEquals(0x5555, machine.readRam(DATA + 0x4000, 8));

        runToTrap(supervisor().li(S0, READ_PAGE).amoadd_d(A0, A1, S0).wfi(), TrapCause.STORE_PAGE_FAULT);

        runToTrap(supervisor().li(S0, RW_PAGE).jalr(ZERO, S0, 0).wfi(), TrapCause.INSTRUCTION_PAGE_FAULT);
        assertEquals(RW_PAGE, reg("mtval"));
        assertEquals(RW_PAGE, reg("mepc"));
    }

    @Test
    void malformedPtesAndAddressesFault() {
        runToTrap(supervisor().li(S0, 0x1_0000_0000L).ld(A0, 0, S0).wfi(), TrapCause.LOAD_PAGE_FAULT);
        runToTrap(supervisor().li(S0, 0x1_4000_0000L).ld(A0, 0, S0).wfi(), TrapCause.LOAD_PAGE_FAULT);
        runToTrap(supervisor().li(S0, BAD_MEGAPAGE).ld(A0, 0, S0).wfi(), TrapCause.LOAD_PAGE_FAULT);
        // bit 39 differs from bit 38: not a canonical Sv39 address
        runToTrap(supervisor().li(S0, 0x80_8000_0000L).ld(A0, 0, S0).wfi(), TrapCause.LOAD_PAGE_FAULT);
        assertEquals(0x80_8000_0000L, reg("mtval"));
    }

    @Test
    void supervisorAccessToUserPagesNeedsSum() {
        runToTrap(supervisor().li(S0, USER_PAGE).ld(A0, 0, S0).wfi(), TrapCause.LOAD_PAGE_FAULT);
        run(supervisor().li(T0, MSTATUS_SUM).csrs(SSTATUS, T0).li(S0, USER_PAGE).ld(A0, 0, S0).wfi());
        assertEquals(0x2222, x(A0));
        // executing user code in S-mode faults even with SUM
        Asm exec = supervisor().li(T0, MSTATUS_SUM).csrs(SSTATUS, T0)
                .la(S0, "target").li(T4, USER_ALIAS).add(S0, S0, T4).jalr(ZERO, S0, 0)
                .label("target").wfi();
        runToTrap(exec, TrapCause.INSTRUCTION_PAGE_FAULT);
        assertEquals(exec.address("target") + USER_ALIAS, reg("mtval"));
    }

    @Test
    void mxrMakesExecuteOnlyPagesReadable() {
        runToTrap(supervisor().li(S0, EXEC_PAGE).ld(A0, 0, S0).wfi(), TrapCause.LOAD_PAGE_FAULT);
        run(supervisor().li(T0, MSTATUS_MXR).csrs(SSTATUS, T0).li(S0, EXEC_PAGE).ld(A0, 0, S0).wfi());
        assertEquals(0x3333, x(A0));
    }

    @Test
    void userModeRunsOnUserPagesOnly() {
        // U code at the user alias of the RAM; it reads a user page, then a supervisor page
        Asm a = program().li(T0, SATP_SV39).csrw(SATP, T0);
        a.li(T5, 3L << 11).csrc(MSTATUS, T5)
                .la(T5, "user").li(T4, USER_ALIAS).add(T5, T5, T4).csrw(MEPC, T5).mret()
                .label("user").li(S0, 0xC000_0000L + (DATA + 0x1000 - TestMachine.RAM_BASE)).ld(A0, 0, S0)
                .li(S1, RW_PAGE).label("denied").ld(A1, 0, S1)
                .wfi();
        runToTrap(a, TrapCause.LOAD_PAGE_FAULT);
        assertEquals(0x2222, x(A0));
        assertEquals(RW_PAGE, reg("mtval"));
        assertEquals(a.address("denied") + USER_ALIAS, reg("mepc"));
    }

    @Test
    void mprvTranslatesMachineModeLoadsAndStoresWithMpp() {
        run(program().li(T0, SATP_SV39).csrw(SATP, T0)
                .li(T0, (1L << 11) | MSTATUS_MPRV).csrs(MSTATUS, T0)
                .li(S0, RW_PAGE).ld(A0, 0, S0)
                .li(T0, MSTATUS_MPRV).csrc(MSTATUS, T0)
                .li(S1, DATA).ld(A1, 0, S1)
                .wfi());
        assertEquals(0x1111, x(A0));
        assertEquals(0x1111, x(A1));
    }

    @Test
    void machineModeIgnoresSatp() {
        run(program().li(T0, SATP_SV39).csrw(SATP, T0).li(S0, DATA).ld(A0, 0, S0).wfi());
        assertEquals(0x1111, x(A0));
    }

    @Test
    void sfenceVmaMakesPageTableChangesVisible() {
        // remap RW_PAGE to DATA + 0x4000 between two loads
        run(supervisor().li(S0, RW_PAGE).ld(A0, 0, S0)
                .li(S1, L0).li(T0, pte(DATA + 0x4000, PTE_V | PTE_R | PTE_A)).sd(T0, 0, S1)
                .sfence_vma(ZERO, ZERO)
                .ld(A1, 0, S0)
                .wfi());
        assertEquals(0x1111, x(A0));
        assertEquals(0x5555, x(A1));
    }

    @Test
    void satpWritesFlushOldTranslations() {
        run(supervisor().li(S0, RW_PAGE).ld(A0, 0, S0)
                .li(S1, L0).li(T0, pte(DATA + 0x4000, PTE_V | PTE_R | PTE_A)).sd(T0, 0, S1)
                .li(T0, SATP_SV39).csrw(SATP, T0)
                .ld(A1, 0, S0)
                .wfi());
        assertEquals(0x5555, x(A1));
    }

    @Test
    void delegatedPageFaultsReachTheSupervisorWithStval() {
        Asm a = program().li(T0, 1L << TrapCause.LOAD_PAGE_FAULT).csrw(MEDELEG, T0)
                .la(T0, "s_trap").csrw(STVEC, T0)
                .li(T0, SATP_SV39).csrw(SATP, T0);
        dropTo(a, PRIV_S).li(S0, INVALID_PAGE).ld(A0, 0, S0).wfi()
                .label("s_trap").csrr(A1, SCAUSE).csrr(A2, STVAL).ecall();
        runToTrap(a, TrapCause.ECALL_FROM_S);
        assertEquals(TrapCause.LOAD_PAGE_FAULT, x(A1));
        assertEquals(INVALID_PAGE, x(A2));
    }
}
