package org.osgemu.virtio.api;

import static org.osgemu.virtio.api.Virtio.AVAIL_F_NO_INTERRUPT;
import static org.osgemu.virtio.api.Virtio.DESC_F_INDIRECT;
import static org.osgemu.virtio.api.Virtio.DESC_F_NEXT;
import static org.osgemu.virtio.api.Virtio.DESC_F_WRITE;
import static org.osgemu.virtio.api.Virtio.F_RING_EVENT_IDX;
import static org.osgemu.virtio.api.Virtio.F_RING_INDIRECT_DESC;
import static org.osgemu.virtio.api.Virtio.MAX_QUEUE_SIZE;
import static org.osgemu.virtio.api.Virtio.USED_F_NO_NOTIFY;

import java.lang.invoke.VarHandle;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A split virtqueue (spec §2.7) seen from the device: {@link #pop()} takes the next available
 * descriptor chain, {@link #push} returns it through the used ring, {@link #notifyDriver()}
 * interrupts the driver unless it suppressed that (avail flags or {@code used_event}), and
 * {@link #disableNotifications()} / {@link #enableNotifications()} ask the driver not to kick
 * while the device is busy anyway (used flags or {@code avail_event}).
 *
 * <p>Everything in guest memory is untrusted. A malformed ring or chain (index outside the table,
 * a loop, nested or misused indirect tables, a buffer outside RAM or wrapping around, a readable
 * descriptor after a writable one, an available index running ahead by more than the queue
 * size) never throws: the device enters the needs-reset state, logs the reason once, and every
 * queue of the device stops until the driver resets it.
 *
 * <p>While the machine does not run, the transport quiesces its queues (see
 * {@link org.osgemu.api.device.Quiescable}): {@link #pop()} hands out nothing, the notification
 * flags in guest memory stay as they are, and the transport remembers that the device wanted the
 * queue so that it processes it on resume. Chains still in flight complete into the rings while
 * the transport drains them; once it is quiesced their completions are held, still in flight, and
 * published on resume, and no interrupt is raised.
 *
 * <p>Thread-safe: all methods take the transport's lock, so vCPU threads and I/O workers may
 * pop and push concurrently. Chains may complete in any order. Memory ordering with the guest
 * follows §2.7.13: the used element (and any data written before) is visible before the used
 * index; the available ring entry is read after the available index; suppression fields are
 * read after a full fence.
 */
public final class VirtQueue {

    private static final int DESCRIPTOR_SIZE = 16;

    private final int index;
    private final int maxSize;
    private final QueueHost host;
    private final ReentrantLock lock;

    // Guarded by lock: the driver's configuration (QueueNum, QueueReady, QueueDesc/Driver/Device).
    private int size;
    private boolean ready;
    private long descAddr;
    private long driverAddr;
    private long deviceAddr;
    // Guarded by lock: the device's side of the rings.
    private int lastAvailIdx;
    private int usedIdx;
    private int signalledUsed;
    private boolean signalledUsedValid;
    private boolean usedSinceNotify;
    private boolean notifications = true;
    private boolean stopped;
    /** Bumped by every reset: chains popped before it are stale and their pushes are dropped. */
    private int epoch;
    private final BitSet inflight = new BitSet();
    private int inflightCount;
    /** Completions that came while the transport was quiesced: still in flight, published on resume. */
    private final List<HeldCompletion> held = new ArrayList<>();

    private record HeldCompletion(DescriptorChain chain, long writtenLength) {}

    VirtQueue(int index, int maxSize, QueueHost host, ReentrantLock lock) {
        if (maxSize < 1 || maxSize > MAX_QUEUE_SIZE || Integer.bitCount(maxSize) != 1) {
            throw new IllegalArgumentException("virtqueue " + index + ": maximum size " + maxSize
                    + " is not a power of two in 1.." + MAX_QUEUE_SIZE);
        }
        this.index = index;
        this.maxSize = maxSize;
        this.host = host;
        this.lock = lock;
        this.size = maxSize;
    }

    /** The queue's index on its device. */
    public int index() {
        return index;
    }

    /** The largest size the driver may choose (QueueNumMax). */
    public int maxSize() {
        return maxSize;
    }

    /** The size the driver chose (QueueNum). */
    public int size() {
        lock.lock();
        try {
            return size;
        } finally {
            lock.unlock();
        }
    }

    /** Whether the driver enabled the queue (QueueReady) and the device is not waiting for a reset. */
    public boolean isReady() {
        lock.lock();
        try {
            return ready && !host.isBroken();
        } finally {
            lock.unlock();
        }
    }

    /**
     * True while the device is quiesced (the machine does not run): the queue is remembered and
     * the model runs it again on resume; guest memory stays untouched until then. Under the lock.
     */
    private boolean deferredWhileQuiesced() {
        if (host.activity().isRunning()) {
            return false;
        }
        host.activity().want(index);
        return true;
    }

    /**
     * The next available chain, or null when there is none, the queue is not ready, or the ring
     * turned out to be malformed (then the device needs a reset). The chain is in flight until
     * it is pushed or refused.
     */
    public DescriptorChain pop() {
        lock.lock();
        try {
            GuestMemory memory = host.memory();
            if (!ready || stopped || memory == null || host.isBroken()) {
                return null;
            }
            if (deferredWhileQuiesced()) {
                return null;
            }
            int availIdx = memory.readU16(driverAddr + 2);
            VarHandle.acquireFence(); // ring entries are read after the index that published them
            int pending = (availIdx - lastAvailIdx) & 0xFFFF;
            if (pending == 0) {
                return null;
            }
            if (pending > size) {
                fail(String.format("available index moved from %d to %d, more than the %d entries of the queue",
                        lastAvailIdx, availIdx, size));
                return null;
            }
            int head = memory.readU16(driverAddr + 4 + 2L * (lastAvailIdx & (size - 1)));
            DescriptorChain chain = parse(memory, head);
            if (inflight.get(head)) {
                fail("head descriptor " + head + " was made available again while the device still holds it");
                return null;
            }
            lastAvailIdx = (lastAvailIdx + 1) & 0xFFFF;
            if (notifications && host.hasFeature(F_RING_EVENT_IDX)) {
                memory.writeU16(availEventAddress(), lastAvailIdx);
            }
            inflight.set(head);
            inflightCount++;
            return chain;
        } catch (GuestMemoryException | MalformedChain e) {
            fail(e.getMessage());
            return null;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Returns {@code chain} to the driver with {@code writtenLength} bytes written into its
     * writable part. A chain from before a device reset is dropped: the driver forgot it.
     */
    public void push(DescriptorChain chain, long writtenLength) {
        if (writtenLength < 0 || writtenLength > chain.writableLength()) {
            throw new IllegalArgumentException("virtqueue " + index + ": " + writtenLength + " bytes written into "
                    + chain.writableLength() + " writable bytes of " + chain);
        }
        lock.lock();
        try {
            if (host.activity().holdsCompletions() && chain.epoch() == epoch && inflight.get(chain.head())) {
                holdCompletion(chain, writtenLength);
                return;
            }
            GuestMemory memory = host.memory();
            if (!release(chain) || host.isBroken() || !ready || memory == null) {
                return; // the driver reset or disabled the queue, or the device was unplugged
            }
            long element = deviceAddr + 4 + 8L * (usedIdx & (size - 1));
            memory.writeU32(element, chain.head());
            memory.writeU32(element + 4, writtenLength);
            VarHandle.releaseFence(); // the element and the buffer's data before the index
            usedIdx = (usedIdx + 1) & 0xFFFF;
            memory.writeU16(deviceAddr + 2, usedIdx);
            usedSinceNotify = true;
        } catch (GuestMemoryException e) {
            fail("used ring: " + e.getMessage());
        } finally {
            lock.unlock();
        }
    }

    /** Pushes {@code chain} and notifies the driver if it wants to be. */
    public void pushAndNotify(DescriptorChain chain, long writtenLength) {
        lock.lock();
        try {
            push(chain, writtenLength);
            notifyDriver();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Interrupts the driver for the chains pushed since the last interrupt, unless it suppressed
     * interrupts: by {@code VIRTQ_AVAIL_F_NO_INTERRUPT}, or with EVENT_IDX by a
     * {@code used_event} the used index has not passed (§2.7.10).
     */
    public void notifyDriver() {
        lock.lock();
        try {
            if (host.activity().holdsCompletions()) {
                return; // the transport notifies for what was pushed when it resumes
            }
            GuestMemory memory = host.memory();
            if (!ready || !usedSinceNotify || memory == null || host.isBroken()) {
                return;
            }
            usedSinceNotify = false;
            VarHandle.fullFence(); // the used index is visible before the driver's suppression field is read
            boolean wanted;
            if (host.hasFeature(F_RING_EVENT_IDX)) {
                int usedEvent = memory.readU16(driverAddr + 4 + 2L * size);
                wanted = !signalledUsedValid || needsEvent(usedEvent, usedIdx, signalledUsed);
                signalledUsed = usedIdx;
                signalledUsedValid = true;
            } else {
                wanted = (memory.readU16(driverAddr) & AVAIL_F_NO_INTERRUPT) == 0;
            }
            if (wanted) {
                host.raiseUsedBuffer();
            }
        } catch (GuestMemoryException e) {
            fail("available ring: " + e.getMessage());
        } finally {
            lock.unlock();
        }
    }

    /**
     * Gives up on {@code chain} because the driver built it wrongly for this device (a header in
     * a writable buffer, a buffer too short): the device enters needs-reset, logging {@code reason}.
     */
    public void refuse(DescriptorChain chain, String reason) {
        lock.lock();
        try {
            release(chain);
            fail(reason);
        } finally {
            lock.unlock();
        }
    }

    /** Puts back the chain popped last, untouched: it will be popped again (no room for it now). */
    public void unpop(DescriptorChain chain) {
        lock.lock();
        try {
            if (release(chain)) {
                lastAvailIdx = (lastAvailIdx - 1) & 0xFFFF;
            }
        } finally {
            lock.unlock();
        }
    }

    /** Asks the driver not to notify (kick) this queue: the device is processing it anyway. */
    public void disableNotifications() {
        lock.lock();
        try {
            if (deferredWhileQuiesced()) {
                return;
            }
            notifications = false;
            GuestMemory memory = host.memory();
            if (ready && memory != null && !host.isBroken() && !host.hasFeature(F_RING_EVENT_IDX)) {
                memory.writeU16(deviceAddr, USED_F_NO_NOTIFY);
            }
        } catch (GuestMemoryException e) {
            fail("used ring: " + e.getMessage());
        } finally {
            lock.unlock();
        }
    }

    /**
     * Asks the driver to notify again when it adds buffers. Returns true when buffers are
     * already available, which the caller must then process (the driver may have added them
     * while notifications were off, without a kick).
     */
    public boolean enableNotifications() {
        lock.lock();
        try {
            notifications = true;
            GuestMemory memory = host.memory();
            if (!ready || stopped || memory == null || host.isBroken()) {
                return false; // nothing will be popped: a caller looping on this must stop
            }
            if (deferredWhileQuiesced()) {
                return false;
            }
            if (host.hasFeature(F_RING_EVENT_IDX)) {
                memory.writeU16(availEventAddress(), lastAvailIdx);
            } else {
                memory.writeU16(deviceAddr, 0);
            }
            VarHandle.fullFence(); // publish the request before looking for buffers added meanwhile
            return memory.readU16(driverAddr + 2) != lastAvailIdx;
        } catch (GuestMemoryException e) {
            fail("rings: " + e.getMessage());
            return false;
        } finally {
            lock.unlock();
        }
    }

    /** Whether the driver made buffers available that were not popped yet. */
    public boolean hasAvailable() {
        lock.lock();
        try {
            GuestMemory memory = host.memory();
            if (!ready || stopped || memory == null || host.isBroken()) {
                return false;
            }
            if (deferredWhileQuiesced()) {
                return false;
            }
            return memory.readU16(driverAddr + 2) != lastAvailIdx;
        } catch (GuestMemoryException e) {
            fail("available ring: " + e.getMessage());
            return false;
        } finally {
            lock.unlock();
        }
    }

    /** Marks the device broken because of this queue (needs-reset, one log line). */
    public void fail(String reason) {
        lock.lock();
        try {
            host.queueFailed(index, reason);
        } finally {
            lock.unlock();
        }
    }

    // ---- transport side: configuration, reset, migration (all under the transport lock) ----

    int configuredSize() {
        return size;
    }

    void setSize(int size) {
        this.size = size;
    }

    boolean ready() {
        return ready;
    }

    void setReady(boolean ready) {
        this.ready = ready;
    }

    long descAddr() {
        return descAddr;
    }

    long driverAddr() {
        return driverAddr;
    }

    long deviceAddr() {
        return deviceAddr;
    }

    void setDescAddr(long a) {
        descAddr = a;
    }

    void setDriverAddr(long a) {
        driverAddr = a;
    }

    void setDeviceAddr(long a) {
        deviceAddr = a;
    }

    int lastAvailIdx() {
        return lastAvailIdx;
    }

    int usedIdx() {
        return usedIdx;
    }

    int inflightCount() {
        return inflightCount;
    }

    /** Chains in flight that are still being worked on (not completed and held). */
    int busyCount() {
        return inflightCount - held.size();
    }

    /** Pushes the completions held while the transport was quiesced, in the order they came. */
    void publishHeld() {
        List<HeldCompletion> completions = List.copyOf(held);
        held.clear();
        for (HeldCompletion c : completions) {
            push(c.chain(), c.writtenLength());
        }
    }

    /** Heads of the chains popped and not yet pushed, ascending. */
    int[] inflightHeads() {
        return inflight.stream().toArray();
    }

    /** Stops handing out chains (a reset is draining the in-flight ones). */
    void stop() {
        stopped = true;
    }

    /** The power-on state: not ready, maximum size, no addresses, indices at zero, nothing in flight. */
    void reset() {
        size = maxSize;
        ready = false;
        descAddr = driverAddr = deviceAddr = 0;
        lastAvailIdx = usedIdx = signalledUsed = 0;
        signalledUsedValid = false;
        usedSinceNotify = false;
        notifications = true;
        stopped = false;
        epoch++;
        inflight.clear();
        inflightCount = 0;
        held.clear();
    }

    /** Restores migrated ring state; the values were validated by the caller. */
    void restore(int size, boolean ready, long desc, long driver, long device, int lastAvail, int used) {
        reset();
        this.size = size;
        this.ready = ready;
        this.descAddr = desc;
        this.driverAddr = driver;
        this.deviceAddr = device;
        this.lastAvailIdx = lastAvail;
        this.usedIdx = used;
    }

    /**
     * Re-parses the chain at {@code head} that was in flight when the state was saved, and holds
     * it in flight again; null (and needs-reset) when it is malformed now.
     */
    DescriptorChain resume(int head) {
        GuestMemory memory = host.memory();
        try {
            if (head >= size) {
                throw new MalformedChain("in-flight head " + head + " is outside the queue of " + size);
            }
            DescriptorChain chain = parse(memory, head);
            if (!inflight.get(head)) {
                inflight.set(head);
                inflightCount++;
            }
            return chain;
        } catch (GuestMemoryException | MalformedChain e) {
            fail(e.getMessage());
            return null;
        }
    }

    /** Checks that the rings of a queue of {@code size} entries lie in RAM, so later accesses do not fail. */
    static void checkRings(GuestMemory memory, int size, long desc, long driver, long device) {
        memory.check(desc, (long) DESCRIPTOR_SIZE * size, false);
        memory.check(driver, 6 + 2L * size, true);
        memory.check(device, 6 + 8L * size, true);
    }

    /** Why the ring addresses cannot be used (§2.7: alignment 16, 2 and 4), or null. */
    static String misalignment(long desc, long driver, long device) {
        if ((desc & 15) != 0) return String.format("descriptor table 0x%x is not 16-byte aligned", desc);
        if ((driver & 1) != 0) return String.format("driver area 0x%x is not 2-byte aligned", driver);
        if ((device & 3) != 0) return String.format("device area 0x%x is not 4-byte aligned", device);
        return null;
    }

    private void holdCompletion(DescriptorChain chain, long writtenLength) {
        for (HeldCompletion c : held) {
            if (c.chain().head() == chain.head()) {
                return; // pushed twice: the first completion stands, as for a chain no longer in flight
            }
        }
        held.add(new HeldCompletion(chain, writtenLength));
        host.chainReleased(); // a drain waiting for busy chains may go on
    }

    private boolean release(DescriptorChain chain) {
        if (chain.epoch() != epoch || !inflight.get(chain.head())) {
            return false;
        }
        inflight.clear(chain.head());
        inflightCount--;
        host.chainReleased();
        return true;
    }

    private long availEventAddress() {
        return deviceAddr + 4 + 8L * size;
    }

    /** §2.7.10: whether moving the used index from {@code old} to {@code next} passed {@code event}. */
    static boolean needsEvent(int event, int next, int old) {
        return ((next - event - 1) & 0xFFFF) < ((next - old) & 0xFFFF);
    }

    /** Walks the chain from {@code head} (§2.7.5), copying and checking each buffer. */
    private DescriptorChain parse(GuestMemory memory, int head) {
        long[] addresses = new long[8];
        long[] lengths = new long[8];
        int n = 0;
        int readable = 0;
        boolean sawWritable = false;
        long table = descAddr;
        int tableSize = size;
        boolean indirect = false;
        int i = head;
        int count = 0;
        while (true) {
            if (i >= tableSize) {
                throw new MalformedChain(String.format("descriptor %d is outside the %s of %d entries (chain from head %d)",
                        i, indirect ? "indirect table" : "descriptor table", tableSize, head));
            }
            if (++count > tableSize) {
                throw new MalformedChain(String.format("chain from head %d is longer than the %d entries of its %s (a loop)",
                        head, tableSize, indirect ? "indirect table" : "descriptor table"));
            }
            long d = table + (long) DESCRIPTOR_SIZE * i;
            long addr = memory.readU64(d);
            long len = memory.readU32(d + 8);
            int flags = memory.readU16(d + 12);
            int next = memory.readU16(d + 14);
            if ((flags & DESC_F_INDIRECT) != 0) {
                if (!host.hasFeature(F_RING_INDIRECT_DESC)) {
                    throw new MalformedChain("descriptor " + i + " is indirect, but VIRTIO_F_RING_INDIRECT_DESC was not negotiated");
                }
                if (indirect) {
                    throw new MalformedChain("indirect table of head " + head + " holds an indirect descriptor (nesting is not allowed)");
                }
                if ((flags & DESC_F_NEXT) != 0) {
                    throw new MalformedChain("descriptor " + i + " is indirect and also has NEXT set");
                }
                if (len == 0 || len % DESCRIPTOR_SIZE != 0 || len / DESCRIPTOR_SIZE > MAX_QUEUE_SIZE) {
                    throw new MalformedChain("indirect table of " + len + " bytes is not 1.." + MAX_QUEUE_SIZE
                            + " descriptors of 16 bytes");
                }
                checkBuffer(memory, i, addr, len, false);
                table = addr;
                tableSize = (int) (len / DESCRIPTOR_SIZE);
                indirect = true;
                i = 0;
                count = 0;
                continue;
            }
            boolean writable = (flags & DESC_F_WRITE) != 0;
            if (!writable && sawWritable) {
                throw new MalformedChain("descriptor " + i + " of the chain from head " + head
                        + " is device-readable after a device-writable one");
            }
            sawWritable |= writable;
            if (len > 0) {
                checkBuffer(memory, i, addr, len, writable);
                if (n == addresses.length) {
                    addresses = Arrays.copyOf(addresses, n * 2);
                    lengths = Arrays.copyOf(lengths, n * 2);
                }
                addresses[n] = addr;
                lengths[n] = len;
                n++;
                if (!writable) {
                    readable++;
                }
            }
            if ((flags & DESC_F_NEXT) == 0) {
                break;
            }
            i = next;
        }
        return new DescriptorChain(head, epoch, memory, Arrays.copyOf(addresses, n), Arrays.copyOf(lengths, n), readable);
    }

    private static void checkBuffer(GuestMemory memory, int i, long addr, long len, boolean writable) {
        try {
            memory.check(addr, len, writable);
        } catch (GuestMemoryException e) {
            throw new MalformedChain(String.format("descriptor %d (0x%x, %d bytes): %s", i, addr, len, e.getMessage()));
        }
    }

    /** A chain the guest built against the rules; carries no stack trace (guest behaviour). */
    private static final class MalformedChain extends RuntimeException {
        private static final long serialVersionUID = 1L;

        MalformedChain(String message) {
            super(message, null, false, false);
        }
    }
}
