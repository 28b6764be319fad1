package org.osgemu.virtio.blk;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.osgemu.virtio.testing.DriverQueue.Buffer.readable;
import static org.osgemu.virtio.testing.DriverQueue.Buffer.writable;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgemu.api.block.BlockBackend;
import org.osgemu.block.RawBlockBackend;
import org.osgemu.virtio.api.VirtioMmioDevice;
import org.osgemu.virtio.testing.DriverQueue;
import org.osgemu.virtio.testing.FakeDeviceContext;
import org.osgemu.virtio.testing.GuestRam;
import org.osgemu.virtio.testing.VirtioDriver;

/**
 * virtio-blk when the machine stops (a monitor {@code stop}, a snapshot, a migration's switchover):
 * the requests in flight complete before the stop returns, as QEMU drains block I/O, and none
 * starts until the machine runs again.
 */
class VirtioBlkQuiesceTest {

    private static final int RAM_SIZE = 1 << 20;

    @TempDir
    Path dir;

    private final GuestRam ram = new GuestRam(RAM_SIZE);
    private final FakeDeviceContext context = new FakeDeviceContext(ram.space());
    private RawBlockBackend file;
    private GatedBackend backend;
    private VirtioMmioDevice<VirtioBlkState> device;
    private DriverQueue queue;

    /** A drive whose reads wait at a gate, as a request stuck in slow host I/O; counts the reads started. */
    private static final class GatedBackend implements BlockBackend {
        private final BlockBackend file;
        final CountDownLatch gate = new CountDownLatch(1);
        final AtomicInteger readsStarted = new AtomicInteger();

        GatedBackend(BlockBackend file) {
            this.file = file;
        }

        @Override public String id() { return file.id(); }
        @Override public long size() { return file.size(); }
        @Override public boolean isReadOnly() { return false; }
        @Override public boolean supportsDiscard() { return false; }
        @Override public void write(long offset, ByteBuffer src) throws IOException { file.write(offset, src); }
        @Override public void flush() throws IOException { file.flush(); }
        @Override public void discard(long offset, long length) { }
        @Override public void writeZeroes(long offset, long length, boolean mayUnmap) throws IOException { file.writeZeroes(offset, length, false); }

        @Override
        public void read(long offset, ByteBuffer dst) throws IOException {
            readsStarted.incrementAndGet();
            try {
                if (!gate.await(10, TimeUnit.SECONDS)) {
                    throw new IOException("the test never opened the gate");
                }
            } catch (InterruptedException e) {
                throw new IOException(e);
            }
            file.read(offset, dst);
        }
    }

    @BeforeEach
    void setUp() throws IOException {
        byte[] data = new byte[64 * 1024];
        for (int i = 0; i < data.length; i++) data[i] = (byte) (i / 512);
        Path image = dir.resolve("disk.img");
        Files.write(image, data);
        file = new RawBlockBackend("hd0", image, false, false);
        backend = new GatedBackend(file);
        device = new VirtioMmioDevice<>("vd0", VirtioBlk.TYPE, new VirtioBlk(backend, null));
        device.realize(context);
        queue = new VirtioDriver(device, ram).start(0, 16).get(0);
    }

    @AfterEach
    void tearDown() throws Exception {
        backend.gate.countDown();
        device.unrealize();
        ((VirtioBlk) device.model()).close();
        file.close();
        ram.close();
    }

    /** Adds a read of one sector into fresh RAM; returns the address of its data buffer (the status byte follows). */
    private long addRead(long sector) {
        byte[] header = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putInt(VirtioBlkLayout.T_IN).putInt(0)
                .putLong(sector).array();
        long into = ram.alloc(513, 1);
        queue.add(readable(ram.put(header), 16), writable(into, 512), writable(into + 512, 1));
        return into;
    }

    @Test
    void aRequestInFlightAtTheStopCompletesBeforeQuiesceReturns() throws Exception {
        long into = addRead(3);
        queue.kick();
        awaitReads(1);

        CompletableFuture<Void> stop = CompletableFuture.runAsync(device::quiesce);
        Thread.sleep(200);
        assertFalse(stop.isDone(), "quiesce returned while a request was still in host I/O");
        backend.gate.countDown();
        stop.get(5, TimeUnit.SECONDS);

        assertEquals(1, queue.takeUsed().size(), "the request is in the used ring when quiesce returns");
        assertEquals(3, ram.read(into, 1)[0], "with its data");
        assertEquals(0, ram.read(into + 512, 1)[0], "and its status");
        assertTrue(context.irq.level());
    }

    @Test
    void noRequestStartsWhileQuiescedAndTheKickIsServedOnResume() throws Exception {
        backend.gate.countDown();
        device.quiesce();
        long into = addRead(5);
        byte[] before = ram.read(GuestRam.BASE, RAM_SIZE);

        queue.kick();
        Thread.sleep(100);

        assertEquals(0, backend.readsStarted.get(), "a request started while the machine was stopped");
        assertArrayEquals(before, ram.read(GuestRam.BASE, RAM_SIZE), "guest RAM changed while the machine was stopped");
        device.resume();
        List<DriverQueue.Used> used = queue.awaitUsed(1, 5000);
        assertEquals(513, used.get(0).length());
        assertEquals(5, ram.read(into, 1)[0]);
    }

    private void awaitReads(int count) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (backend.readsStarted.get() < count) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the read never reached the backend");
            }
            Thread.sleep(5);
        }
    }
}
