package org.osgemu.cpu.riscv.hart;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.osgemu.cpu.riscv.hart.Csr.*;
import static org.osgemu.cpu.riscv.testing.Asm.*;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.osgemu.cpu.riscv.testing.Asm;
import org.osgemu.cpu.riscv.testing.HartTest;
import org.osgemu.cpu.riscv.testing.TestMachine;

/**
 * The page-fault rules of Sv39 not covered by {@link Sv39Test}: reserved PTE bits (Svpbmt and
 * Svnapot are not implemented), reserved bits of pointer PTEs, misaligned gigapages, the cause
 * and xtval of every access kind (atomics, instructions that straddle a page), A/D updates,
 * and the U-bit, SUM and MXR rules for U-mode and MPRV.
 */
class PageFaultTest extends HartTest {

    private static final long V = 1, R = 2, W = 4, X = 8, U = 16, A = 64, D = 128;
    private static final long ROOT = TestMachine.RAM_BASE + 0x20000;
    private static final long L1 = ROOT + 0x1000;
    private static final long L0 = ROOT + 0x2000;
    private static final long SATP_SV39 = (8L << 60) | (ROOT >>> 12);
    private static final long USER_ALIAS = 0xC000_0000L - TestMachine.RAM_BASE;

    private static final long RW_PAGE = 0x4000_0000L;        // DATA, A = D = 0
    private static final long CODE_PAGE = 0x4000_1000L;      // DATA + 0x1000, R W X
    private static final long HOLE = 0x4000_2000L;           // invalid
    private static final long EXEC_ONLY = 0x4000_3000L;      // DATA + 0x3000, X
    private static final long ODD_PAGE = 0x4000_4000L;       // set by each test
    private static final long USER_DATA = 0x4000_5000L;      // DATA + 0x5000, U R W
    private static final long USER_EXEC_ONLY = 0x4000_6000L; // DATA + 0x6000, U X
    private static final long ODD_POINTER = 0x4040_0000L;    // L1[2], set by each test
    private static final long MISALIGNED_GIGAPAGE = 0x1_0000_0000L;

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
        setPte(ROOT, 1, pte(L1, V));
        setPte(ROOT, 2, pte(TestMachine.RAM_BASE, V | R | W | X | A | D));
        setPte(ROOT, 3, pte(TestMachine.RAM_BASE, V | R | W | X | U | A | D));
        setPte(ROOT, 4, pte(TestMachine.RAM_BASE + 0x20_0000, V | R | A)); // 2 MiB-aligned only
        setPte(L1, 0, pte(L0, V));
        setPte(L0, 0, pte(DATA, V | R | W));
        setPte(L0, 1, pte(DATA + 0x1000, V | R | W | X | A | D));
        setPte(L0, 3, pte(DATA + 0x3000, V | X | A));
        setPte(L0, 5, pte(DATA + 0x5000, V | R | W | U | A | D));
        setPte(L0, 6, pte(DATA + 0x6000, V | X | U | A));
        machine.writeRam(DATA, 0x1010, 8);
        machine.writeRam(DATA + 0x3000, 0x3030, 8);
        machine.writeRam(DATA + 0x5000, 0x5050, 8);
        machine.writeRam(DATA + 0x6000, 0x6060, 8);
    }

    private Asm supervisor() {
        return dropTo(program().li(T0, SATP_SV39).csrw(SATP, T0), PRIV_S);
    }

    /** A program that enables Sv39 and jumps to U-mode code at the user alias of the RAM. */
    private Asm user(long mstatusBits) {
        Asm a = program().li(T0, SATP_SV39).csrw(SATP, T0)
                .li(T0, MSTATUS_MPP).csrc(MSTATUS, T0);
        if (mstatusBits != 0) {
            a.li(T0, mstatusBits).csrs(MSTATUS, T0);
        }
        return a.la(T0, "user").li(T1, USER_ALIAS).add(T0, T0, T1).csrw(MEPC, T0).mret().label("user");
    }

    @ParameterizedTest(name = "bit {0}")
    @ValueSource(ints = {54, 60, 61, 62, 63})
    void reservedLeafBitsFault(int bit) {
        setPte(L0, 4, pte(DATA, V | R | W | A | D) | (1L << bit));
        runToTrap(supervisor().li(S0, ODD_PAGE).ld(A0, 0, S0).wfi(), TrapCause.LOAD_PAGE_FAULT);
        assertEquals(ODD_PAGE, reg("mtval"));
    }

    @ParameterizedTest(name = "flags 0x{0}")
    @ValueSource(longs = {A, D, U, 1L << 61, 1L << 63})
    void reservedBitsOfPointerPtesFault(long flags) {
        setPte(L1, 2, pte(L0, V) | flags);
        runToTrap(supervisor().li(S0, ODD_POINTER).ld(A0, 0, S0).wfi(), TrapCause.LOAD_PAGE_FAULT);
        assertEquals(ODD_POINTER, reg("mtval"));
    }

    @Test
    void aPointerWithoutReservedBitsWorks() {
        setPte(L1, 2, pte(L0, V));
        run(supervisor().li(S0, ODD_POINTER).ld(A0, 0, S0).wfi());
        assertEquals(0x1010, x(A0));
    }

    @Test
    void misalignedGigapagesFault() {
        runToTrap(supervisor().li(S0, MISALIGNED_GIGAPAGE).ld(A0, 0, S0).wfi(), TrapCause.LOAD_PAGE_FAULT);
        assertEquals(MISALIGNED_GIGAPAGE, reg("mtval"));
    }

    @Test
    void atomicsFaultAsLoadsOrStores() {
        runToTrap(supervisor().li(S0, HOLE + 8).lr_d(A0, S0).wfi(), TrapCause.LOAD_PAGE_FAULT);
        assertEquals(HOLE + 8, reg("mtval"));
        runToTrap(supervisor().li(S0, HOLE + 16).sc_d(A0, A1, S0).wfi(), TrapCause.STORE_PAGE_FAULT);
        assertEquals(HOLE + 16, reg("mtval"));
        runToTrap(supervisor().li(S0, EXEC_ONLY).amoswap_w(A0, A1, S0).wfi(), TrapCause.STORE_PAGE_FAULT);
        assertEquals(EXEC_ONLY, reg("mtval"));
    }

    @Test
    void anInstructionStraddlingIntoAnInvalidPageFaultsAtTheSecondPage() {
        // A 32-bit NOP whose upper half would be the first bytes of the invalid page.
        machine.writeRam(DATA + 0x1FFE, 0x0013, 2);
        runToTrap(supervisor().li(S0, CODE_PAGE + 0xFFE).jalr(ZERO, S0, 0).wfi(), TrapCause.INSTRUCTION_PAGE_FAULT);
        assertEquals(CODE_PAGE + 0xFFE, reg("mepc"), "epc is the instruction");
        assertEquals(HOLE, reg("mtval"), "tval is the part that faulted");
    }

    @Test
    void loadsSetAccessedAndLaterStoresSetDirty() {
        run(supervisor().li(S0, RW_PAGE).ld(A0, 0, S0).wfi());
        assertEquals(A, pteAt(L0, 0) & (A | D));
        run(supervisor().li(S0, RW_PAGE).ld(A0, 0, S0).sd(A0, 8, S0).wfi());
        assertEquals(A | D, pteAt(L0, 0) & (A | D), "the store walks again although the load entry is cached");
    }

    @Test
    void fetchesSetAccessed() {
        setPte(L0, 4, pte(DATA + 0x4000, V | X));
        machine.writeRam(DATA + 0x4000, 0x10500073, 4); // wfi
        run(supervisor().li(S0, ODD_PAGE).jalr(ZERO, S0, 0));
        assertEquals(A, pteAt(L0, 4) & (A | D));
    }

    @Test
    void faultingAccessesLeaveAccessedAndDirtyAlone() {
        setPte(L0, 4, pte(DATA + 0x4000, V | R));
        runToTrap(supervisor().li(S0, ODD_PAGE).sd(A0, 0, S0).wfi(), TrapCause.STORE_PAGE_FAULT);
        assertEquals(0, pteAt(L0, 4) & (A | D));
    }

    @Test
    void userModeCannotExecuteSupervisorPages() {
        // from the user alias to the same code through the supervisor identity mapping
        Asm a = user(0).la(S0, "target").li(T1, USER_ALIAS).sub(S0, S0, T1).jalr(ZERO, S0, 0).label("target").wfi();
        runToTrap(a, TrapCause.INSTRUCTION_PAGE_FAULT);
        assertEquals(a.address("target"), reg("mtval"), "the identity mapping is a supervisor page");
    }

    @Test
    void userModeIgnoresSumButHonoursMxr() {
        runToTrap(user(MSTATUS_SUM).li(S0, RW_PAGE).ld(A0, 0, S0).wfi(), TrapCause.LOAD_PAGE_FAULT);
        runToTrap(user(0).li(S0, USER_EXEC_ONLY).ld(A0, 0, S0).wfi(), TrapCause.LOAD_PAGE_FAULT);
        runToTrap(user(MSTATUS_MXR).li(S0, USER_EXEC_ONLY).ld(A0, 0, S0).li(S1, USER_DATA).ld(A1, 0, S1).ecall(),
                TrapCause.ECALL_FROM_U);
        assertEquals(0x6060, x(A0));
        assertEquals(0x5050, x(A1));
    }

    @Test
    void mxrDoesNotMakeExecuteOnlyPagesWritable() {
        Asm a = supervisor().li(T0, MSTATUS_MXR).csrs(SSTATUS, T0).li(S0, EXEC_ONLY).ld(A0, 0, S0).sd(A0, 8, S0).wfi();
        runToTrap(a, TrapCause.STORE_PAGE_FAULT);
        assertEquals(0x3030, x(A0));
        assertEquals(EXEC_ONLY + 8, reg("mtval"));
    }

    @Test
    void supervisorLoadsFromUserPagesFollowSumEachTime() {
        // SUM toggled back and forth: each access is judged with the SUM of its moment.
        Asm a = supervisor().li(S0, USER_DATA).li(T0, MSTATUS_SUM)
                .csrs(SSTATUS, T0).ld(A0, 0, S0)
                .csrc(SSTATUS, T0).label("denied").ld(A1, 0, S0).wfi();
        runToTrap(a, TrapCause.LOAD_PAGE_FAULT);
        assertEquals(0x5050, x(A0));
        assertEquals(a.address("denied"), reg("mepc"));
    }

    @Test
    void mprvWithUserMppAppliesUserRules() {
        Asm a = program().li(T0, SATP_SV39).csrw(SATP, T0)
                .li(T0, MSTATUS_MPP).csrc(MSTATUS, T0).li(T0, MSTATUS_MPRV).csrs(MSTATUS, T0)
                .li(S0, USER_DATA).ld(A0, 0, S0)
                .li(S1, RW_PAGE).label("denied").ld(A1, 0, S1).wfi();
        runToTrap(a, TrapCause.LOAD_PAGE_FAULT);
        assertEquals(0x5050, x(A0));
        assertEquals(a.address("denied"), reg("mepc"));
        assertEquals(RW_PAGE, reg("mtval"));
    }
}
