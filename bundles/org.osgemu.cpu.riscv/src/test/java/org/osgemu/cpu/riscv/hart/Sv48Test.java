package org.osgemu.cpu.riscv.hart;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.osgemu.cpu.riscv.hart.Csr.*;
import static org.osgemu.cpu.riscv.testing.Asm.*;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.osgemu.cpu.riscv.testing.Asm;
import org.osgemu.cpu.riscv.testing.HartTest;
import org.osgemu.cpu.riscv.testing.TestMachine;

/** Sv48: four-level walks, pages of every size up to 512 GiB, the 48-bit canonical rule. */
class Sv48Test extends HartTest {

    private static final long V = 1, R = 2, W = 4, X = 8, G = 32, A = 64, D = 128;
    private static final long ROOT = TestMachine.RAM_BASE + 0x40000;
    private static final long L2 = ROOT + 0x1000;
    private static final long L1 = ROOT + 0x2000;
    private static final long L0 = ROOT + 0x3000;
    private static final long L2_HIGH = ROOT + 0x4000;
    private static final long SATP_SV48 = (9L << 60) | (ROOT >>> 12);
    private static final long OFFSET = DATA - TestMachine.RAM_BASE;

    private static final long PAGE = 0xC020_0000L;              // 4 KiB page -> DATA, A = D = 0
    private static final long MEGAPAGE = 0xC000_0000L;          // 2 MiB page -> RAM
    private static final long TERAPAGE = 0x80_0000_0000L;       // 512 GiB page -> physical 0
    private static final long MISALIGNED_TERAPAGE = 0x100_0000_0000L;
    private static final long HIGH_HALF = 0xFFFF_8000_0000_0000L; // 1 GiB global page -> RAM
    private static final long POINTER_AT_LEVEL_0 = 0xC020_1000L;

    private static long pte(long pa, long flags) {
        return (pa >>> 12) << 10 | flags;
    }

    private void setPte(long table, int index, long value) {
        machine.writeRam(table + 8L * index, value, 8);
    }

    @BeforeEach
    void pageTables() {
        setPte(ROOT, 0, pte(L2, V));
        setPte(L2, 2, pte(TestMachine.RAM_BASE, V | R | W | X | A | D)); // the code, identity-mapped
        setPte(L2, 3, pte(L1, V));
        setPte(L1, 0, pte(TestMachine.RAM_BASE, V | R | W | A | D));
        setPte(L1, 1, pte(L0, V));
        setPte(L0, 0, pte(DATA, V | R | W));
        setPte(L0, 1, pte(DATA, V));
        setPte(ROOT, 1, pte(0, V | R | W | A | D));
        setPte(ROOT, 2, pte(TestMachine.RAM_BASE, V | R | A));
        setPte(ROOT, 256, pte(L2_HIGH, V));
        setPte(L2_HIGH, 0, pte(TestMachine.RAM_BASE, V | R | W | G | A | D));
        machine.writeRam(DATA, 0x4848, 8);
    }

    private Asm supervisor() {
        return dropTo(program().li(T0, SATP_SV48).csrw(SATP, T0), PRIV_S);
    }

    @Test
    void fourLevelWalksReachPagesOfEverySize() {
        run(supervisor()
                .li(S0, PAGE).ld(A0, 0, S0)
                .li(S0, MEGAPAGE + OFFSET).ld(A1, 0, S0)
                .li(S0, DATA).ld(A2, 0, S0)
                .li(S0, TERAPAGE + DATA).ld(A3, 0, S0)
                .li(S0, HIGH_HALF + OFFSET).ld(A4, 0, S0)
                .wfi());
        assertEquals(0x4848, x(A0), "4 KiB page");
        assertEquals(0x4848, x(A1), "2 MiB page");
        assertEquals(0x4848, x(A2), "1 GiB page");
        assertEquals(0x4848, x(A3), "512 GiB page");
        assertEquals(0x4848, x(A4), "the upper half of the address space");
    }

    @Test
    void storesSetAccessedAndDirtyInTheLastLevel() {
        run(supervisor().li(S0, PAGE).li(A0, 5).sd(A0, 8, S0).wfi());
        assertEquals(A | D, machine.readRam(L0, 8) & (A | D));
        assertEquals(5, machine.readRam(DATA + 8, 8));
    }

    @Test
    void addressesThatAreNotSignExtendedFromBit47Fault() {
        runToTrap(supervisor().li(S0, 0x0000_8000_0000_0000L).ld(A0, 0, S0).wfi(), TrapCause.LOAD_PAGE_FAULT);
        assertEquals(0x0000_8000_0000_0000L, reg("mtval"));
        runToTrap(supervisor().li(S0, 0xFFFF_0000_0000_1000L).sd(A0, 0, S0).wfi(), TrapCause.STORE_PAGE_FAULT);
        assertEquals(0xFFFF_0000_0000_1000L, reg("mtval"));
    }

    @Test
    void misalignedTerapagesFault() {
        runToTrap(supervisor().li(S0, MISALIGNED_TERAPAGE + DATA).ld(A0, 0, S0).wfi(), TrapCause.LOAD_PAGE_FAULT);
        assertEquals(MISALIGNED_TERAPAGE + DATA, reg("mtval"));
    }

    @Test
    void aPointerInTheLastLevelFaults() {
        runToTrap(supervisor().li(S0, POINTER_AT_LEVEL_0).ld(A0, 0, S0).wfi(), TrapCause.LOAD_PAGE_FAULT);
        assertEquals(POINTER_AT_LEVEL_0, reg("mtval"));
    }

    @Test
    void sv39ModeDoesNotSeeTheFourthLevel() {
        // The same root read as Sv39 (through MPRV with MPP = S): 0x80_0000_0000 is not canonical there.
        Asm a = program().li(T0, (8L << 60) | (ROOT >>> 12)).csrw(SATP, T0)
                .li(T0, (1L << 11) | MSTATUS_MPRV).csrs(MSTATUS, T0)
                .li(S0, TERAPAGE + DATA).ld(A0, 0, S0).wfi();
        runToTrap(a, TrapCause.LOAD_PAGE_FAULT);
        assertEquals(TERAPAGE + DATA, reg("mtval"));
    }
}
