package org.osgemu.cpu.riscv.hart;

import static org.osgemu.cpu.riscv.hart.Csr.*;

import org.osgemu.api.memory.BusErrorException;

/**
 * The Sv39, Sv48 and Sv57 page-table walks (privileged manual 1.12, sections 4.3.2, 4.4, 4.5
 * and 4.6): three, four or five levels of 512 eight-byte PTEs, 4 KiB pages and superpages
 * (2 MiB, 1 GiB and, with more levels, 512 GiB and 256 TiB), the permission rules with SUM
 * and MXR, and hardware update of the A and D bits (compare-and-set, so harts sharing a page
 * table agree).
 *
 * <p>Page faults: a non-canonical address, V = 0, W without R, any of the bits 54..63 set
 * (Svpbmt's PBMT and Svnapot's N are not implemented, so they are reserved), D, A or U in a
 * pointer PTE, a pointer at the last level, a permission the PTE does not give, and a
 * misaligned superpage. The walk's own memory accesses are checked by PMP as S-mode loads
 * (PTE reads) and stores (A/D updates); a failure, or a bus error, is an access fault of the
 * original access type. Every fault carries the virtual address in xtval.
 */
final class PageTableWalker {

    static final long PTE_V = 1, PTE_R = 2, PTE_W = 4, PTE_X = 8, PTE_U = 16, PTE_G = 32, PTE_A = 64, PTE_D = 128;
    private static final long PPN_MASK = (1L << 44) - 1;

    private static final int[] PAGE_FAULT = {
        TrapCause.INSTRUCTION_PAGE_FAULT, TrapCause.LOAD_PAGE_FAULT, TrapCause.STORE_PAGE_FAULT};
    private static final int[] ACCESS_FAULT = {
        TrapCause.INSTRUCTION_ACCESS_FAULT, TrapCause.LOAD_ACCESS_FAULT, TrapCause.STORE_ACCESS_FAULT};

    /** Returned by {@link #walk} when a PTE changed while setting A/D; no physical address is all ones. */
    private static final long RETRY = -1;

    private final CsrFile csr;
    private final PhysicalMemory memory;
    private final Pmp pmp;
    private final RiscvTrap trap;

    /** log2 of the size of the leaf page the last successful walk found (12, 21, 30, 39 or 48). */
    int leafShift;
    /** Whether the last successful walk went through a PTE with G set (a global mapping). */
    boolean global;

    PageTableWalker(CsrFile csr, PhysicalMemory memory, Pmp pmp, RiscvTrap trap) {
        this.csr = csr;
        this.memory = memory;
        this.pmp = pmp;
        this.trap = trap;
    }

    /** The access fault of access {@code type} ({@link Mmu#FETCH}, {@link Mmu#LOAD}, {@link Mmu#STORE}). */
    static int accessFault(int type) {
        return ACCESS_FAULT[type];
    }

    /**
     * Translates {@code va} for an access of {@code type} at privilege {@code priv} under the
     * current satp (Sv39, Sv48 or Sv57); sets {@link #leafShift} and {@link #global}.
     */
    long translate(long va, int type, int priv) {
        int levels = (int) (csr.satp >>> 60) - (int) SATP_MODE_SV39 + 3; // 3, 4 or 5: writeSatp admits no other mode
        int unused = 64 - (12 + 9 * levels);
        if ((va << unused) >> unused != va) {
            throw pageFault(type, va); // the bits above the top VA bit must all equal it
        }
        long pa;
        do {
            pa = walk(va, type, priv, levels);
        } while (pa == RETRY);
        return pa;
    }

    private long walk(long va, int type, int priv, int levels) {
        long tableAddress = (csr.satp & PPN_MASK) << 12;
        boolean globalSoFar = false;
        for (int level = levels - 1; level >= 0; level--) {
            long pteAddress = tableAddress + ((va >>> (12 + 9 * level)) & 0x1FF) * 8;
            long pte = readPte(pteAddress, type, va);
            if ((pte & PTE_V) == 0 || (pte & (PTE_R | PTE_W)) == PTE_W || (pte >>> 54) != 0) {
                throw pageFault(type, va);
            }
            globalSoFar |= (pte & PTE_G) != 0;
            long ppn = (pte >>> 10) & PPN_MASK;
            if ((pte & (PTE_R | PTE_X)) == 0) {
                if ((pte & (PTE_A | PTE_D | PTE_U)) != 0) {
                    throw pageFault(type, va); // reserved in pointer PTEs
                }
                tableAddress = ppn << 12;
                continue;
            }
            checkPermission(pte, type, priv, va);
            if ((ppn & ((1L << (9 * level)) - 1)) != 0) {
                throw pageFault(type, va); // misaligned superpage
            }
            long needed = PTE_A | (type == Mmu.STORE ? PTE_D : 0);
            if ((pte & needed) != needed && !setAccessedDirty(pteAddress, pte, pte | needed, type, va)) {
                return RETRY;
            }
            leafShift = 12 + 9 * level;
            global = globalSoFar;
            long offsetMask = (1L << leafShift) - 1;
            return ((ppn << 12) & ~offsetMask) | (va & offsetMask);
        }
        throw pageFault(type, va); // a pointer at the last level
    }

    private void checkPermission(long pte, int type, int priv, long va) {
        boolean allowed = switch (type) {
            case Mmu.FETCH -> (pte & PTE_X) != 0;
            case Mmu.LOAD -> (pte & PTE_R) != 0 || ((csr.mstatus & MSTATUS_MXR) != 0 && (pte & PTE_X) != 0);
            default -> (pte & PTE_W) != 0;
        };
        boolean userPage = (pte & PTE_U) != 0;
        if (priv == PRIV_U) {
            allowed &= userPage;
        } else if (userPage) {
            // S-mode may touch user pages only for loads and stores, and only with SUM
            allowed &= type != Mmu.FETCH && (csr.mstatus & MSTATUS_SUM) != 0;
        }
        if (!allowed) {
            throw pageFault(type, va);
        }
    }

    private long readPte(long address, int type, long va) {
        if (!pmp.allows(address, 8, Mmu.LOAD, PRIV_S)) {
            throw trap.raise(ACCESS_FAULT[type], va);
        }
        try {
            return memory.read(address, 8);
        } catch (BusErrorException e) {
            throw trap.raise(ACCESS_FAULT[type], va);
        }
    }

    /** Sets A (and D) in the PTE if it still holds {@code expected}; false when it changed meanwhile. */
    private boolean setAccessedDirty(long address, long expected, long updated, int type, long va) {
        if (!pmp.allows(address, 8, Mmu.STORE, PRIV_S)) {
            throw trap.raise(ACCESS_FAULT[type], va);
        }
        PhysicalMemory.RamRange r = memory.ram(address, 8);
        try {
            if (r != null && r.writable()) {
                long offset = r.segmentOffset(address);
                if (!PhysicalMemory.ATOMIC_LONG.compareAndSet(r.segment(), offset, expected, updated)) {
                    return false;
                }
                r.block().markDirty(offset, 8);
                return true;
            }
            memory.write(address, updated, 8);
            return true;
        } catch (BusErrorException e) {
            throw trap.raise(ACCESS_FAULT[type], va);
        }
    }

    private RiscvTrap pageFault(int type, long va) {
        return trap.raise(PAGE_FAULT[type], va);
    }
}
