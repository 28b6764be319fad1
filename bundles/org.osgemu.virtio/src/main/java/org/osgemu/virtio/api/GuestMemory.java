package org.osgemu.virtio.api;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import org.osgemu.api.memory.AddressSpace;
import org.osgemu.api.memory.FlatRange;
import org.osgemu.api.memory.RamBlock;

/**
 * A device's DMA view of guest-physical memory: RAM only, reached through the RAM blocks'
 * segments (no MMIO dispatch, so a ring pointed at a device register cannot re-enter a device),
 * with every guest address checked (the guest is untrusted) and every write marked dirty.
 * Multi-byte values are little-endian, as virtio rings are.
 *
 * <p>On a postcopy migration's destination a page may not have arrived yet: every access waits
 * for the pages it reaches ({@link RamBlock#awaitPresent}) before it hands out or touches their
 * memory, so a segment from {@link #segments} is present for as long as the caller keeps it
 * (pages never go absent again while the guest runs). Without postcopy the check is one field read.
 */
public final class GuestMemory {

    private static final ValueLayout.OfShort U16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfInt U32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfLong U64 = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private final AddressSpace space;

    /** DMA into the RAM of {@code space}. */
    public GuestMemory(AddressSpace space) {
        this.space = Objects.requireNonNull(space, "space");
    }

    /** Throws {@link GuestMemoryException} unless {@code [address, address+length)} is RAM (writable RAM if {@code write}). */
    public void check(long address, long length, boolean write) {
        checkWrap(address, length);
        long done = 0;
        while (done < length) {
            FlatRange r = ram(address + done, write);
            done += Math.min(length - done, r.size() - (address + done - r.start()));
        }
    }

    /**
     * The RAM behind {@code [address, address+length)} as one segment per flat range it crosses
     * (almost always one). When {@code write}, the range is marked dirty: the caller is about to
     * write it.
     */
    public List<MemorySegment> segments(long address, long length, boolean write) {
        checkWrap(address, length);
        List<MemorySegment> out = new ArrayList<>(1);
        long done = 0;
        while (done < length) {
            long a = address + done;
            FlatRange r = ram(a, write);
            long n = Math.min(length - done, r.size() - (a - r.start()));
            RamBlock block = r.region().ramBlock();
            long offset = r.offsetInRegion() + (a - r.start());
            block.awaitPresent(offset, n);
            if (write) {
                block.markDirty(offset, n);
            }
            out.add(block.segment().asSlice(offset, n));
            done += n;
        }
        return out;
    }

    public int readU16(long address) {
        MemorySegment s = contiguous(address, 2, false);
        return Short.toUnsignedInt(s != null ? s.get(U16, 0) : bounce(address, 2).get(U16, 0));
    }

    public long readU32(long address) {
        MemorySegment s = contiguous(address, 4, false);
        return Integer.toUnsignedLong(s != null ? s.get(U32, 0) : bounce(address, 4).get(U32, 0));
    }

    public long readU64(long address) {
        MemorySegment s = contiguous(address, 8, false);
        return s != null ? s.get(U64, 0) : bounce(address, 8).get(U64, 0);
    }

    public void writeU16(long address, int value) {
        MemorySegment s = contiguous(address, 2, true);
        if (s != null) {
            s.set(U16, 0, (short) value);
        } else {
            write(address, new byte[] {(byte) value, (byte) (value >>> 8)}, 0, 2);
        }
    }

    public void writeU32(long address, long value) {
        MemorySegment s = contiguous(address, 4, true);
        if (s != null) {
            s.set(U32, 0, (int) value);
        } else {
            write(address, new byte[] {(byte) value, (byte) (value >>> 8), (byte) (value >>> 16), (byte) (value >>> 24)}, 0, 4);
        }
    }

    /** Copies {@code length} bytes at {@code address} into {@code dst}. */
    public void read(long address, byte[] dst, int offset, int length) {
        Objects.checkFromIndexSize(offset, length, dst.length);
        int done = 0;
        for (MemorySegment s : segments(address, length, false)) {
            MemorySegment.copy(s, ValueLayout.JAVA_BYTE, 0, dst, offset + done, (int) s.byteSize());
            done += (int) s.byteSize();
        }
    }

    /** Copies {@code length} bytes of {@code src} to {@code address}. */
    public void write(long address, byte[] src, int offset, int length) {
        Objects.checkFromIndexSize(offset, length, src.length);
        int done = 0;
        for (MemorySegment s : segments(address, length, true)) {
            MemorySegment.copy(src, offset + done, s, ValueLayout.JAVA_BYTE, 0, (int) s.byteSize());
            done += (int) s.byteSize();
        }
    }

    /** The segment of a small access inside one flat range (marked dirty when {@code write}), or null when it straddles two. */
    private MemorySegment contiguous(long address, int size, boolean write) {
        checkWrap(address, size);
        FlatRange r = ram(address, write);
        long within = address - r.start();
        if (r.size() - within < size) {
            return null; // rings are aligned, so this is rare: the caller copies byte-wise
        }
        RamBlock block = r.region().ramBlock();
        long offset = r.offsetInRegion() + within;
        block.awaitPresent(offset, size);
        if (write) {
            block.markDirty(offset, size);
        }
        return block.segment().asSlice(offset, size);
    }

    private MemorySegment bounce(long address, int size) {
        byte[] copy = new byte[size];
        read(address, copy, 0, size);
        return MemorySegment.ofArray(copy);
    }

    private FlatRange ram(long address, boolean write) {
        FlatRange r = space.flatView().lookup(address);
        if (r == null || r.region().ramBlock() == null) {
            throw new GuestMemoryException(String.format("address 0x%x is not RAM", address));
        }
        if (write && r.readOnly()) {
            throw new GuestMemoryException(String.format("address 0x%x is read-only", address));
        }
        return r;
    }

    private static void checkWrap(long address, long length) {
        if (length < 0 || (length > 0 && Long.compareUnsigned(address + length - 1, address) < 0)) {
            throw new GuestMemoryException(String.format("range at 0x%x of 0x%x bytes wraps around the address space",
                    address, length));
        }
    }
}
