package org.osgemu.cpu.riscv.hart;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.osgemu.cpu.riscv.hart.Csr.*;
import static org.osgemu.cpu.riscv.testing.Asm.*;

import org.junit.jupiter.api.Test;
import org.osgemu.cpu.riscv.testing.Asm;
import org.osgemu.cpu.riscv.testing.HartTest;
import org.osgemu.cpu.riscv.testing.TestMachine;

/**
 * Physical memory protection: TOR, NA4 and NAPOT matching, R/W/X, priority, partial matches,
 * the no-match rule per privilege, locked entries (M-mode enforcement and CSR protection),
 * MPRV, page-table walks checked as S-mode accesses, and cached answers dropped on changes.
 */
class PmpTest extends HartTest {

    private static final int R = 1, W = 2, X = 4, LOCK = 0x80;
    private static final int TOR = 1 << 3, NA4 = 2 << 3, NAPOT = 3 << 3;
    /** pmpaddr of a NAPOT entry over all of memory. */
    private static final long EVERYTHING = -1L;

    /** pmpaddr of a NAPOT entry over the {@code size} bytes at {@code base} (size a power of two, at least 8). */
    private static long napot(long base, long size) {
        return (base >>> 2) | ((size >>> 3) - 1);
    }

    /** Emits code setting entry {@code entry}'s address and configuration byte (entries 0..7; clobbers t0, t1). */
    private static Asm entry(Asm a, int entry, long address, int cfg) {
        return a.li(T0, address).csrw(PMPADDR0 + entry, T0)
                .li(T0, 0xFFL << (8 * entry)).csrc(PMPCFG0, T0)
                .li(T1, (long) cfg << (8 * entry)).csrs(PMPCFG0, T1);
    }

    @Test
    void napotEntryGrantsOnlyItsPermissions() {
        Asm a = program();
        entry(a, 0, napot(DATA, 0x1000), NAPOT | R);
        entry(a, 1, EVERYTHING, NAPOT | R | W | X);
        dropTo(a, PRIV_S).li(S0, DATA).ld(A0, 0, S0).label("store").sd(A0, 8, S0).wfi();
        machine.writeRam(DATA, 0x1234, 8);
        runToTrap(a, TrapCause.STORE_ACCESS_FAULT);
        assertEquals(0x1234, x(A0), "the load was allowed");
        assertEquals(DATA + 8, reg("mtval"));
        assertEquals(a.address("store"), reg("mepc"));
        assertEquals(0, machine.readRam(DATA + 8, 8), "the store did not happen");
    }

    @Test
    void torEntriesCoverFromThePreviousAddressUpToTheirOwn() {
        Asm a = program();
        entry(a, 0, DATA >>> 2, TOR | R | W | X);            // [0, DATA): code
        entry(a, 1, (DATA + 0x1000) >>> 2, TOR | R);         // [DATA, DATA + 4 KiB): read-only
        entry(a, 2, EVERYTHING, NAPOT | R | W);              // the rest: no execute
        dropTo(a, PRIV_S).li(S0, DATA + 0x1000).sd(S0, 0, S0)  // allowed by entry 2
                .li(S1, DATA).ld(A0, 0, S1)
                .jalr(ZERO, S0, 0)                            // no X in entry 2
                .wfi();
        runToTrap(a, TrapCause.INSTRUCTION_ACCESS_FAULT);
        assertEquals(DATA + 0x1000, reg("mtval"));
        assertEquals(DATA + 0x1000, machine.readRam(DATA + 0x1000, 8));

        Asm store = program();
        entry(store, 0, DATA >>> 2, TOR | R | W | X);
        entry(store, 1, (DATA + 0x1000) >>> 2, TOR | R);
        entry(store, 2, EVERYTHING, NAPOT | R | W);
        dropTo(store, PRIV_S).li(S0, DATA + 0xFF8).sd(S0, 0, S0).wfi();
        runToTrap(store, TrapCause.STORE_ACCESS_FAULT);
        assertEquals(DATA + 0xFF8, reg("mtval"));
    }

    @Test
    void na4EntriesProtectFourBytesOfAPage() {
        Asm a = program();
        entry(a, 0, (DATA + 8) >>> 2, NA4);                  // no permission for DATA+8..11
        entry(a, 1, EVERYTHING, NAPOT | R | W | X);
        dropTo(a, PRIV_S).li(S0, DATA).ld(A0, 0, S0).lw(A1, 12, S0).sw(A1, 4, S0)
                .label("denied").lw(A2, 8, S0).wfi();
        machine.writeRam(DATA, 0x1111, 8);
        machine.writeRam(DATA + 12, 0x2222, 4);
        runToTrap(a, TrapCause.LOAD_ACCESS_FAULT);
        assertEquals(0x1111, x(A0));
        assertEquals(0x2222, x(A1));
        assertEquals(a.address("denied"), reg("mepc"));
        assertEquals(DATA + 8, reg("mtval"));
    }

    @Test
    void anAccessOnlyPartlyInsideTheMatchingEntryFails() {
        Asm a = program();
        entry(a, 0, (DATA + 8) >>> 2, NA4 | R | W);           // allows its 4 bytes...
        entry(a, 1, EVERYTHING, NAPOT | R | W | X);          // ...and so does entry 1
        dropTo(a, PRIV_S).li(S0, DATA + 8).lw(A0, 0, S0).ld(A1, 0, S0).wfi();
        runToTrap(a, TrapCause.LOAD_ACCESS_FAULT);
        assertEquals(DATA + 8, reg("mtval"), "the doubleword overlaps entry 0 only partly");
    }

    @Test
    void theLowestNumberedMatchingEntryDecides() {
        Asm denyFirst = program();
        entry(denyFirst, 0, napot(DATA, 0x1000), NAPOT);
        entry(denyFirst, 1, EVERYTHING, NAPOT | R | W | X);
        dropTo(denyFirst, PRIV_S).li(S0, DATA).ld(A0, 0, S0).wfi();
        runToTrap(denyFirst, TrapCause.LOAD_ACCESS_FAULT);

        Asm allowFirst = program();
        entry(allowFirst, 0, EVERYTHING, NAPOT | R | W | X);
        entry(allowFirst, 1, napot(DATA, 0x1000), NAPOT);
        dropTo(allowFirst, PRIV_S).li(S0, DATA).ld(A0, 0, S0).wfi();
        run(allowFirst);
    }

    @Test
    void supervisorAndUserAccessesMatchingNoEntryFailOnceAnEntryIsActive() {
        Asm a = program();
        entry(a, 0, napot(DATA, 0x1000), NAPOT | R | W | X);
        dropTo(a, PRIV_S).label("first").nop().wfi();
        runToTrap(a, TrapCause.INSTRUCTION_ACCESS_FAULT);
        assertEquals(a.address("first"), reg("mepc"));
        assertEquals(a.address("first"), reg("mtval"));

        Asm user = program();
        entry(user, 0, napot(TestMachine.RAM_BASE, 0x10000), NAPOT | R | W | X);
        dropTo(user, PRIV_U).li(S0, DATA).sd(S0, 0, S0).wfi();
        runToTrap(user, TrapCause.STORE_ACCESS_FAULT);
        assertEquals(DATA, reg("mtval"));

        Asm off = program();
        entry(off, 0, napot(DATA, 0x1000), R); // A = OFF: the entry is inactive
        dropTo(off, PRIV_U).li(S0, DATA).sd(S0, 0, S0).ecall(); // U-mode may not WFI
        runToTrap(off, TrapCause.ECALL_FROM_U);
    }

    @Test
    void machineModeIgnoresUnlockedEntriesButObeysLockedOnes() {
        Asm unlocked = program();
        entry(unlocked, 0, napot(DATA, 0x1000), NAPOT);
        run(unlocked.li(S0, DATA).sd(S0, 0, S0).ld(A0, 0, S0).wfi());
        assertEquals(DATA, x(A0));

        Asm locked = program();
        entry(locked, 0, napot(DATA, 0x1000), NAPOT | R | LOCK);
        locked.li(S0, DATA).ld(A0, 0, S0).label("store").sd(S0, 0, S0).wfi();
        machine.writeRam(DATA, 0x77, 8);
        runToTrap(locked, TrapCause.STORE_ACCESS_FAULT);
        assertEquals(0x77, x(A0));
        assertEquals(locked.address("store"), reg("mepc"));
        assertEquals(0x77, machine.readRam(DATA, 8));
    }

    @Test
    void lockingAnEntryTakesEffectOnTheNextAccess() {
        // The first load fills the TLB with "allowed"; locking the entry must drop that answer.
        Asm a = program();
        entry(a, 0, napot(DATA, 0x1000), NAPOT);
        a.li(S0, DATA).ld(A0, 0, S0)
                .li(T0, NAPOT | LOCK).csrs(PMPCFG0, T0)
                .label("denied").ld(A1, 0, S0).wfi();
        runToTrap(a, TrapCause.LOAD_ACCESS_FAULT);
        assertEquals(a.address("denied"), reg("mepc"));
    }

    @Test
    void lockedEntriesIgnoreWritesToTheirRegistersAndTorLocksTheAddressBelow() {
        Asm a = program();
        entry(a, 0, 0x100, 0);
        entry(a, 1, 0x200, TOR | R | LOCK);
        entry(a, 2, 0x300, 0);
        entry(a, 3, 0x400, NAPOT | R | LOCK);
        a.li(T0, 0x999).csrw(PMPADDR0, T0).csrw(PMPADDR0 + 1, T0).csrw(PMPADDR0 + 2, T0).csrw(PMPADDR0 + 3, T0)
                .csrw(PMPCFG0, ZERO)
                .csrr(A0, PMPADDR0).csrr(A1, PMPADDR0 + 1).csrr(A2, PMPADDR0 + 2).csrr(A3, PMPADDR0 + 3)
                .csrr(A4, PMPCFG0).wfi();
        run(a);
        assertEquals(0x100, x(A0), "pmpaddr0 sits below a locked TOR entry");
        assertEquals(0x200, x(A1), "locked");
        assertEquals(0x999, x(A2), "a locked NAPOT entry does not lock the address below it");
        assertEquals(0x400, x(A3), "locked");
        assertEquals((long) (NAPOT | R | LOCK) << 24 | (long) (TOR | R | LOCK) << 8, x(A4));
    }

    @Test
    void mprvAccessesAreProtectedAsTheirEffectivePrivilege() {
        Asm a = program();
        entry(a, 0, napot(DATA, 0x1000), NAPOT);
        entry(a, 1, EVERYTHING, NAPOT | R | W | X);
        a.li(T0, MSTATUS_MPP).csrc(MSTATUS, T0).li(T0, (1L << 11) | MSTATUS_MPRV).csrs(MSTATUS, T0)
                .li(S0, DATA).label("load").ld(A0, 0, S0).wfi();
        runToTrap(a, TrapCause.LOAD_ACCESS_FAULT);
        assertEquals(a.address("load"), reg("mepc"));
    }

    // ---- page-table walks ---------------------------------------------------------------------

    private static final long ROOT = TestMachine.RAM_BASE + 0x20000;
    /** The lower-level tables sit in their own 8 KiB, which PMP may close while the root stays open. */
    private static final long L1 = ROOT + 0x2000;
    private static final long L0 = ROOT + 0x3000;
    private static final long VA = 0x4000_0000L;

    private static long pte(long pa, long flags) {
        return (pa >>> 12) << 10 | flags;
    }

    /** Sv39: RAM identity-mapped by a gigapage (code), VA -> DATA through three levels, A clear. */
    private Asm translatedSupervisor(int tablesCfg) {
        machine.writeRam(ROOT + 8 * 2, pte(TestMachine.RAM_BASE, 0xCF), 8);
        machine.writeRam(ROOT + 8 * 1, pte(L1, 1), 8);
        machine.writeRam(L1, pte(L0, 1), 8);
        machine.writeRam(L0, pte(DATA, 0x07), 8); // V R W, A = D = 0
        machine.writeRam(DATA, 0x4242, 8);
        Asm a = program();
        entry(a, 0, napot(L1, 0x2000), NAPOT | tablesCfg);
        entry(a, 1, EVERYTHING, NAPOT | R | W | X);
        a.li(T0, (8L << 60) | (ROOT >>> 12)).csrw(SATP, T0);
        return dropTo(a, PRIV_S);
    }

    @Test
    void pageTableReadsAreCheckedAsSupervisorLoads() {
        Asm a = translatedSupervisor(0);
        runToTrap(a.li(S0, VA + 16).ld(A0, 0, S0).wfi(), TrapCause.LOAD_ACCESS_FAULT);
        assertEquals(VA + 16, reg("mtval"));

        Asm store = translatedSupervisor(0);
        runToTrap(store.li(S0, VA).sd(A0, 0, S0).wfi(), TrapCause.STORE_ACCESS_FAULT);

        Asm fetch = translatedSupervisor(0);
        runToTrap(fetch.li(S0, VA).jalr(ZERO, S0, 0).wfi(), TrapCause.INSTRUCTION_ACCESS_FAULT);
        assertEquals(VA, reg("mtval"));
    }

    @Test
    void accessedBitUpdatesAreCheckedAsSupervisorStores() {
        Asm a = translatedSupervisor(R); // tables readable, not writable: setting A is refused
        runToTrap(a.li(S0, VA).ld(A0, 0, S0).wfi(), TrapCause.LOAD_ACCESS_FAULT);
        assertEquals(VA, reg("mtval"));
        assertEquals(0, machine.readRam(L0, 8) & 0x40, "A stayed clear");

        Asm writable = translatedSupervisor(R | W);
        run(writable.li(S0, VA).ld(A0, 0, S0).wfi());
        assertEquals(0x4242, x(A0));
        assertEquals(0x40, machine.readRam(L0, 8) & 0xC0, "A set, D clear");
    }
}
