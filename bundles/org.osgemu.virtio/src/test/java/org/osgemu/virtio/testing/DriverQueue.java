package org.osgemu.virtio.testing;

import java.util.ArrayList;
import java.util.List;

/**
 * The driver's side of one split virtqueue in test RAM: builds descriptor chains (direct or
 * through an indirect table), makes them available, kicks, and collects used entries.
 * Descriptors are handed out round-robin; tests keep fewer in flight than the queue size.
 */
public final class DriverQueue {

    public static final int NEXT = 1, WRITE = 2, INDIRECT = 4;

    /** One buffer of a chain. */
    public record Buffer(long address, long length, boolean writable) {
        public static Buffer readable(long address, long length) {
            return new Buffer(address, length, false);
        }

        public static Buffer writable(long address, long length) {
            return new Buffer(address, length, true);
        }
    }

    /** A used-ring entry. */
    public record Used(int id, long length) {}

    private final VirtioDriver driver;
    private final GuestRam ram;
    private final int index;
    private final int size;
    private final long desc;
    private final long avail;
    private final long used;
    private int nextDescriptor;
    private int availIdx;
    private int lastUsedIdx;

    DriverQueue(VirtioDriver driver, int index, int size) {
        this.driver = driver;
        this.ram = driver.ram();
        this.index = index;
        this.size = size;
        this.desc = ram.alloc(16L * size, 16);
        this.avail = ram.alloc(6 + 2L * size, 2);
        this.used = ram.alloc(6 + 8L * size, 4);
    }

    public int index() { return index; }
    public int size() { return size; }
    public long desc() { return desc; }
    public long avail() { return avail; }
    public long used() { return used; }

    /** Writes descriptor {@code i} as given (for building malformed chains). */
    public void writeDescriptor(int i, long address, long length, int flags, int next) {
        long d = desc + 16L * i;
        ram.writeU64(d, address);
        ram.writeU32(d + 8, length);
        ram.writeU16(d + 12, flags);
        ram.writeU16(d + 14, next);
    }

    /** Builds a direct chain of {@code buffers} and makes it available; returns its head. */
    public int add(Buffer... buffers) {
        int head = nextDescriptor;
        for (int k = 0; k < buffers.length; k++) {
            int i = (head + k) % size;
            Buffer b = buffers[k];
            int flags = (b.writable() ? WRITE : 0) | (k + 1 < buffers.length ? NEXT : 0);
            writeDescriptor(i, b.address(), b.length(), flags, (i + 1) % size);
        }
        nextDescriptor = (head + buffers.length) % size;
        publish(head);
        return head;
    }

    /** Builds an indirect table of {@code buffers} behind one descriptor and makes it available. */
    public int addIndirect(Buffer... buffers) {
        long table = ram.alloc(16L * buffers.length, 16);
        for (int k = 0; k < buffers.length; k++) {
            Buffer b = buffers[k];
            long d = table + 16L * k;
            ram.writeU64(d, b.address());
            ram.writeU32(d + 8, b.length());
            ram.writeU16(d + 12, (b.writable() ? WRITE : 0) | (k + 1 < buffers.length ? NEXT : 0));
            ram.writeU16(d + 14, k + 1);
        }
        int head = nextDescriptor;
        writeDescriptor(head, table, 16L * buffers.length, INDIRECT, 0);
        nextDescriptor = (head + 1) % size;
        publish(head);
        return head;
    }

    /** Puts {@code head} in the available ring and publishes the new index. */
    public void publish(int head) {
        ram.writeU16(avail + 4 + 2L * (availIdx % size), head);
        availIdx = (availIdx + 1) & 0xFFFF;
        ram.writeU16(avail + 2, availIdx);
    }

    /** Sets the available index directly (for a driver running ahead of the ring). */
    public void setAvailIdx(int value) {
        availIdx = value & 0xFFFF;
        ram.writeU16(avail + 2, availIdx);
    }

    public void kick() {
        driver.write(VirtioDriver.QUEUE_NOTIFY, index);
    }

    /** The used entries added since the last call. */
    public List<Used> takeUsed() {
        List<Used> out = new ArrayList<>();
        int idx = ram.readU16(used + 2);
        while (lastUsedIdx != idx) {
            long e = used + 4 + 8L * (lastUsedIdx % size);
            out.add(new Used((int) ram.readU32(e), ram.readU32(e + 4)));
            lastUsedIdx = (lastUsedIdx + 1) & 0xFFFF;
        }
        return out;
    }

    /** Waits up to {@code millis} for {@code count} used entries (device work on other threads). */
    public List<Used> awaitUsed(int count, long millis) {
        List<Used> out = new ArrayList<>();
        long deadline = System.nanoTime() + millis * 1_000_000;
        while (out.size() < count && System.nanoTime() < deadline) {
            out.addAll(takeUsed());
            if (out.size() < count) {
                Thread.onSpinWait();
                try {
                    Thread.sleep(1);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
        }
        if (out.size() < count) {
            throw new AssertionError("expected " + count + " used entries on queue " + index + ", got " + out);
        }
        return out;
    }

    public int usedIdx() {
        return ram.readU16(used + 2);
    }

    public int usedFlags() {
        return ram.readU16(used);
    }

    /** avail_event, at the end of the used ring (EVENT_IDX). */
    public int availEvent() {
        return ram.readU16(used + 4 + 8L * size);
    }

    /** used_event, at the end of the available ring (EVENT_IDX). */
    public void setUsedEvent(int value) {
        ram.writeU16(avail + 4 + 2L * size, value);
    }

    public void setAvailFlags(int flags) {
        ram.writeU16(avail, flags);
    }
}
