package org.osgemu.cpu.riscv.hart;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;

import org.osgemu.api.memory.AbsentPages;
import org.osgemu.api.memory.AddressSpace;
import org.osgemu.api.memory.FlatRange;
import org.osgemu.api.memory.FlatView;
import org.osgemu.api.memory.MemoryRegion;
import org.osgemu.api.memory.RamBlock;

/**
 * Guest-physical memory as one hart sees it: the RAM and ROM ranges of the address space's
 * flat view, cached so loads, stores and atomics reach the {@link RamBlock} segment directly,
 * and the {@link AddressSpace} for everything else (MMIO, unassigned addresses, which throw
 * {@link org.osgemu.api.memory.BusErrorException}).
 *
 * <p>The cache belongs to one flat view; the address space makes a new view on every change of
 * the region tree, so {@link #refresh()} compares identity. The hart refreshes when it starts
 * running and after each MMIO access (the only way its own instructions change the map).
 *
 * <p>Postcopy: every way into RAM that is not a TLB hit passes {@link #ram}, which first waits
 * for the pages it hands out to be present ({@link AbsentPages}; one field read when no postcopy
 * runs). Pages only go from absent to present while the guest runs, so a TLB entry or decoded
 * page, once filled, stays good. The wait is in slices: when the hart is asked to stop (a kick)
 * it gives up with {@link RetryInstruction}, before the instruction changed anything, and the
 * interpreter leaves without retiring it, so a {@code stop} or {@code quit} never waits for a page.
 */
final class PhysicalMemory {

    /**
     * The hart gave up waiting for an absent page because its machine wants it to stop: the
     * instruction did not execute and runs again when the hart resumes. One shared instance, no
     * stack trace: it is control flow, not an error.
     */
    static final class RetryInstruction extends RuntimeException {
        private static final long serialVersionUID = 1L;
        static final RetryInstruction INSTANCE = new RetryInstruction();

        private RetryInstruction() {
            super("the hart stopped waiting for an absent page", null, false, false);
        }
    }

    /** How long one wait for an absent page lasts before the hart looks whether it should stop. */
    private static final long WAIT_SLICE_NANOS = 2_000_000;

    /** A RAM or ROM piece of the flat view: {@code [start, start+size)} maps to {@code block} at {@code blockOffset}. */
    record RamRange(long start, long size, RamBlock block, MemorySegment segment, long blockOffset, boolean writable) {

        boolean covers(long address, long length) {
            long offset = address - start;
            return Long.compareUnsigned(offset, size) < 0 && Long.compareUnsigned(length, size - offset) <= 0;
        }

        /** Offset in the block's segment of guest-physical {@code address}. */
        long segmentOffset(long address) {
            return address - start + blockOffset;
        }
    }

    static final ValueLayout.OfByte BYTE = ValueLayout.JAVA_BYTE;
    static final ValueLayout.OfShort SHORT = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    static final ValueLayout.OfInt INT = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    static final ValueLayout.OfLong LONG = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    /** Atomic views; their layouts are aligned, which the A extension requires anyway. */
    static final VarHandle ATOMIC_INT = ValueLayout.JAVA_INT.withOrder(ByteOrder.LITTLE_ENDIAN).varHandle();
    static final VarHandle ATOMIC_LONG = ValueLayout.JAVA_LONG.withOrder(ByteOrder.LITTLE_ENDIAN).varHandle();

    private final AddressSpace space;
    private final Runnable viewChanged;
    private final BooleanSupplier stopWaiting;
    private FlatView view;
    private RamRange[] ranges = new RamRange[0];
    private RamRange lastHit;

    /**
     * {@code viewChanged} runs after the cached ranges were replaced (to drop what was derived from
     * them); {@code stopWaiting} says whether the hart should stop waiting for an absent page.
     */
    PhysicalMemory(AddressSpace space, Runnable viewChanged, BooleanSupplier stopWaiting) {
        this.space = space;
        this.viewChanged = viewChanged;
        this.stopWaiting = stopWaiting;
    }

    /** Re-reads the flat view if the address space has a new one; returns whether it changed. */
    boolean refresh() {
        FlatView current = space.flatView();
        if (current == view) {
            return false;
        }
        List<RamRange> found = new ArrayList<>();
        for (FlatRange r : current.ranges()) {
            MemoryRegion region = r.region();
            RamBlock block = region.ramBlock();
            if (block != null && (region.kind() == MemoryRegion.Kind.RAM || region.kind() == MemoryRegion.Kind.ROM)) {
                boolean writable = region.kind() == MemoryRegion.Kind.RAM && !r.readOnly();
                found.add(new RamRange(r.start(), r.size(), block, block.segment(), r.offsetInRegion(), writable));
            }
        }
        view = current;
        ranges = found.toArray(RamRange[]::new);
        lastHit = null;
        viewChanged.run();
        return true;
    }

    /**
     * The RAM/ROM range holding all of {@code [address, address+length)}, or null; the bytes are
     * present (a postcopy destination's absent pages were waited for).
     *
     * @throws RetryInstruction when the hart was asked to stop while it waited for a page
     */
    RamRange ram(long address, long length) {
        RamRange hit = lastHit;
        if (hit == null || !hit.covers(address, length)) {
            hit = null;
            for (RamRange r : ranges) {
                if (r.covers(address, length)) {
                    lastHit = hit = r;
                    break;
                }
            }
            if (hit == null) {
                return null;
            }
        }
        AbsentPages absent = hit.block().absentPages();
        if (absent != null) {
            awaitPresent(absent, hit.segmentOffset(address), length);
        }
        return hit;
    }

    private void awaitPresent(AbsentPages absent, long offset, long length) {
        while (!absent.await(offset, length, WAIT_SLICE_NANOS)) {
            if (stopWaiting.getAsBoolean()) {
                throw RetryInstruction.INSTANCE;
            }
        }
    }

    /** Reads {@code size} bytes zero-extended; MMIO and holes go through the address space. */
    long read(long address, int size) {
        RamRange r = ram(address, size);
        if (r != null) {
            return get(r.segment(), r.segmentOffset(address), size);
        }
        long v = space.read(address, size);
        refresh();
        return v;
    }

    /** Writes the low {@code size} bytes of {@code value}; RAM is marked dirty, ROM and MMIO go through the address space. */
    void write(long address, long value, int size) {
        RamRange r = ram(address, size);
        if (r != null && r.writable()) {
            long offset = r.segmentOffset(address);
            put(r.segment(), offset, value, size);
            r.block().markDirty(offset, size);
            return;
        }
        space.write(address, value, size);
        refresh();
    }

    static long get(MemorySegment s, long offset, int size) {
        return switch (size) {
            case 1 -> s.get(BYTE, offset) & 0xFFL;
            case 2 -> s.get(SHORT, offset) & 0xFFFFL;
            case 4 -> s.get(INT, offset) & 0xFFFF_FFFFL;
            default -> s.get(LONG, offset);
        };
    }

    static void put(MemorySegment s, long offset, long value, int size) {
        switch (size) {
            case 1 -> s.set(BYTE, offset, (byte) value);
            case 2 -> s.set(SHORT, offset, (short) value);
            case 4 -> s.set(INT, offset, (int) value);
            default -> s.set(LONG, offset, value);
        }
    }
}
