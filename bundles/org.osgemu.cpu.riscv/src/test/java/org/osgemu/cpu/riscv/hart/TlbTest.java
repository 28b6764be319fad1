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
 * What the TLB keeps and what it drops: SFENCE.VMA by address and by ASID, global mappings,
 * satp writes with another ASID, superpages, and privilege changes (which keep everything).
 *
 * <p>Each test changes a PTE without a fence and then shows, by reading the page, whether the
 * old translation is still cached: using a stale translation until the fence is what the
 * architecture allows, so these tests pin down which entries survive which operation.
 */
class TlbTest extends HartTest {

    private static final long V = 1, R = 2, W = 4, X = 8, U = 16, G = 32, A = 64, D = 128;
    private static final long ROOT = TestMachine.RAM_BASE + 0x20000;
    private static final long L1 = ROOT + 0x1000;
    private static final long L0 = ROOT + 0x2000;
    private static final long PAGE_A = 0x4000_0000L;        // L0[0] -> DATA
    private static final long PAGE_B = 0x4000_1000L;        // L0[1] -> DATA + 0x1000
    private static final long GLOBAL_PAGE = 0x4000_2000L;   // L0[2] -> DATA + 0x2000, G
    private static final long MEGAPAGE = 0x4020_0000L;      // L1[1] -> RAM
    private static final long REMAPPED = pte(DATA + 0x4000, V | R | W | A | D);

    private static long pte(long pa, long flags) {
        return (pa >>> 12) << 10 | flags;
    }

    private static long satp(long asid) {
        return (8L << 60) | (asid << 44) | (ROOT >>> 12);
    }

    private void setPte(long table, int index, long value) {
        machine.writeRam(table + 8L * index, value, 8);
    }

    @BeforeEach
    void pageTables() {
        setPte(ROOT, 1, pte(L1, V));
        setPte(ROOT, 2, pte(TestMachine.RAM_BASE, V | R | W | X | A | D));
        setPte(L1, 0, pte(L0, V));
        setPte(L1, 1, pte(TestMachine.RAM_BASE, V | R | W | A | D));
        setPte(L0, 0, pte(DATA, V | R | W | A | D));
        setPte(L0, 1, pte(DATA + 0x1000, V | R | W | A | D));
        setPte(L0, 2, pte(DATA + 0x2000, V | R | W | G | A | D));
        machine.writeRam(DATA, 0x1111, 8);
        machine.writeRam(DATA + 0x1000, 0x2222, 8);
        machine.writeRam(DATA + 0x2000, 0x3333, 8);
        machine.writeRam(DATA + 0x4000, 0x5555, 8);
    }

    /** S-mode under Sv39 with ASID 1; s2 holds L0's address, s3 the remapped PTE. */
    private Asm supervisor() {
        Asm a = program().li(T0, satp(1)).csrw(SATP, T0);
        return dropTo(a, PRIV_S).li(S2, L0).li(S3, REMAPPED);
    }

    /** Emits: PTE {@code index} of L0 now points at DATA + 0x4000 (no fence). */
    private static Asm remap(Asm a, int index) {
        return a.sd(S3, 8 * index, S2);
    }

    @Test
    void aFenceForAnotherAsidKeepsTheCurrentAddressSpace() {
        Asm a = supervisor().li(S0, PAGE_A).ld(A0, 0, S0);
        remap(a, 0).li(T0, 2).sfence_vma(ZERO, T0).ld(A1, 0, S0)
                .li(T0, 1).sfence_vma(ZERO, T0).ld(A2, 0, S0).wfi();
        run(a);
        assertEquals(0x1111, x(A1), "ASID 2's fence left ASID 1's entry");
        assertEquals(0x5555, x(A2), "ASID 1's fence dropped it");
    }

    @Test
    void aFenceForTheCurrentAsidKeepsGlobalMappings() {
        Asm a = supervisor().li(S0, PAGE_A).ld(A0, 0, S0).li(S1, GLOBAL_PAGE).ld(A0, 0, S1);
        remap(remap(a, 0), 2).li(T0, 1).sfence_vma(ZERO, T0).ld(A1, 0, S0).ld(A2, 0, S1)
                .sfence_vma(ZERO, ZERO).ld(A3, 0, S1).wfi();
        run(a);
        assertEquals(0x5555, x(A1));
        assertEquals(0x3333, x(A2), "global mappings survive a fence by ASID");
        assertEquals(0x5555, x(A3), "a fence of every address space drops them");
    }

    @Test
    void aFenceByAddressDropsOnlyThatPage() {
        Asm a = supervisor().li(S0, PAGE_A).ld(A0, 0, S0).li(S1, PAGE_B).ld(A0, 0, S1);
        remap(remap(a, 0), 1).addi(T0, S0, 0x7F8).sfence_vma(T0, ZERO).ld(A1, 0, S0).ld(A2, 0, S1).wfi();
        run(a);
        assertEquals(0x5555, x(A1));
        assertEquals(0x2222, x(A2));
    }

    @Test
    void aFenceByAddressAndAsidKeepsAGlobalPage() {
        Asm a = supervisor().li(S1, GLOBAL_PAGE).ld(A0, 0, S1);
        remap(a, 2).li(T0, 1).sfence_vma(S1, T0).ld(A1, 0, S1).sfence_vma(S1, ZERO).ld(A2, 0, S1).wfi();
        run(a);
        assertEquals(0x3333, x(A1));
        assertEquals(0x5555, x(A2));
    }

    @Test
    void aFenceByAddressDropsEveryPieceOfASuperpage() {
        long first = MEGAPAGE + (DATA - TestMachine.RAM_BASE);
        Asm a = supervisor().li(S0, first).ld(A0, 0, S0).li(S1, first + 0x1000).ld(A1, 0, S1)
                .li(T0, L1 + 8).sd(ZERO, 0, T0)   // the megapage is gone
                .sfence_vma(S0, ZERO)              // fenced through its first page only
                .label("gone").ld(A2, 0, S1).wfi();
        runToTrap(a, TrapCause.LOAD_PAGE_FAULT);
        assertEquals(0x1111, x(A0));
        assertEquals(0x2222, x(A1));
        assertEquals(a.address("gone"), reg("mepc"));
        assertEquals(first + 0x1000, reg("mtval"));
    }

    @Test
    void switchingToAnotherAsidDropsNonGlobalEntriesOnly() {
        Asm a = supervisor().li(S0, PAGE_A).ld(A0, 0, S0).li(S1, GLOBAL_PAGE).ld(A0, 0, S1);
        remap(remap(a, 0), 2).li(T0, satp(2)).csrw(SATP, T0).ld(A1, 0, S0).ld(A2, 0, S1).wfi();
        run(a);
        assertEquals(0x5555, x(A1));
        assertEquals(0x3333, x(A2));
    }

    @Test
    void trapsAndReturnsKeepTheTlb() {
        // An M-mode handler that skips the ECALL and returns; S-mode reads again afterwards.
        Asm a = program().la(T0, "m_return").csrw(MTVEC, T0).li(T0, satp(1)).csrw(SATP, T0);
        dropTo(a, PRIV_S).li(S2, L0).li(S3, REMAPPED).li(S0, PAGE_A).ld(A0, 0, S0);
        remap(a, 0).ecall().ld(A1, 0, S0).sfence_vma(ZERO, ZERO).ld(A2, 0, S0).wfi()
                .label("m_return").csrr(T0, MEPC).addi(T0, T0, 4).csrw(MEPC, T0).mret();
        run(a);
        assertEquals(0x1111, x(A1), "the trap and MRET left the entry in place");
        assertEquals(0x5555, x(A2));
    }

    @Test
    void aSupervisorEntryIsNotUsedForUserAccesses() {
        // PAGE_A, cached by S-mode, has no U bit: U-mode (code at a user alias of the RAM) is refused.
        long userAlias = 0xC000_0000L - TestMachine.RAM_BASE;
        setPte(ROOT, 3, pte(TestMachine.RAM_BASE, V | R | W | X | U | A | D));
        Asm a = supervisor().li(S0, PAGE_A).ld(A0, 0, S0)
                .li(T0, MSTATUS_SPP).csrc(SSTATUS, T0)
                .la(T0, "user").li(T1, userAlias).add(T0, T0, T1).csrw(SEPC, T0).sret()
                .label("user").ld(A1, 0, S0).wfi();
        runToTrap(a, TrapCause.LOAD_PAGE_FAULT);
        assertEquals(0x1111, x(A0));
        assertEquals(PAGE_A, reg("mtval"));
        assertEquals(a.address("user") + userAlias, reg("mepc"));
    }
}
