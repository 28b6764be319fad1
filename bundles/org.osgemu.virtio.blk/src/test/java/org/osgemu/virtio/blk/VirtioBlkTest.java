package org.osgemu.virtio.blk;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.osgemu.virtio.testing.DriverQueue.Buffer.readable;
import static org.osgemu.virtio.testing.DriverQueue.Buffer.writable;

import java.io.IOException;
import java.lang.annotation.Annotation;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgemu.api.vmstate.VMStateException;
import org.osgemu.block.RawBlockBackend;
import org.osgemu.virtio.api.VirtioMmioDevice;
import org.osgemu.virtio.api.VirtioMmioState;
import org.osgemu.virtio.testing.DriverQueue;
import org.osgemu.virtio.testing.DriverQueue.Buffer;
import org.osgemu.virtio.testing.FakeDeviceContext;
import org.osgemu.virtio.testing.GuestRam;
import org.osgemu.virtio.testing.VirtioDriver;

/** virtio-blk against a raw image in a temporary file: what the guest does, and what lands in the file. */
class VirtioBlkTest {

    private static final int IMAGE_SIZE = 64 * 1024;
    private static final long F_RO = 1L << 5, F_FLUSH = 1L << 9, F_DISCARD = 1L << 13, F_WRITE_ZEROES = 1L << 14;

    @TempDir
    Path dir;

    private final GuestRam ram = new GuestRam(1 << 20);
    private final FakeDeviceContext context = new FakeDeviceContext(ram.space());
    private final List<AutoCloseable> toClose = new ArrayList<>();
    private Path image;
    private RawBlockBackend backend;
    private VirtioMmioDevice<VirtioBlkState> device;
    private VirtioDriver driver;
    private DriverQueue queue;

    @AfterEach
    void tearDown() throws Exception {
        if (device != null) {
            device.unrealize();
            ((VirtioBlk) device.model()).close();
        }
        for (AutoCloseable c : toClose) c.close();
        ram.close();
    }

    /** A drive over a fresh image whose sector {@code n} is filled with byte {@code n}. */
    private void start(boolean readOnly, boolean discard, long features) throws IOException {
        byte[] data = new byte[IMAGE_SIZE];
        for (int i = 0; i < data.length; i++) data[i] = (byte) (i / 512);
        image = dir.resolve("disk.img");
        Files.write(image, data);
        backend = new RawBlockBackend("hd0", image, readOnly, discard);
        toClose.add(backend);
        device = new VirtioMmioDevice<>("vd0", VirtioBlk.TYPE, new VirtioBlk(backend, "SERIAL-0123456789-ABCDEF"));
        device.realize(context);
        driver = new VirtioDriver(device, ram);
        queue = driver.start(features, 256).get(0);
    }

    private static byte[] header(int type, long sector) {
        return ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putInt(type).putInt(0).putLong(sector).array();
    }

    /** Sends a request; returns {status, used length} after the device completed it. */
    private long[] request(Buffer... buffers) {
        queue.add(buffers);
        queue.kick();
        DriverQueue.Used used = queue.awaitUsed(1, 5000).get(0);
        Buffer last = buffers[buffers.length - 1];
        int status = ram.read(last.address() + last.length() - 1, 1)[0];
        return new long[] {status, used.length()};
    }

    private Buffer statusByte() {
        long at = ram.alloc(1, 1);
        ram.write(at, new byte[] {(byte) 0xEE});
        return writable(at, 1);
    }

    private long[] write(long sector, byte[] data) {
        return request(readable(ram.put(header(VirtioBlkLayout.T_OUT, sector)), 16), readable(ram.put(data), data.length), statusByte());
    }

    private long[] read(long sector, long into, int length) {
        return request(readable(ram.put(header(VirtioBlkLayout.T_IN, sector)), 16), writable(into, length), statusByte());
    }

    private byte[] fileSector(int sector) throws IOException {
        return Arrays.copyOfRange(Files.readAllBytes(image), sector * 512, sector * 512 + 512);
    }

    @Test
    void configurationDescribesTheDisk() throws IOException {
        start(false, true, 0);
        assertEquals(2, driver.read(VirtioDriver.DEVICE_ID));
        assertEquals(IMAGE_SIZE / 512, driver.readConfig(0, 4) | driver.readConfig(4, 4) << 32);
        assertEquals(512, driver.readConfig(VirtioBlkLayout.BLK_SIZE, 4));
        assertEquals(254, driver.readConfig(VirtioBlkLayout.SEG_MAX, 4));
        assertEquals(1 << 21, driver.readConfig(VirtioBlkLayout.MAX_DISCARD_SECTORS, 4));
        assertEquals(1, driver.readConfig(VirtioBlkLayout.WRITE_ZEROES_MAY_UNMAP, 1));
        long features = driver.deviceFeatures();
        assertEquals(F_FLUSH | F_DISCARD | F_WRITE_ZEROES, features & (F_RO | F_FLUSH | F_DISCARD | F_WRITE_ZEROES));
        assertEquals(256, driver.read(VirtioDriver.QUEUE_NUM_MAX));
    }

    @Test
    void aWriteLandsInTheFileAndReadsBack() throws IOException {
        start(false, true, F_FLUSH);
        byte[] data = new byte[1024];
        Arrays.fill(data, (byte) 0x5A);
        assertArrayEquals(new long[] {0, 1}, write(3, data));
        byte[] expected = new byte[512];
        Arrays.fill(expected, (byte) 0x5A);
        assertArrayEquals(expected, fileSector(3));
        assertArrayEquals(expected, fileSector(4));
        assertEquals(5, fileSector(5)[0]);

        assertArrayEquals(new long[] {0, 1}, request(readable(ram.put(header(VirtioBlkLayout.T_FLUSH, 0)), 16), statusByte()));

        long into = ram.alloc(1536, 512);
        assertArrayEquals(new long[] {0, 1537}, read(2, into, 1536));
        byte[] got = ram.read(into, 1536);
        assertEquals(2, got[0]);
        assertEquals(0x5A, got[512]);
        assertEquals(0x5A, got[1535]);
    }

    @Test
    void aReadThroughAnIndirectTableSpanningSeveralBuffers() throws IOException {
        start(false, true, VirtioDriver.F_INDIRECT);
        long a = ram.alloc(512, 512);
        long b = ram.alloc(512, 512);
        long status = ram.alloc(1, 1);
        queue.addIndirect(readable(ram.put(header(VirtioBlkLayout.T_IN, 7)), 16), writable(a, 512), writable(b, 512), writable(status, 1));
        queue.kick();
        assertEquals(1025, queue.awaitUsed(1, 5000).get(0).length());
        assertEquals(7, ram.read(a, 1)[0]);
        assertEquals(8, ram.read(b, 1)[0]);
        assertEquals(0, ram.read(status, 1)[0]);
    }

    @Test
    void manyRequestsInFlightAllComplete() throws IOException {
        start(false, true, 0);
        for (int i = 0; i < 32; i++) {
            byte[] data = new byte[512];
            Arrays.fill(data, (byte) (100 + i));
            queue.add(readable(ram.put(header(VirtioBlkLayout.T_OUT, i)), 16), readable(ram.put(data), 512), statusByte());
        }
        queue.kick();
        assertEquals(32, queue.awaitUsed(32, 10_000).size());
        for (int i = 0; i < 32; i++) {
            assertEquals((byte) (100 + i), fileSector(i)[511]);
        }
    }

    @Test
    void getIdReturnsTheSerialCutTo20Bytes() throws IOException {
        start(false, true, 0);
        long id = ram.alloc(20, 4);
        assertArrayEquals(new long[] {0, 21}, request(readable(ram.put(header(VirtioBlkLayout.T_GET_ID, 0)), 16), writable(id, 20), statusByte()));
        assertEquals("SERIAL-0123456789-AB", new String(ram.read(id, 20), StandardCharsets.US_ASCII));
        long shortId = ram.alloc(8, 4);
        assertArrayEquals(new long[] {0, 9}, request(readable(ram.put(header(VirtioBlkLayout.T_GET_ID, 0)), 16), writable(shortId, 8), statusByte()));
        assertEquals("SERIAL-0", new String(ram.read(shortId, 8), StandardCharsets.US_ASCII));
    }

    private static byte[] segments(long... sectorCountFlags) {
        ByteBuffer b = ByteBuffer.allocate(16 + sectorCountFlags.length / 3 * 16).order(ByteOrder.LITTLE_ENDIAN);
        b.position(16);
        for (int i = 0; i < sectorCountFlags.length; i += 3) {
            b.putLong(sectorCountFlags[i]).putInt((int) sectorCountFlags[i + 1]).putInt((int) sectorCountFlags[i + 2]);
        }
        return b.array();
    }

    private long[] discardLike(int type, long... sectorCountFlags) {
        byte[] body = segments(sectorCountFlags);
        System.arraycopy(header(type, 0), 0, body, 0, 16);
        return request(readable(ram.put(body), body.length), statusByte());
    }

    @Test
    void discardAndWriteZeroesZeroTheirSectors() throws IOException {
        start(false, true, F_DISCARD | F_WRITE_ZEROES);
        assertArrayEquals(new long[] {0, 1}, discardLike(VirtioBlkLayout.T_DISCARD, 10, 2, 0, 20, 1, 0));
        assertArrayEquals(new long[] {0, 1}, discardLike(VirtioBlkLayout.T_WRITE_ZEROES, 30, 1, 1));
        assertEquals(0, fileSector(10)[0]);
        assertEquals(0, fileSector(11)[511]);
        assertEquals(12, fileSector(12)[0]);
        assertEquals(0, fileSector(20)[100]);
        assertEquals(0, fileSector(30)[0]);
        assertEquals(31, fileSector(31)[0]);
    }

    @Test
    void discardRequestsAgainstTheRulesAreAnsweredNotObeyed() throws IOException {
        start(false, true, F_DISCARD | F_WRITE_ZEROES);
        assertEquals(VirtioBlkLayout.S_UNSUPP, discardLike(VirtioBlkLayout.T_DISCARD, 10, 1, 1)[0], "discard with UNMAP");
        assertEquals(VirtioBlkLayout.S_UNSUPP, discardLike(VirtioBlkLayout.T_WRITE_ZEROES, 10, 1, 2)[0], "unknown flag");
        assertEquals(VirtioBlkLayout.S_IOERR, discardLike(VirtioBlkLayout.T_DISCARD, 127, 2, 0)[0], "past the end");
        assertEquals(VirtioBlkLayout.S_IOERR, discardLike(VirtioBlkLayout.T_WRITE_ZEROES, 0, (1 << 21) + 1, 0)[0], "too many sectors");
        assertEquals(10, fileSector(10)[0]);
    }

    @Test
    void discardThatWasNotNegotiatedIsUnsupported() throws IOException {
        start(false, true, 0);
        assertEquals(VirtioBlkLayout.S_UNSUPP, discardLike(VirtioBlkLayout.T_DISCARD, 10, 1, 0)[0]);
        assertEquals(10, fileSector(10)[0]);
    }

    @Test
    void aReadOnlyDriveRefusesWritesWithAnIoError() throws IOException {
        start(true, true, F_RO);
        assertEquals(F_RO, driver.deviceFeatures() & (F_RO | F_DISCARD | F_WRITE_ZEROES));
        byte[] before = Files.readAllBytes(image);
        assertEquals(VirtioBlkLayout.S_IOERR, write(1, new byte[512])[0]);
        assertEquals(VirtioBlkLayout.S_UNSUPP, discardLike(VirtioBlkLayout.T_WRITE_ZEROES, 1, 1, 0)[0]);
        assertArrayEquals(before, Files.readAllBytes(image));
        long into = ram.alloc(512, 512);
        assertEquals(0, read(1, into, 512)[0], "reads still work");
    }

    @Test
    void requestsOutsideTheDiskOrNotInWholeSectorsGetAnIoError() throws IOException {
        start(false, true, 0);
        long into = ram.alloc(1024, 512);
        assertArrayEquals(new long[] {VirtioBlkLayout.S_IOERR, 1}, read(127, into, 1024));
        assertEquals(VirtioBlkLayout.S_IOERR, read(128, into, 512)[0]);
        assertEquals(VirtioBlkLayout.S_IOERR, read(-1L, into, 512)[0]);
        assertEquals(VirtioBlkLayout.S_IOERR, write(0, new byte[100])[0]);
        assertEquals(0, read(127, into, 512)[0], "the last sector itself is fine");
        assertEquals(IMAGE_SIZE, Files.size(image));
    }

    @Test
    void anUnknownRequestTypeIsUnsupported() throws IOException {
        start(false, true, 0);
        assertEquals(VirtioBlkLayout.S_UNSUPP, request(readable(ram.put(header(99, 0)), 16), statusByte())[0]);
    }

    @Test
    void aRequestWithoutStatusByteOrHeaderBreaksTheDevice() throws IOException {
        start(false, true, 0);
        queue.add(readable(ram.put(header(VirtioBlkLayout.T_IN, 0)), 16));
        queue.kick();
        assertTrue((driver.status() & VirtioDriver.NEEDS_RESET) != 0);
        assertTrue(context.guestErrors.get(0).contains("queue 0: request has no device-writable status byte"), context.guestErrors.toString());

        queue = driver.start(0, 256).get(0);
        context.guestErrors.clear();
        queue.add(writable(ram.alloc(16, 8), 16), statusByte());
        queue.kick();
        assertTrue((driver.status() & VirtioDriver.NEEDS_RESET) != 0);
        assertTrue(context.guestErrors.get(0).contains("lacks the 16-byte header"), context.guestErrors.toString());
    }

    @Test
    void stateRoundTripsAndADifferentDiskIsRefused() throws Exception {
        start(false, true, 0);
        write(1, new byte[512]);
        VirtioMmioState saved = device.saveState();
        VirtioMmioState decoded = VirtioMmioState.VMSTATE.load(VirtioMmioState.VMSTATE.save(saved), 1);
        assertEquals(new VirtioBlkState(128), VirtioBlkState.VMSTATE.load(decoded.deviceState(), decoded.deviceVersion()));

        VirtioMmioDevice<VirtioBlkState> same = new VirtioMmioDevice<>("vd0", VirtioBlk.TYPE, new VirtioBlk(backend, null));
        same.realize(new FakeDeviceContext(ram.space()));
        same.loadState(decoded);
        assertArrayEquals(VirtioMmioState.VMSTATE.save(saved), VirtioMmioState.VMSTATE.save(same.saveState()));
        same.unrealize();

        Path other = dir.resolve("other.img");
        Files.write(other, new byte[4096]);
        RawBlockBackend small = new RawBlockBackend("hd1", other, false, true);
        toClose.add(small);
        VirtioMmioDevice<VirtioBlkState> dest = new VirtioMmioDevice<>("vd0", VirtioBlk.TYPE, new VirtioBlk(small, null));
        VMStateException e = assertThrows(VMStateException.class, () -> dest.loadState(decoded));
        assertTrue(e.getMessage().contains("capacity: the guest saw 128 sectors, drive hd1 has 8"), e.getMessage());
    }

    @Test
    void theComponentInsistsOnTheDriveItNames() throws IOException {
        Path p = dir.resolve("c.img");
        Files.write(p, new byte[4096]);
        RawBlockBackend hd1 = new RawBlockBackend("hd1", p, false, true);
        toClose.add(hd1);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new VirtioBlkComponent(config("vd0", "m", "hd0"), hd1));
        assertTrue(e.getMessage().contains("drive=hd0 but the bound backend is hd1"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new VirtioBlkComponent(config("vd0", "m", null), hd1));
        assertTrue(e.getMessage().contains("'drive' is missing"), e.getMessage());
        VirtioBlkComponent ok = new VirtioBlkComponent(config("vd0", "m", "hd1"), hd1);
        assertEquals("virtio-blk-device", ok.type());
        ok.deactivate();
    }

    private static VirtioBlkConfig config(String id, String machine, String drive) {
        return new VirtioBlkConfig() {
            @Override public Class<? extends Annotation> annotationType() { return VirtioBlkConfig.class; }
            @Override public String id() { return id; }
            @Override public String machine() { return machine; }
            @Override public String drive() { return drive; }
            @Override public String serial() { return null; }
        };
    }
}
