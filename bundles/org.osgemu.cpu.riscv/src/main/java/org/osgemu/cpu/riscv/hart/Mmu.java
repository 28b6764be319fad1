package org.osgemu.cpu.riscv.hart;

import static org.osgemu.cpu.riscv.hart.Csr.*;

import java.lang.foreign.MemorySegment;
import java.util.Arrays;

import org.osgemu.api.memory.BusErrorException;
import org.osgemu.api.memory.RamBlock;

/**
 * Virtual memory of one hart: instruction fetch, loads, stores and the A-extension atomics,
 * with address translation (Bare, or {@link Sv39} below M-mode) and a software TLB.
 *
 * <p>The TLB is direct-mapped, one set per access type, and caches for each virtual page its
 * physical page and, when the whole page is RAM (writable RAM for stores), the RAM segment, so
 * the common access is a tag compare and a segment read. Entries are filled with the
 * permissions of the moment, so they are dropped whenever those change: satp, SFENCE.VMA,
 * privilege changes, mstatus.MPRV/MPP/SUM/MXR, and a new flat view of the address space.
 *
 * <p>Misaligned loads, stores and atomics raise address-misaligned exceptions; M-mode firmware
 * emulates them for S-mode, as on much real hardware.
 */
final class Mmu {

    static final int FETCH = 0, LOAD = 1, STORE = 2;

    private static final int TLB_SIZE = 256;
    private static final int TLB_MASK = TLB_SIZE - 1;
    private static final int PAGE_SIZE = 4096;
    private static final long PAGE_OFFSET = PAGE_SIZE - 1;

    /** Virtual page number per entry, -1 when empty; entries of type t start at t * TLB_SIZE. */
    private final long[] tag = new long[3 * TLB_SIZE];
    private final long[] physicalPage = new long[3 * TLB_SIZE];
    /** RAM behind the page, or null (MMIO, holes, ROM for stores): then the slow path. */
    private final MemorySegment[] segment = new MemorySegment[3 * TLB_SIZE];
    /** Segment offset = virtual address + delta. */
    private final long[] delta = new long[3 * TLB_SIZE];
    private final RamBlock[] block = new RamBlock[3 * TLB_SIZE];

    private final CsrFile csr;
    private final PhysicalMemory memory;
    private final Sv39 sv39;
    private final RiscvTrap trap;

    /** Physical address of the LR reservation, or -1. */
    private long reservedAddress = -1;
    private long reservedValue;
    private int reservedSize;

    Mmu(CsrFile csr, PhysicalMemory memory, RiscvTrap trap) {
        this.csr = csr;
        this.memory = memory;
        this.trap = trap;
        this.sv39 = new Sv39(csr, memory, trap);
        flush();
    }

    /** Drops every TLB entry. */
    void flush() {
        Arrays.fill(tag, -1L);
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
        MemorySegment s = segment[i];
        if (tag[i] == vpn && s != null && (pc & PAGE_OFFSET) <= PAGE_SIZE - 4) {
            int word = s.get(PhysicalMemory.INT, pc + delta[i]);
            return (word & 3) == 3 ? word : word & 0xFFFF;
        }
        int low = fetchParcel(pc);
        return (low & 3) != 3 ? low : low | fetchParcel(pc + 2) << 16;
    }

    private int fetchParcel(long va) {
        long pa = physical(va, FETCH);
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
        int i = LOAD * TLB_SIZE + ((int) vpn & TLB_MASK);
        MemorySegment s = segment[i];
        if (tag[i] == vpn && s != null) {
            return PhysicalMemory.get(s, va + delta[i], size);
        }
        long pa = physical(va, LOAD);
        s = segment[i];
        if (s != null) {
            return PhysicalMemory.get(s, va + delta[i], size);
        }
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
        int i = STORE * TLB_SIZE + ((int) vpn & TLB_MASK);
        if (tag[i] != vpn) {
            physical(va, STORE);
        }
        MemorySegment s = segment[i];
        if (s != null) {
            long offset = va + delta[i];
            PhysicalMemory.put(s, offset, value, size);
            block[i].markDirty(offset, size);
            return;
        }
        try {
            memory.write(physicalPage[i] | (va & PAGE_OFFSET), value, size);
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
        long pa = physical(va, LOAD);
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

    /** SC and AMOs: alignment is checked, then the address is translated as a store. */
    private long atomicAddress(long va, int size) {
        if ((va & (size - 1)) != 0) {
            throw trap.raise(TrapCause.STORE_MISALIGNED, va);
        }
        return physical(va, STORE);
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

    // ---- translation ----------------------------------------------------------------------

    /** The physical address of {@code va} for an access of {@code type}, from the TLB or a fresh translation. */
    private long physical(long va, int type) {
        long vpn = va >>> 12;
        int i = type * TLB_SIZE + ((int) vpn & TLB_MASK);
        if (tag[i] == vpn) {
            return physicalPage[i] | (va & PAGE_OFFSET);
        }
        int priv = type == FETCH ? csr.priv : csr.dataPrivilege();
        long pa = priv == PRIV_M || (csr.satp >>> 60) != SATP_MODE_SV39 ? va : sv39.translate(va, type, priv);
        fill(i, type, vpn, pa & ~PAGE_OFFSET);
        return pa;
    }

    private void fill(int i, int type, long vpn, long page) {
        tag[i] = vpn;
        physicalPage[i] = page;
        PhysicalMemory.RamRange r = memory.ram(page, PAGE_SIZE);
        if (r != null && (type != STORE || r.writable())) {
            segment[i] = r.segment();
            delta[i] = r.segmentOffset(page) - (vpn << 12);
            block[i] = r.block();
        } else {
            segment[i] = null;
            block[i] = null;
        }
    }
}
