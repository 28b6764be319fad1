package org.osgemu.cpu.riscv.hart;

import static org.osgemu.cpu.riscv.hart.Csr.*;

import java.lang.foreign.MemorySegment;
import java.util.Arrays;

import org.osgemu.api.memory.BusErrorException;
import org.osgemu.api.memory.RamBlock;

/**
 * Virtual memory of one hart: instruction fetch, loads, stores and the A-extension atomics,
 * with address translation (Bare, or Sv39/Sv48/Sv57 below M-mode, by the {@link PageTableWalker}),
 * physical memory protection ({@link Pmp}) and a software TLB.
 *
 * <p>The TLB caches, per virtual page and access type, the physical page, the PMP answer and,
 * when the whole page is RAM the access may use without further checks, the RAM segment: the
 * common access is then a tag compare and a segment read. Pages whose PMP answer differs within
 * the page, MMIO and ROM (for stores) take the slow path, which checks each access.
 *
 * <p>It is split into banks, one per translation context: M-mode, S-mode with SUM clear,
 * S-mode with SUM set, U-mode (data accesses pick theirs by the effective privilege, MPRV
 * included). Traps, xRET and SUM toggles only switch banks, so a system call keeps both the
 * kernel's and the process's entries. Entries are dropped when what they were computed from
 * changes: satp writes drop the non-global entries of the S/U banks (all of them when the mode
 * changes), MXR changes drop the S/U banks, PMP changes and new flat views drop everything.
 * SFENCE.VMA drops what its operands select; the banks hold only entries of the current ASID
 * and global ones, so a fence for another ASID has nothing to drop.
 *
 * <p>Misaligned loads, stores and atomics raise address-misaligned exceptions; M-mode firmware
 * emulates them for S-mode, as on much real hardware.
 */
final class Mmu {

    static final int FETCH = 0, LOAD = 1, STORE = 2;

    private static final int TLB_SIZE = 256;
    private static final int TLB_MASK = TLB_SIZE - 1;
    private static final int BANK_M = 0, BANK_S = 1, BANK_S_SUM = 2, BANK_U = 3, BANKS = 4;
    /** A bank has one set of entries per access type: set number = bank * 3 + type. */
    private static final int SETS = BANKS * 3;
    /** The sets of the S/U banks, which translation changes concern. */
    private static final int FIRST_TRANSLATED_SET = BANK_S * 3;
    private static final int PAGE_SIZE = 4096;
    private static final long PAGE_OFFSET = PAGE_SIZE - 1;

    /** Entry flags: bits 0..5 hold the leaf page's shift above 12 (0, 9, 18, 27, 36). */
    private static final int SHIFT_MASK = 0x3F, GLOBAL = 1 << 8, PMP_EACH_ACCESS = 1 << 9;

    /** Virtual page number per entry, -1 when empty; [set][index]. */
    private final long[][] tag = new long[SETS][TLB_SIZE];
    private final long[][] physicalPage = new long[SETS][TLB_SIZE];
    /** RAM the access may use directly, or null (MMIO, holes, ROM for stores, mixed PMP): then the slow path. */
    private final MemorySegment[][] segment = new MemorySegment[SETS][TLB_SIZE];
    /** Segment offset = virtual address + delta. */
    private final long[][] delta = new long[SETS][TLB_SIZE];
    private final RamBlock[][] block = new RamBlock[SETS][TLB_SIZE];
    private final int[][] flags = new int[SETS][TLB_SIZE];

    private final CsrFile csr;
    private final PhysicalMemory memory;
    private final Pmp pmp;
    private final PageTableWalker walker;
    private final RiscvTrap trap;

    // The current context: each access type's set, and its arrays for the fast paths (a context
    // switch swaps array references, so a hit costs what a single-bank TLB's would).
    private int fetchSet;
    private int loadSet;
    private int storeSet;
    private long[] fetchTag;
    private MemorySegment[] fetchSegment;
    private long[] fetchDelta;
    private long[] loadTag;
    private MemorySegment[] loadSegment;
    private long[] loadDelta;
    private long[] storeTag;
    private MemorySegment[] storeSegment;
    private long[] storeDelta;
    private RamBlock[] storeBlock;
    private long activeSatp;
    private boolean activeMxr;
    /** Whether a superpage entry may be cached in the S/U banks (address fences must then scan). */
    private boolean superpagesCached;

    /**
     * Counts changes of what instruction fetch sees: translation, privilege, protection, the
     * flat view. The interpreter keeps the page it executes from while this stays the same.
     */
    int codeEpoch;

    /** Physical address of the LR reservation, or -1. */
    private long reservedAddress = -1;
    private long reservedValue;
    private int reservedSize;

    Mmu(CsrFile csr, PhysicalMemory memory, Pmp pmp, RiscvTrap trap) {
        this.csr = csr;
        this.memory = memory;
        this.pmp = pmp;
        this.trap = trap;
        this.walker = new PageTableWalker(csr, memory, pmp, trap);
        flush();
    }

    // ---- context and invalidation -----------------------------------------------------------

    /** Drops every entry of every bank and takes the current context (PMP change, new flat view, reset). */
    void flush() {
        codeEpoch++;
        for (long[] t : tag) {
            Arrays.fill(t, -1L);
        }
        superpagesCached = false;
        activeSatp = csr.satp;
        activeMxr = (csr.mstatus & MSTATUS_MXR) != 0;
        contextChanged();
    }

    /**
     * Picks the banks for the current privilege, MPRV/MPP and SUM; drops the S/U banks when
     * MXR changed. Called after traps, xRET and mstatus writes: cheap when nothing changed.
     */
    void contextChanged() {
        codeEpoch++;
        boolean mxr = (csr.mstatus & MSTATUS_MXR) != 0;
        if (mxr != activeMxr) {
            activeMxr = mxr;
            flushTranslated(false);
        }
        boolean sum = (csr.mstatus & MSTATUS_SUM) != 0;
        fetchSet = bank(csr.priv, false) * 3 + FETCH;
        int data = bank(csr.dataPrivilege(), sum) * 3;
        loadSet = data + LOAD;
        storeSet = data + STORE;
        fetchTag = tag[fetchSet];
        fetchSegment = segment[fetchSet];
        fetchDelta = delta[fetchSet];
        loadTag = tag[loadSet];
        loadSegment = segment[loadSet];
        loadDelta = delta[loadSet];
        storeTag = tag[storeSet];
        storeSegment = segment[storeSet];
        storeDelta = delta[storeSet];
        storeBlock = block[storeSet];
    }

    /** Fetches need no SUM bank: S-mode never executes user pages. */
    private static int bank(int priv, boolean sum) {
        return switch (priv) {
            case PRIV_M -> BANK_M;
            case PRIV_S -> sum ? BANK_S_SUM : BANK_S;
            default -> BANK_U;
        };
    }

    /**
     * satp was written: the S/U entries of the old address space go, except global ones when
     * the mode stayed the same (global mappings exist in every address space).
     */
    void satpWritten() {
        codeEpoch++;
        long satp = csr.satp;
        flushTranslated((satp >>> 60) == (activeSatp >>> 60));
        activeSatp = satp;
    }

    /**
     * SFENCE.VMA: {@code byAddress} limits it to the page holding {@code va}, {@code byAsid} to
     * address space {@code asid} and keeps global mappings (privileged manual 4.2.1).
     */
    void fence(long va, long asid, boolean byAddress, boolean byAsid) {
        codeEpoch++;
        if (byAsid && ((asid ^ (csr.satp >>> SATP_ASID_SHIFT)) & SATP_ASID_BITS_MASK) != 0) {
            return; // only the current ASID's entries and global ones are cached
        }
        if (!byAddress) {
            flushTranslated(byAsid);
            return;
        }
        long vpn = va >>> 12;
        int slot = (int) vpn & TLB_MASK;
        for (int set = FIRST_TRANSLATED_SET; set < SETS; set++) {
            long[] t = tag[set];
            if (t[slot] == vpn && !(byAsid && (flags[set][slot] & GLOBAL) != 0)) {
                t[slot] = -1;
            }
        }
        if (superpagesCached) {
            // 4 KiB pieces of a superpage holding va sit at other indexes
            for (int set = FIRST_TRANSLATED_SET; set < SETS; set++) {
                long[] t = tag[set];
                int[] f = flags[set];
                for (int i = 0; i < TLB_SIZE; i++) {
                    int shift = f[i] & SHIFT_MASK;
                    if (shift != 0 && t[i] != -1 && (t[i] >>> shift) == (vpn >>> shift)
                            && !(byAsid && (f[i] & GLOBAL) != 0)) {
                        t[i] = -1;
                    }
                }
            }
        }
    }

    /** Drops the S/U banks' entries, except the global ones when {@code keepGlobal}. */
    private void flushTranslated(boolean keepGlobal) {
        for (int set = FIRST_TRANSLATED_SET; set < SETS; set++) {
            long[] t = tag[set];
            if (!keepGlobal) {
                Arrays.fill(t, -1L);
                continue;
            }
            int[] f = flags[set];
            for (int i = 0; i < TLB_SIZE; i++) {
                if ((f[i] & GLOBAL) == 0) {
                    t[i] = -1;
                }
            }
        }
        superpagesCached &= keepGlobal;
    }

    void clearReservation() {
        reservedAddress = -1;
    }

    // ---- fetch ----------------------------------------------------------------------------

    /**
     * The instruction at {@code pc}: a 32-bit word, or a compressed instruction in the low 16
     * bits (upper bits zero). A 32-bit instruction may straddle two pages.
     */
    int fetch(long pc) {
        long vpn = pc >>> 12;
        int i = (int) vpn & TLB_MASK;
        MemorySegment s = fetchSegment[i];
        if (fetchTag[i] == vpn && s != null && (pc & PAGE_OFFSET) <= PAGE_SIZE - 4) {
            int word = s.get(PhysicalMemory.INT, pc + fetchDelta[i]);
            return (word & 3) == 3 ? word : word & 0xFFFF;
        }
        int low = fetchParcel(pc);
        return (low & 3) != 3 ? low : low | fetchParcel(pc + 2) << 16;
    }

    /**
     * The guest-physical page number of {@code pc} when instructions may be fetched from all
     * of that page without further checks (the fetch TLB entry has a segment: RAM or ROM, one
     * PMP answer for the page), else -1. Translates like {@link #fetch} and raises the same faults.
     */
    long codePage(long pc) {
        int i = entry(pc, FETCH);
        return fetchSegment[i] == null ? -1 : physicalPage[fetchSet][i] >>> 12;
    }

    private int fetchParcel(long va) {
        int i = entry(va, FETCH);
        long pa = physicalPage[fetchSet][i] | (va & PAGE_OFFSET);
        checkEachAccess(fetchSet, i, pa, 2, FETCH, va);
        try {
            return (int) memory.read(pa, 2);
        } catch (BusErrorException e) {
            throw trap.raise(TrapCause.INSTRUCTION_ACCESS_FAULT, va);
        }
    }

    // ---- loads and stores ---------------------------------------------------------------

    /** Loads {@code size} (1, 2, 4, 8) bytes at {@code va}, zero-extended. */
    long load(long va, int size) {
        if ((va & (size - 1)) != 0) {
            throw trap.raise(TrapCause.LOAD_MISALIGNED, va);
        }
        long vpn = va >>> 12;
        int i = (int) vpn & TLB_MASK;
        MemorySegment s = loadSegment[i];
        if (loadTag[i] == vpn && s != null) {
            return PhysicalMemory.get(s, va + loadDelta[i], size);
        }
        return loadSlow(va, size);
    }

    private long loadSlow(long va, int size) {
        int i = entry(va, LOAD);
        MemorySegment s = loadSegment[i];
        if (s != null) {
            return PhysicalMemory.get(s, va + loadDelta[i], size);
        }
        long pa = physicalPage[loadSet][i] | (va & PAGE_OFFSET);
        checkEachAccess(loadSet, i, pa, size, LOAD, va);
        try {
            return memory.read(pa, size);
        } catch (BusErrorException e) {
            throw trap.raise(TrapCause.LOAD_ACCESS_FAULT, va);
        }
    }

    /** Stores the low {@code size} bytes of {@code value} at {@code va}. */
    void store(long va, long value, int size) {
        if ((va & (size - 1)) != 0) {
            throw trap.raise(TrapCause.STORE_MISALIGNED, va);
        }
        long vpn = va >>> 12;
        int i = (int) vpn & TLB_MASK;
        MemorySegment s = storeSegment[i];
        if (storeTag[i] == vpn && s != null) {
            long offset = va + storeDelta[i];
            PhysicalMemory.put(s, offset, value, size);
            storeBlock[i].markDirty(offset, size);
            return;
        }
        storeSlow(va, value, size);
    }

    private void storeSlow(long va, long value, int size) {
        int i = entry(va, STORE);
        MemorySegment s = storeSegment[i];
        if (s != null) {
            long offset = va + storeDelta[i];
            PhysicalMemory.put(s, offset, value, size);
            storeBlock[i].markDirty(offset, size);
            return;
        }
        long pa = physicalPage[storeSet][i] | (va & PAGE_OFFSET);
        checkEachAccess(storeSet, i, pa, size, STORE, va);
        try {
            memory.write(pa, value, size);
        } catch (BusErrorException e) {
            throw trap.raise(TrapCause.STORE_ACCESS_FAULT, va);
        }
    }

    // ---- A extension ----------------------------------------------------------------------

    /** LR.W/LR.D: loads (sign-extended for words) and reserves the address. */
    long loadReserved(long va, int size) {
        if ((va & (size - 1)) != 0) {
            throw trap.raise(TrapCause.LOAD_MISALIGNED, va);
        }
        int i = entry(va, LOAD);
        long pa = physicalPage[loadSet][i] | (va & PAGE_OFFSET);
        checkEachAccess(loadSet, i, pa, size, LOAD, va);
        PhysicalMemory.RamRange r = memory.ram(pa, size);
        if (r == null) {
            throw trap.raise(TrapCause.LOAD_ACCESS_FAULT, va); // atomics only on RAM
        }
        long offset = r.segmentOffset(pa);
        long value = size == 4
                ? (int) PhysicalMemory.ATOMIC_INT.getVolatile(r.segment(), offset)
                : (long) PhysicalMemory.ATOMIC_LONG.getVolatile(r.segment(), offset);
        reservedAddress = pa;
        reservedValue = value;
        reservedSize = size;
        return value;
    }

    /**
     * SC.W/SC.D: stores if this hart holds the reservation and memory still holds the value
     * LR read (compare-and-set, so a store by another hart in between makes it fail). Returns
     * 0 on success, 1 on failure, as rd receives. The reservation is gone either way.
     */
    long storeConditional(long va, long value, int size) {
        long pa = atomicAddress(va, size);
        PhysicalMemory.RamRange r = atomicRam(pa, size, va);
        boolean held = reservedAddress == pa && reservedSize == size;
        reservedAddress = -1;
        if (!held) {
            return 1;
        }
        long offset = r.segmentOffset(pa);
        boolean stored = size == 4
                ? PhysicalMemory.ATOMIC_INT.compareAndSet(r.segment(), offset, (int) reservedValue, (int) value)
                : PhysicalMemory.ATOMIC_LONG.compareAndSet(r.segment(), offset, reservedValue, value);
        if (!stored) {
            return 1;
        }
        r.block().markDirty(offset, size);
        return 0;
    }

    /** AMO kinds, in the order of the Op numbers from AMOSWAP. */
    static final int SWAP = 0, ADD = 1, XOR = 2, AND = 3, OR = 4, MIN = 5, MAX = 6, MINU = 7, MAXU = 8;

    /** An AMO of {@code kind}: atomically combines memory with {@code source}; returns the old value (sign-extended for words). */
    long amo(int kind, long va, long source, int size) {
        long pa = atomicAddress(va, size);
        PhysicalMemory.RamRange r = atomicRam(pa, size, va);
        MemorySegment s = r.segment();
        long offset = r.segmentOffset(pa);
        long old;
        if (size == 4) {
            int current;
            do {
                current = (int) PhysicalMemory.ATOMIC_INT.getVolatile(s, offset);
            } while (!PhysicalMemory.ATOMIC_INT.compareAndSet(s, offset, current, combine32(kind, current, (int) source)));
            old = current;
        } else {
            long current;
            do {
                current = (long) PhysicalMemory.ATOMIC_LONG.getVolatile(s, offset);
            } while (!PhysicalMemory.ATOMIC_LONG.compareAndSet(s, offset, current, combine64(kind, current, source)));
            old = current;
        }
        r.block().markDirty(offset, size);
        return old;
    }

    /** SC and AMOs: alignment is checked, then the address is translated and protected as a store. */
    private long atomicAddress(long va, int size) {
        if ((va & (size - 1)) != 0) {
            throw trap.raise(TrapCause.STORE_MISALIGNED, va);
        }
        int i = entry(va, STORE);
        long pa = physicalPage[storeSet][i] | (va & PAGE_OFFSET);
        checkEachAccess(storeSet, i, pa, size, STORE, va);
        return pa;
    }

    /** Atomics work on writable RAM only; elsewhere (MMIO, ROM) they are store/AMO access faults. */
    private PhysicalMemory.RamRange atomicRam(long pa, int size, long va) {
        PhysicalMemory.RamRange r = memory.ram(pa, size);
        if (r == null || !r.writable()) {
            throw trap.raise(TrapCause.STORE_ACCESS_FAULT, va);
        }
        return r;
    }

    private static int combine32(int kind, int m, int s) {
        return switch (kind) {
            case SWAP -> s;
            case ADD -> m + s;
            case XOR -> m ^ s;
            case AND -> m & s;
            case OR -> m | s;
            case MIN -> Math.min(m, s);
            case MAX -> Math.max(m, s);
            case MINU -> Integer.compareUnsigned(m, s) <= 0 ? m : s;
            default -> Integer.compareUnsigned(m, s) >= 0 ? m : s;
        };
    }

    private static long combine64(int kind, long m, long s) {
        return switch (kind) {
            case SWAP -> s;
            case ADD -> m + s;
            case XOR -> m ^ s;
            case AND -> m & s;
            case OR -> m | s;
            case MIN -> Math.min(m, s);
            case MAX -> Math.max(m, s);
            case MINU -> Long.compareUnsigned(m, s) <= 0 ? m : s;
            default -> Long.compareUnsigned(m, s) >= 0 ? m : s;
        };
    }

    // ---- translation and protection ---------------------------------------------------------

    /** The index of the entry for {@code va} in the current set of access {@code type}, filled if absent. */
    private int entry(long va, int type) {
        long vpn = va >>> 12;
        int set = type == FETCH ? fetchSet : type == LOAD ? loadSet : storeSet;
        int i = (int) vpn & TLB_MASK;
        if (tag[set][i] != vpn) {
            fill(set, i, va, type);
        }
        return i;
    }

    /** The privilege an access of {@code type} is translated and protected with: MPP under MPRV for data. */
    private int privilege(int type) {
        return type == FETCH ? csr.priv : csr.dataPrivilege();
    }

    /**
     * Translates {@code va} (a page fault, or an access fault from the walk, is thrown from
     * here), asks PMP about the whole physical page (an access fault if it refuses all of it)
     * and fills entry {@code i} of {@code set}.
     */
    private void fill(int set, int i, long va, int type) {
        int priv = privilege(type);
        long pa = va;
        int entryFlags = 0;
        if (priv != PRIV_M && (csr.satp >>> 60) != SATP_MODE_BARE) {
            pa = walker.translate(va, type, priv);
            entryFlags = (walker.leafShift - 12) | (walker.global ? GLOBAL : 0);
        }
        long page = pa & ~PAGE_OFFSET;
        int protection = pmp.checkPage(page, type, priv);
        if (protection == Pmp.DENY) {
            throw trap.raise(PageTableWalker.accessFault(type), va);
        }
        // before the entry changes: looking the RAM up may wait for a postcopy page, or give up
        PhysicalMemory.RamRange r = protection == Pmp.ALLOW ? memory.ram(page, PAGE_SIZE) : null;
        long vpn = va >>> 12;
        tag[set][i] = vpn;
        physicalPage[set][i] = page;
        if (protection == Pmp.MIXED) {
            entryFlags |= PMP_EACH_ACCESS;
        }
        flags[set][i] = entryFlags;
        superpagesCached |= (entryFlags & SHIFT_MASK) != 0;
        if (r != null && (type != STORE || r.writable())) {
            segment[set][i] = r.segment();
            delta[set][i] = r.segmentOffset(page) - (vpn << 12);
            block[set][i] = r.block();
        } else {
            segment[set][i] = null;
            block[set][i] = null;
        }
    }

    /** For entries whose page PMP does not decide as a whole: checks this access's bytes. */
    private void checkEachAccess(int set, int i, long pa, int size, int type, long va) {
        if ((flags[set][i] & PMP_EACH_ACCESS) != 0 && !pmp.allows(pa, size, type, privilege(type))) {
            throw trap.raise(PageTableWalker.accessFault(type), va);
        }
    }
}
