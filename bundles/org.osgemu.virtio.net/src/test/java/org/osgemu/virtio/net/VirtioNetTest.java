package org.osgemu.virtio.net;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.osgemu.virtio.testing.DriverQueue.Buffer.readable;
import static org.osgemu.virtio.testing.DriverQueue.Buffer.writable;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.lang.annotation.Annotation;
import java.net.InetAddress;
import java.net.Socket;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.osgemu.api.vmstate.VMStateException;
import org.osgemu.net.socket.SocketNetBackend;
import org.osgemu.virtio.api.VirtioMmioDevice;
import org.osgemu.virtio.api.VirtioMmioState;
import org.osgemu.virtio.testing.DriverQueue;
import org.osgemu.virtio.testing.FakeDeviceContext;
import org.osgemu.virtio.testing.GuestRam;
import org.osgemu.virtio.testing.VirtioDriver;

class VirtioNetTest {

    private static final byte[] MAC = HexFormat.ofDelimiter(":").parseHex("52:54:00:12:34:56");
    private static final long F_MAC = 1L << 5, F_STATUS = 1L << 16;

    private final GuestRam ram = new GuestRam(1 << 20);
    private final FakeDeviceContext context = new FakeDeviceContext(ram.space());
    private VirtioMmioDevice<VirtioNetState> device;
    private VirtioDriver driver;
    private DriverQueue rx;
    private DriverQueue tx;

    @AfterEach
    void tearDown() {
        if (device != null) {
            ((VirtioNet) device.model()).detach();
            device.unrealize();
        }
        ram.close();
    }

    private void plug(org.osgemu.api.net.NetBackend backend) {
        device = new VirtioMmioDevice<>("net0", VirtioNet.TYPE, new VirtioNet(backend, MAC));
        device.realize(context);
        driver = new VirtioDriver(device, ram);
    }

    private void start() {
        List<DriverQueue> queues = driver.start(F_MAC | F_STATUS, 16, 16);
        rx = queues.get(0);
        tx = queues.get(1);
    }

    private static byte[] frame(int length, int seed) {
        byte[] f = new byte[length];
        for (int i = 0; i < length; i++) f[i] = (byte) (seed + i);
        return f;
    }

    private long addRxBuffer(int size) {
        long at = ram.alloc(size, 8);
        rx.add(writable(at, size));
        return at;
    }

    @Test
    void configurationShowsTheMacAndALinkThatIsUp() {
        plug(new FakeNetBackend());
        assertEquals(1, driver.read(VirtioDriver.DEVICE_ID));
        assertEquals(F_MAC | F_STATUS, driver.deviceFeatures() & 0xFFFF_FFFFL & ~(3L << 28));
        byte[] mac = new byte[6];
        for (int i = 0; i < 6; i++) mac[i] = (byte) driver.readConfig(i, 1);
        assertArrayEquals(MAC, mac);
        assertEquals(0x1200, driver.readConfig(2, 2), "bytes 2..3 of the MAC, little-endian");
        assertEquals(1, driver.readConfig(6, 2));
    }

    @Test
    void transmittedFramesLoseTheirHeaderAndReachTheBackend() {
        FakeNetBackend backend = new FakeNetBackend();
        plug(backend);
        start();
        byte[] f = frame(60, 1);
        tx.add(readable(ram.put(new byte[12]), 12), readable(ram.put(f), 60));
        byte[] withHeader = new byte[12 + 100];
        System.arraycopy(frame(100, 7), 0, withHeader, 12, 100);
        tx.add(readable(ram.put(withHeader), withHeader.length)); // header and frame in one buffer, as Linux does
        tx.kick();
        assertEquals(2, tx.takeUsed().size());
        assertEquals(2, backend.sent.size());
        assertArrayEquals(f, backend.sent.get(0));
        assertArrayEquals(frame(100, 7), backend.sent.get(1));
    }

    @Test
    void receivedFramesGetAHeaderWithOneBuffer() {
        FakeNetBackend backend = new FakeNetBackend();
        plug(backend);
        start();
        long buffer = addRxBuffer(1526);
        rx.kick();
        backend.inject(frame(64, 3));
        DriverQueue.Used used = rx.takeUsed().get(0);
        assertEquals(12 + 64, used.length());
        byte[] got = ram.read(buffer, 12 + 64);
        byte[] header = new byte[12];
        header[10] = 1; // num_buffers
        assertArrayEquals(header, Arrays.copyOf(got, 12));
        assertArrayEquals(frame(64, 3), Arrays.copyOfRange(got, 12, 76));
        assertTrue(context.irq.level());
    }

    @Test
    void framesWaitInTheBackendUntilTheGuestAddsBuffers() {
        FakeNetBackend backend = new FakeNetBackend();
        plug(backend);
        backend.inject(frame(60, 0)); // before the driver is up
        start();
        backend.inject(frame(60, 1)); // driver up, no buffers yet
        assertEquals(2, backend.pending.size());
        addRxBuffer(1526);
        addRxBuffer(1526);
        rx.kick();
        assertEquals(2, rx.takeUsed().size());
        assertEquals(0, backend.pending.size());
    }

    @Test
    void whileTheMachineIsStoppedFramesStayInTheBackendAndComeOnResume() {
        FakeNetBackend backend = new FakeNetBackend();
        plug(backend);
        start();
        addRxBuffer(1526);
        addRxBuffer(1526);
        rx.kick();
        device.quiesce();
        byte[] before = ram.read(GuestRam.BASE, 1 << 20);

        backend.inject(frame(60, 1));
        backend.inject(frame(60, 2));

        assertArrayEquals(before, ram.read(GuestRam.BASE, 1 << 20), "a stopped machine's RAM was written");
        assertEquals(2, backend.pending.size(), "the frames wait in the backend");
        assertEquals(0, context.irq.rises());
        device.resume();
        List<DriverQueue.Used> used = rx.takeUsed();
        assertEquals(2, used.size(), "the held frames are delivered on resume");
        assertEquals(0, backend.pending.size());
        assertTrue(context.irq.level());
    }

    @Test
    void aFloodFromASocketPeerWhileStoppedIsHeldBoundedAndDeliveredInOrderOnResume() throws Exception {
        try (SocketNetBackend backend = new SocketNetBackend("n0", "127.0.0.1:0", null)) {
            plug(backend);
            start();
            long first = addRxBuffer(1526);
            long second = addRxBuffer(1526);
            rx.kick();
            device.quiesce();
            byte[] before = ram.read(GuestRam.BASE, 1 << 20);
            int flood = SocketNetBackend.QUEUE_FRAMES * 4; // more than the backend queues
            try (Socket peer = new Socket(InetAddress.getLoopbackAddress(), backend.localPort())) {
                DataOutputStream out = new DataOutputStream(peer.getOutputStream());
                for (int i = 0; i < flood; i++) {
                    out.writeInt(60);
                    out.write(frame(60, i));
                }
                out.flush();
                Thread.sleep(300); // the backend reads what it can meanwhile
                assertArrayEquals(before, ram.read(GuestRam.BASE, 1 << 20), "a stopped machine's RAM was written");

                device.resume();
                rx.awaitUsed(2, 5000);
                assertArrayEquals(frame(60, 0), ram.read(first + 12, 60), "the oldest frame first");
                assertArrayEquals(frame(60, 1), ram.read(second + 12, 60));
                assertEquals(0, backend.droppedReceived(), "the peer is held back, nothing is lost");
            }
        }
    }

    @Test
    void aFrameTooLargeForTheBufferIsDroppedAndTheBufferKept() {
        FakeNetBackend backend = new FakeNetBackend();
        plug(backend);
        start();
        addRxBuffer(100);
        rx.kick();
        backend.inject(frame(200, 0));
        assertEquals(0, rx.takeUsed().size());
        assertEquals(0, backend.pending.size());
        assertTrue(context.guestErrors.get(0).contains("receive buffer of 100 bytes cannot take a frame of 200 bytes"));
        backend.inject(frame(50, 0));
        assertEquals(62, rx.takeUsed().get(0).length());
    }

    @Test
    void buffersInTheWrongDirectionBreakTheDevice() {
        plug(new FakeNetBackend());
        start();
        tx.add(readable(ram.put(new byte[12]), 12), writable(ram.alloc(16, 8), 16));
        tx.kick();
        assertTrue((driver.status() & VirtioDriver.NEEDS_RESET) != 0);
        assertTrue(context.guestErrors.get(0).contains("queue 1: transmit buffer has 16 device-writable bytes"), context.guestErrors.toString());

        context.guestErrors.clear();
        start();
        tx.add(readable(ram.put(new byte[8]), 8));
        tx.kick();
        assertTrue(context.guestErrors.get(0).contains("lacks the 12-byte virtio-net header"), context.guestErrors.toString());
    }

    @Test
    void aFrameFromARealTcpPeerInQemuFramingReachesTheReceiveQueue() throws Exception {
        try (SocketNetBackend backend = new SocketNetBackend("n0", "127.0.0.1:0", null)) {
            plug(backend);
            start();
            long buffer = addRxBuffer(1526);
            rx.kick();
            try (Socket peer = new Socket(InetAddress.getLoopbackAddress(), backend.localPort())) {
                DataOutputStream out = new DataOutputStream(peer.getOutputStream());
                byte[] f = frame(98, 5);
                out.writeInt(98);
                out.write(f);
                out.flush();
                DriverQueue.Used used = rx.awaitUsed(1, 5000).get(0);
                assertEquals(110, used.length());
                assertArrayEquals(f, ram.read(buffer + 12, 98));

                // And the other way: a frame the guest sends comes out framed.
                byte[] g = frame(70, 9);
                byte[] withHeader = new byte[82];
                System.arraycopy(g, 0, withHeader, 12, 70);
                tx.add(readable(ram.put(withHeader), 82));
                tx.kick();
                DataInputStream in = new DataInputStream(peer.getInputStream());
                assertEquals(70, in.readInt());
                byte[] got = new byte[70];
                in.readFully(got);
                assertArrayEquals(g, got);
            }
        }
    }

    @Test
    void stateRoundTripsWithTheMac() throws Exception {
        plug(new FakeNetBackend());
        start();
        VirtioMmioState saved = device.saveState();
        VirtioMmioState decoded = VirtioMmioState.VMSTATE.load(VirtioMmioState.VMSTATE.save(saved), 1);
        assertEquals(new VirtioNetState(MAC, 1), VirtioNetState.VMSTATE.load(decoded.deviceState(), decoded.deviceVersion()));

        VirtioNet other = new VirtioNet(new FakeNetBackend(), HexFormat.ofDelimiter(":").parseHex("52:54:00:aa:bb:cc"));
        VirtioMmioDevice<VirtioNetState> dest = new VirtioMmioDevice<>("net0", VirtioNet.TYPE, other);
        dest.realize(new FakeDeviceContext(ram.space()));
        dest.loadState(decoded);
        assertArrayEquals(MAC, other.mac(), "the guest keeps its address across migration");
        assertArrayEquals(VirtioMmioState.VMSTATE.save(saved), VirtioMmioState.VMSTATE.save(dest.saveState()));
        dest.unrealize();

        byte[] multicast = VirtioNetState.VMSTATE.save(new VirtioNetState(MAC, 1));
        multicast[0] = 1;
        VMStateException e = assertThrows(VMStateException.class, () -> VirtioNetState.VMSTATE.load(multicast, 1));
        assertTrue(e.getMessage().contains("mac:"), e.getMessage());
    }

    @Test
    void macAddressesAreCheckedAndDefaultedPerDevice() {
        assertArrayEquals(MAC, MacAddress.parse("x", "52:54:00:12:34:56", "net0"));
        assertMessage("is not six hex bytes", () -> MacAddress.parse("osgemu.device.virtio-net-device net0", "52:54:00:12:34", "net0"));
        assertMessage("is a multicast address", () -> MacAddress.parse("osgemu.device.virtio-net-device net0", "01:00:5e:00:00:01", "net0"));
        byte[] a = MacAddress.parse("x", null, "net0");
        byte[] b = MacAddress.parse("x", null, "net1");
        assertEquals("52:54:00", MacAddress.format(a).substring(0, 8));
        assertTrue(!Arrays.equals(a, b));
    }

    @Test
    void theComponentInsistsOnTheNetdevItNames() {
        FakeNetBackend backend = new FakeNetBackend();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new VirtioNetComponent(config("net0", "n9", null), backend));
        assertTrue(e.getMessage().contains("netdev=n9 but the bound backend is n0"), e.getMessage());
        VirtioNetComponent c = new VirtioNetComponent(config("net0", "n0", "52:54:00:12:34:56"), backend);
        assertTrue(backend.receiver != null);
        c.deactivate();
        assertNull(backend.receiver);
    }

    private static void assertMessage(String expected, org.junit.jupiter.api.function.Executable action) {
        RuntimeException e = assertThrows(RuntimeException.class, action);
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }

    private static VirtioNetConfig config(String id, String netdev, String mac) {
        return new VirtioNetConfig() {
            @Override public Class<? extends Annotation> annotationType() { return VirtioNetConfig.class; }
            @Override public String id() { return id; }
            @Override public String machine() { return "m"; }
            @Override public String netdev() { return netdev; }
            @Override public String mac() { return mac; }
        };
    }
}
