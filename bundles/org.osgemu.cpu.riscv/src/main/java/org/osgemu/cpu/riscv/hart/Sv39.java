package org.osgemu.cpu.riscv.hart;

import static org.osgemu.cpu.riscv.hart.Csr.*;

import org.osgemu.api.memory.BusErrorException;

/**
 * The Sv39 page-table walk (privileged manual 4.3.2 and 4.4): three levels of 512 eight-byte
 * PTEs, 4 KiB pages and 2 MiB / 1 GiB superpages, permission checks with SUM and MXR, and
 * hardware update of the A and D bits (atomically, so harts sharing a page table agree).
 */
final class Sv39 {

    static final long PTE_V = 1, PTE_R = 2, PTE_W = 4, PTE_X = 8, PTE_U = 16, PTE_A = 64, PTE_D = 128;
    private static final long PPN_MASK = (1L << 44) - 1;

    private static final int[] PAGE_FAULT = {
        TrapCause.INSTRUCTION_PAGE_FAULT, TrapCause.LOAD_PAGE_FAULT, TrapCause.STORE_PAGE_FAULT};
    private static final int[] ACCESS_FAULT = {
        TrapCause.INSTRUCTION_ACCESS_FAULT, TrapCause.LOAD_ACCESS_FAULT, TrapCause.STORE_ACCESS_FAULT};

    private final CsrFile csr;
    private final PhysicalMemory memory;
    private final RiscvTrap trap;

    Sv39(CsrFile csr, PhysicalMemory memory, RiscvTrap trap) {
        this.csr = csr;
        this.memory = memory;
        this.trap = trap;
    }

    static int accessFault(int type) {
        return ACCESS_FAULT[type];
    }

    /**
     * Translates {@code va} for an access of {@code type} ({@link Mmu#FETCH}, {@link Mmu#LOAD},
     * {@link Mmu#STORE}) at privilege {@code priv}; raises a page fault of the access type, or
     * an access fault when a PTE cannot be read.
     */
    long translate(long va, int type, int priv) {
        if ((va << 25) >> 25 != va) {
            throw pageFault(type, va); // bits 63..39 must all equal bit 38
        }
        long pa;
        do {
            pa = walk(va, type, priv);
        } while (pa == RETRY);
        return pa;
    }

    /** Returned by {@link #walk} when a PTE changed while setting A/D; no physical address is all ones. */
    private static final long RETRY = -1;

    private long walk(long va, int type, int priv) {
        long tableAddress = (csr.satp & PPN_MASK) << 12;
        for (int level = 2; level >= 0; level--) {
            long pteAddress = tableAddress + ((va >>> (12 + 9 * level)) & 0x1FF) * 8;
            long pte = readPte(pteAddress, type, va);
            if ((pte & PTE_V) == 0 || (pte & (PTE_R | PTE_W)) == PTE_W || (pte >>> 54) != 0) {
                throw pageFault(type, va);
            }
            long ppn = (pte >>> 10) & PPN_MASK;
            if ((pte & (PTE_R | PTE_X)) == 0) {
                if ((pte & (PTE_A | PTE_D | PTE_U)) != 0) {
                    throw pageFault(type, va); // reserved in non-leaf PTEs
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
            long offsetMask = (1L << (12 + 9 * level)) - 1;
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
        try {
            return memory.read(address, 8);
        } catch (BusErrorException e) {
            throw trap.raise(ACCESS_FAULT[type], va);
        }
    }

    /** Sets A (and D) in the PTE if it still holds {@code expected}; false when it changed meanwhile. */
    private boolean setAccessedDirty(long address, long expected, long updated, int type, long va) {
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
