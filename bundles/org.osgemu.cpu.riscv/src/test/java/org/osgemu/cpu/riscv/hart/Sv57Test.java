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
 * Sv57: five-level walks, pages up to 256 TiB, the 57-bit canonical rule. Linux 6.1 probes
 * Sv57 first and runs on it wherever satp accepts it (as QEMU's rv64 CPU does).
 */
class Sv57Test extends HartTest {

    private static final long V = 1, R = 2, W = 4, X = 8, A = 64, D = 128;
    private static final long ROOT = TestMachine.RAM_BASE + 0x40000;
    private static final long L3 = ROOT + 0x1000;
    private static final long L2 = ROOT + 0x2000;
    private static final long L1 = ROOT + 0x3000;
    private static final long L0 = ROOT + 0x4000;
    private static final long SATP_SV57 = (10L << 60) | (ROOT >>> 12);

    private static final long PAGE = 0xC020_0000L;                      // 4 KiB page -> DATA
    private static final long BIT_47_SET = 0x0000_8000_0000_0000L;      // 512 GiB page -> physical 0
    private static final long PETAPAGE = 0x0001_0000_0000_0000L;        // 256 TiB page -> physical 0
    private static final long MISALIGNED_PETAPAGE = 0x0002_0000_0000_0000L;
    private static final long HIGH_HALF = 0xFF00_0000_0000_0000L;       // 256 TiB page -> physical 0

    private static long pte(long pa, long flags) {
        return (pa >>> 12) << 10 | flags;
    }

    private void setPte(long table, int index, long value) {
        machine.writeRam(table + 8L * index, value, 8);
    }

    @BeforeEach
    void pageTables() {
        setPte(ROOT, 0, pte(L3, V));
        setPte(L3, 0, pte(L2, V));
        setPte(L2, 2, pte(TestMachine.RAM_BASE, V | R | W | X | A | D)); // the code, identity-mapped
        setPte(L2, 3, pte(L1, V));
        setPte(L1, 1, pte(L0, V));
        setPte(L0, 0, pte(DATA, V | R | W | A | D));
        setPte(L3, 256, pte(0, V | R | W | A | D));
        setPte(ROOT, 1, pte(0, V | R | W | A | D));
        setPte(ROOT, 2, pte(TestMachine.RAM_BASE, V | R | A));
        setPte(ROOT, 256, pte(0, V | R | A));
        machine.writeRam(DATA, 0x5757, 8);
    }

    private Asm supervisor() {
        return dropTo(program().li(T0, SATP_SV57).csrw(SATP, T0), PRIV_S);
    }

    @Test
    void fiveLevelWalksReachPagesOfEverySize() {
        run(supervisor()
                .li(S0, PAGE).ld(A0, 0, S0)
                .li(S0, BIT_47_SET + DATA).ld(A1, 0, S0)
                .li(S0, PETAPAGE + DATA).ld(A2, 0, S0)
                .li(S0, HIGH_HALF + DATA).ld(A3, 0, S0)
                .wfi());
        assertEquals(0x5757, x(A0), "4 KiB page through five levels");
        assertEquals(0x5757, x(A1), "an address Sv48 would call non-canonical");
        assertEquals(0x5757, x(A2), "256 TiB page");
        assertEquals(0x5757, x(A3), "the upper half of the 57-bit space");
    }

    @Test
    void addressesThatAreNotSignExtendedFromBit56Fault() {
        runToTrap(supervisor().li(S0, 0x0100_0000_0000_0000L).ld(A0, 0, S0).wfi(), TrapCause.LOAD_PAGE_FAULT);
        assertEquals(0x0100_0000_0000_0000L, reg("mtval"));
    }

    @Test
    void misalignedPetapagesFault() {
        runToTrap(supervisor().li(S0, MISALIGNED_PETAPAGE + DATA).ld(A0, 0, S0).wfi(), TrapCause.LOAD_PAGE_FAULT);
        assertEquals(MISALIGNED_PETAPAGE + DATA, reg("mtval"));
    }
}
