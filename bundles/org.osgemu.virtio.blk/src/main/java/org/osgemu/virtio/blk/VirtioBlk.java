package org.osgemu.virtio.blk;

import static org.osgemu.virtio.blk.VirtioBlkLayout.*;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import org.osgemu.api.block.BlockBackend;
import org.osgemu.api.vmstate.VMStateDescription;
import org.osgemu.api.vmstate.VMStateException;
import org.osgemu.virtio.api.DescriptorChain;
import org.osgemu.virtio.api.GuestMemoryException;
import org.osgemu.virtio.api.Virtio;
import org.osgemu.virtio.api.VirtQueue;
import org.osgemu.virtio.api.VirtioDeviceModel;
import org.osgemu.virtio.api.VirtioTransport;

/**
 * The virtio block device (spec §5.2, device ID 2) over a {@link BlockBackend}: one request
 * queue; read, write, flush, get-id, discard and write-zeroes; read-only drives. Sectors are 512
 * bytes and so is the block size; the capacity is the backend's size in whole sectors.
 *
 * <p>The vCPU that kicks only parses request headers; the I/O runs on a virtual thread per
 * request, reading from the file straight into guest RAM (and writing from it), and the request
 * completes from there (status byte, used ring, interrupt). Requests complete in any order, as
 * the spec allows; a flush covers the writes completed before it.
 *
 * <p>Status values: a request outside the disk, with a length not a multiple of 512, or a
 * write to a read-only drive gets {@code VIRTIO_BLK_S_IOERR} (as QEMU answers); an unknown
 * request type, or a discard the drive does not offer, {@code VIRTIO_BLK_S_UNSUPP}. A request
 * without a header or status byte is a broken driver: the device needs a reset.
 *
 * <p>Not modelled: multiple queues, the geometry and topology fields, the writeback toggle
 * (CONFIG_WCE: the cache is always writeback, flushes are honoured), secure erase, lifetime.
 */
public final class VirtioBlk implements VirtioDeviceModel<VirtioBlkState>, AutoCloseable {

    /** The type name, as {@code -device} spells it. */
    public static final String TYPE = "virtio-blk-device";
    /** Entries of the request queue (QEMU's default). */
    static final int QUEUE_SIZE = 256;
    /** The largest buffer handed to the backend at once (ByteBuffers are int-indexed). */
    private static final long IO_CHUNK = 1 << 30;

    private final BlockBackend backend;
    private final byte[] serial;
    private final long capacity;
    private final long features;
    private final byte[] config;
    private final ExecutorService io;
    private VirtioTransport transport;

    /**
     * A block device over {@code backend}; {@code serial} (may be null) is what GET_ID returns,
     * cut to 20 bytes as QEMU does.
     */
    public VirtioBlk(BlockBackend backend, String serial) {
        this.backend = Objects.requireNonNull(backend, "backend");
        this.serial = Arrays.copyOf(serial == null ? new byte[0] : serial.getBytes(StandardCharsets.UTF_8), ID_BYTES);
        this.capacity = backend.size() / SECTOR;
        long f = Virtio.bit(F_SEG_MAX) | Virtio.bit(F_BLK_SIZE) | Virtio.bit(F_FLUSH);
        if (backend.isReadOnly()) {
            f |= Virtio.bit(F_RO);
        } else {
            f |= Virtio.bit(F_WRITE_ZEROES);
            if (backend.supportsDiscard()) {
                f |= Virtio.bit(F_DISCARD);
            }
        }
        this.features = f;
        this.config = buildConfig();
        this.io = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("virtio-blk-" + backend.id() + "-", 0).factory());
    }

    private byte[] buildConfig() {
        ByteBuffer c = ByteBuffer.allocate(CONFIG_SIZE).order(ByteOrder.LITTLE_ENDIAN);
        c.putLong(CAPACITY, capacity);
        c.putInt(SEG_MAX, QUEUE_SIZE - 2); // two descriptors go to the header and the status byte
        c.putInt(BLK_SIZE, BLOCK_SIZE);
        c.putShort(NUM_QUEUES, (short) 1);
        c.putInt(MAX_DISCARD_SECTORS, MAX_DISCARD_SECTORS_VALUE);
        c.putInt(MAX_DISCARD_SEG, MAX_DISCARD_SEG_VALUE);
        c.putInt(DISCARD_SECTOR_ALIGNMENT, BLOCK_SIZE / SECTOR);
        c.putInt(MAX_WRITE_ZEROES_SECTORS, MAX_DISCARD_SECTORS_VALUE);
        c.putInt(MAX_WRITE_ZEROES_SEG, MAX_DISCARD_SEG_VALUE);
        c.put(WRITE_ZEROES_MAY_UNMAP, (byte) (backend.supportsDiscard() ? 1 : 0));
        return c.array();
    }

    @Override public int deviceId() { return Virtio.ID_BLOCK; }
    @Override public long deviceFeatures() { return features; }
    @Override public int[] queueMaxSizes() { return new int[] {QUEUE_SIZE}; }
    @Override public int configSize() { return CONFIG_SIZE; }

    @Override
    public long readConfig(int offset, int size) {
        long v = 0;
        for (int i = size - 1; i >= 0; i--) {
            v = v << 8 | (config[offset + i] & 0xFF);
        }
        return v;
    }

    @Override
    public void attach(VirtioTransport transport) {
        this.transport = transport;
    }

    @Override
    public void queueNotified(int index) {
        VirtQueue q = transport.queue(index);
        do {
            q.disableNotifications();
            DescriptorChain chain;
            while ((chain = q.pop()) != null) {
                submit(q, chain);
            }
        } while (q.enableNotifications());
    }

    @Override
    public void resume(VirtQueue queue, DescriptorChain chain) {
        submit(queue, chain);
    }

    @Override
    public void reset() {
        // Nothing device-side: requests in flight were drained by the transport.
    }

    /** Checks the request's shape and hands it to an I/O thread (or answers at once). */
    private void submit(VirtQueue q, DescriptorChain c) {
        if (c.readableLength() < HEADER) {
            q.refuse(c, "request of " + c.readableLength() + " device-readable bytes lacks the 16-byte header");
            return;
        }
        if (c.writableLength() < 1) {
            q.refuse(c, "request has no device-writable status byte");
            return;
        }
        int type = (int) c.readU32(0);
        long sector = c.readU64(8);
        switch (type) {
            case T_IN -> io.execute(() -> complete(q, c, () -> read(c, sector)));
            case T_OUT -> io.execute(() -> complete(q, c, () -> write(c, sector)));
            case T_FLUSH -> io.execute(() -> complete(q, c, this::flush));
            case T_GET_ID -> complete(q, c, () -> getId(c));
            case T_DISCARD, T_WRITE_ZEROES -> io.execute(() -> complete(q, c, () -> discardOrZero(c, type)));
            default -> finish(q, c, S_UNSUPP, 0);
        }
    }

    /** The outcome of a request: a status and the data bytes written into the guest. */
    private record Outcome(int status, long written) {
        static final Outcome OK = new Outcome(S_OK, 0);
        static final Outcome IOERR = new Outcome(S_IOERR, 0);
        static final Outcome UNSUPP = new Outcome(S_UNSUPP, 0);
    }

    @FunctionalInterface
    private interface Request {
        Outcome run() throws IOException;
    }

    /** Runs {@code request} and completes the chain; nothing escapes to the I/O thread. */
    private void complete(VirtQueue q, DescriptorChain c, Request request) {
        try {
            Outcome outcome;
            try {
                outcome = request.run();
            } catch (IOException e) {
                System.getLogger(VirtioBlk.class.getName()).log(System.Logger.Level.WARNING, "{0}: I/O error: {1}",
                        transport.name(), e.getMessage());
                outcome = Outcome.IOERR;
            }
            finish(q, c, outcome.status(), outcome.written());
        } catch (GuestMemoryException e) {
            q.refuse(c, "request buffer: " + e.getMessage());
        } catch (RuntimeException e) {
            // Guest RAM freed under us (machine destroyed) or a bug: drop the request, never the thread.
            System.getLogger(VirtioBlk.class.getName()).log(System.Logger.Level.ERROR, transport.name() + ": request failed", e);
            q.refuse(c, "internal error: " + e);
        }
    }

    private void finish(VirtQueue q, DescriptorChain c, int status, long written) {
        c.writeByte(c.writableLength() - 1, status);
        q.pushAndNotify(c, written + 1);
    }

    private Outcome read(DescriptorChain c, long sector) throws IOException {
        long length = c.writableLength() - 1;
        if (!inRange(sector, length)) {
            return Outcome.IOERR;
        }
        long at = sector * SECTOR;
        for (MemorySegment s : c.writableSegments(0, length)) {
            for (long off = 0; off < s.byteSize(); off += IO_CHUNK) {
                MemorySegment part = s.asSlice(off, Math.min(IO_CHUNK, s.byteSize() - off));
                backend.read(at, part.asByteBuffer());
                at += part.byteSize();
            }
        }
        return new Outcome(S_OK, length);
    }

    private Outcome write(DescriptorChain c, long sector) throws IOException {
        long length = c.readableLength() - HEADER;
        if (backend.isReadOnly() || !inRange(sector, length)) {
            return Outcome.IOERR;
        }
        long at = sector * SECTOR;
        for (MemorySegment s : c.readableSegments(HEADER, length)) {
            for (long off = 0; off < s.byteSize(); off += IO_CHUNK) {
                MemorySegment part = s.asSlice(off, Math.min(IO_CHUNK, s.byteSize() - off));
                backend.write(at, part.asByteBuffer());
                at += part.byteSize();
            }
        }
        return Outcome.OK;
    }

    private Outcome flush() throws IOException {
        backend.flush();
        return Outcome.OK;
    }

    private Outcome getId(DescriptorChain c) {
        int n = (int) Math.min(ID_BYTES, c.writableLength() - 1);
        c.write(0, serial, 0, n);
        return new Outcome(S_OK, n);
    }

    private Outcome discardOrZero(DescriptorChain c, int type) throws IOException {
        boolean discard = type == T_DISCARD;
        if (!transport.hasFeature(discard ? F_DISCARD : F_WRITE_ZEROES)) {
            return Outcome.UNSUPP;
        }
        long length = c.readableLength() - HEADER;
        int count = (int) Math.min(length / SEGMENT, Integer.MAX_VALUE);
        if (length % SEGMENT != 0 || count < 1 || count > MAX_DISCARD_SEG_VALUE) {
            return Outcome.UNSUPP;
        }
        if (backend.isReadOnly()) {
            return Outcome.IOERR;
        }
        long[] sectors = new long[count];
        long[] counts = new long[count];
        boolean[] unmap = new boolean[count];
        for (int i = 0; i < count; i++) { // every segment is checked before any is acted on
            long at = HEADER + (long) SEGMENT * i;
            sectors[i] = c.readU64(at);
            counts[i] = c.readU32(at + 8);
            long flags = c.readU32(at + 12);
            if ((flags & ~(discard ? 0 : SEGMENT_F_UNMAP)) != 0) {
                return Outcome.UNSUPP;
            }
            if (counts[i] > MAX_DISCARD_SECTORS_VALUE || !inRange(sectors[i], counts[i] * SECTOR)) {
                return Outcome.IOERR;
            }
            unmap[i] = (flags & SEGMENT_F_UNMAP) != 0;
        }
        for (int i = 0; i < count; i++) {
            if (discard) {
                backend.discard(sectors[i] * SECTOR, counts[i] * SECTOR);
            } else {
                backend.writeZeroes(sectors[i] * SECTOR, counts[i] * SECTOR, unmap[i] && backend.supportsDiscard());
            }
        }
        return Outcome.OK;
    }

    /** Whether {@code length} bytes (whole sectors) from {@code sector} lie on the disk. */
    private boolean inRange(long sector, long length) {
        if (length % SECTOR != 0) {
            return false;
        }
        return Long.compareUnsigned(sector, capacity) <= 0 && length / SECTOR <= capacity - sector;
    }

    @Override
    public VMStateDescription<VirtioBlkState> vmstate() {
        return VirtioBlkState.VMSTATE;
    }

    @Override
    public VirtioBlkState saveState() {
        return new VirtioBlkState(capacity);
    }

    @Override
    public void loadState(VirtioBlkState state) throws VMStateException {
        if (state.capacity() != capacity) {
            throw new VMStateException(TYPE + ".capacity: the guest saw " + state.capacity() + " sectors, drive "
                    + backend.id() + " has " + capacity);
        }
    }

    /** Ends the I/O threads, waiting a little for requests still running. */
    @Override
    public void close() {
        io.shutdown();
        try {
            if (!io.awaitTermination(10, TimeUnit.SECONDS)) {
                io.shutdownNow();
            }
        } catch (InterruptedException e) {
            io.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }
}
