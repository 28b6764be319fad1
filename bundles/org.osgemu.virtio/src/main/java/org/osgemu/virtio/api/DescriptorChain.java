package org.osgemu.virtio.api;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * One buffer the driver made available (spec §2.7.13), as a device sees it after
 * {@link VirtQueue#pop()}: its head index, then the device-readable part followed by the
 * device-writable part, each a list of guest RAM ranges checked when the chain was parsed.
 * Offsets are logical: byte {@code n} of the readable part may sit in any of its descriptors.
 *
 * <p>The ranges were copied out of the descriptor table, so the guest changing its table later
 * cannot change them; the memory behind them is the guest's and may change at any time.
 */
public final class DescriptorChain {

    private final int head;
    private final int epoch;
    private final GuestMemory memory;
    private final long[] addresses;
    private final long[] lengths;
    private final int readableCount;
    private final long readableLength;
    private final long writableLength;

    DescriptorChain(int head, int epoch, GuestMemory memory, long[] addresses, long[] lengths, int readableCount) {
        this.head = head;
        this.epoch = epoch;
        this.memory = memory;
        this.addresses = addresses;
        this.lengths = lengths;
        this.readableCount = readableCount;
        long r = 0;
        long w = 0;
        for (int i = 0; i < lengths.length; i++) {
            if (i < readableCount) r += lengths[i];
            else w += lengths[i];
        }
        this.readableLength = r;
        this.writableLength = w;
    }

    /** Index of the head descriptor: the id the used ring reports. */
    public int head() {
        return head;
    }

    int epoch() {
        return epoch;
    }

    /** Total bytes the device may read. */
    public long readableLength() {
        return readableLength;
    }

    /** Total bytes the device may write. */
    public long writableLength() {
        return writableLength;
    }

    /** Number of device-readable descriptors. */
    public int readableCount() {
        return readableCount;
    }

    /** Number of device-writable descriptors. */
    public int writableCount() {
        return addresses.length - readableCount;
    }

    /** Copies readable bytes {@code [offset, offset+length)} into {@code dst}. */
    public void read(long offset, byte[] dst, int dstOffset, int length) {
        int done = 0;
        for (MemorySegment s : readableSegments(offset, length)) {
            MemorySegment.copy(s, ValueLayout.JAVA_BYTE, 0, dst, dstOffset + done, (int) s.byteSize());
            done += (int) s.byteSize();
        }
    }

    /** The little-endian 32-bit value at readable offset {@code offset}. */
    public long readU32(long offset) {
        byte[] b = new byte[4];
        read(offset, b, 0, 4);
        return Integer.toUnsignedLong(MemorySegment.ofArray(b).get(ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN), 0));
    }

    /** The little-endian 64-bit value at readable offset {@code offset}. */
    public long readU64(long offset) {
        byte[] b = new byte[8];
        read(offset, b, 0, 8);
        return MemorySegment.ofArray(b).get(ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN), 0);
    }

    /** Copies {@code length} bytes of {@code src} to writable offset {@code offset}. */
    public void write(long offset, byte[] src, int srcOffset, int length) {
        int done = 0;
        for (MemorySegment s : writableSegments(offset, length)) {
            MemorySegment.copy(src, srcOffset + done, s, ValueLayout.JAVA_BYTE, 0, (int) s.byteSize());
            done += (int) s.byteSize();
        }
    }

    /** Writes one byte at writable offset {@code offset}. */
    public void writeByte(long offset, int value) {
        write(offset, new byte[] {(byte) value}, 0, 1);
    }

    /** Guest RAM behind readable bytes {@code [offset, offset+length)}, in order. */
    public List<MemorySegment> readableSegments(long offset, long length) {
        checkSpan("readable", offset, length, readableLength);
        return collect(0, readableCount, offset, length, false);
    }

    /**
     * Guest RAM behind writable bytes {@code [offset, offset+length)}, in order; marked dirty,
     * since the caller is about to fill it.
     */
    public List<MemorySegment> writableSegments(long offset, long length) {
        checkSpan("writable", offset, length, writableLength);
        return collect(readableCount, addresses.length, offset, length, true);
    }

    private List<MemorySegment> collect(int from, int to, long offset, long length, boolean write) {
        List<MemorySegment> out = new ArrayList<>(to - from);
        long skip = offset;
        long left = length;
        for (int i = from; i < to && left > 0; i++) {
            if (skip >= lengths[i]) {
                skip -= lengths[i];
                continue;
            }
            long n = Math.min(lengths[i] - skip, left);
            out.addAll(memory.segments(addresses[i] + skip, n, write));
            left -= n;
            skip = 0;
        }
        return out;
    }

    private static void checkSpan(String part, long offset, long length, long total) {
        if (offset < 0 || length < 0 || offset > total || length > total - offset) {
            throw new IndexOutOfBoundsException("bytes [" + offset + ", +" + length + ") outside the " + total
                    + " " + part + " bytes of the chain");
        }
    }

    @Override
    public String toString() {
        return "DescriptorChain[head=" + head + ", readable=" + readableLength + " in " + readableCount
                + ", writable=" + writableLength + " in " + writableCount() + "]";
    }
}
