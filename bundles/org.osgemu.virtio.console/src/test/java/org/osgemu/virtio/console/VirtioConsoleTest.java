package org.osgemu.virtio.console;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.osgemu.virtio.testing.DriverQueue.Buffer.readable;
import static org.osgemu.virtio.testing.DriverQueue.Buffer.writable;

import java.lang.annotation.Annotation;
import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.osgemu.api.vmstate.VMStateException;
import org.osgemu.virtio.api.VirtioMmioDevice;
import org.osgemu.virtio.api.VirtioMmioState;
import org.osgemu.virtio.testing.DriverQueue;
import org.osgemu.virtio.testing.FakeDeviceContext;
import org.osgemu.virtio.testing.GuestRam;
import org.osgemu.virtio.testing.VirtioDriver;

class VirtioConsoleTest {

    private static final long F_EMERG_WRITE = 1L << 2;

    private final GuestRam ram = new GuestRam(1 << 20);
    private final FakeDeviceContext context = new FakeDeviceContext(ram.space());
    private final FakeChardev chardev = new FakeChardev();
    private final VirtioConsole console = new VirtioConsole();
    private final VirtioMmioDevice<VirtioConsoleState> device = new VirtioMmioDevice<>("con0", VirtioConsole.TYPE, console);
    private final VirtioDriver driver = new VirtioDriver(device, ram);
    private DriverQueue rx;
    private DriverQueue tx;

    @BeforeEach
    void setUp() {
        console.connectChardev(chardev);
        device.realize(context);
    }

    @AfterEach
    void tearDown() {
        device.unrealize();
        ram.close();
    }

    private void start(long features) {
        List<DriverQueue> queues = driver.start(features, 16, 16);
        rx = queues.get(0);
        tx = queues.get(1);
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    private String received(long address, long length) {
        return new String(ram.read(address, (int) length), StandardCharsets.US_ASCII);
    }

    @Test
    void isAConsoleWithOnePortAndEmergencyWrite() {
        assertEquals(3, driver.read(VirtioDriver.DEVICE_ID));
        assertEquals(F_EMERG_WRITE, driver.deviceFeatures() & 0xFFFF_FFFFL & ~(3L << 28));
        driver.write(VirtioDriver.QUEUE_SEL, 1);
        assertEquals(128, driver.read(VirtioDriver.QUEUE_NUM_MAX));
        driver.write(VirtioDriver.QUEUE_SEL, 2);
        assertEquals(0, driver.read(VirtioDriver.QUEUE_NUM_MAX), "no control queues without MULTIPORT");
    }

    @Test
    void whatTheGuestTransmitsReachesTheChardevInOrder() {
        start(0);
        tx.add(readable(ram.put(ascii("Linux version ")), 14), readable(ram.put(ascii("6.1\n")), 4));
        tx.add(readable(ram.put(ascii("login: ")), 7));
        tx.kick();
        assertEquals(2, tx.takeUsed().size());
        assertEquals("Linux version 6.1\nlogin: ", chardev.output());
        assertTrue(context.irq.level());
    }

    @Test
    void inputTypedWhileTheMachineIsStoppedStaysInTheChardevUntilResume() {
        start(0);
        long buffer = ram.alloc(64, 4);
        int head = rx.add(writable(buffer, 64));
        rx.kick();
        device.quiesce();
        byte[] before = ram.read(GuestRam.BASE, 1 << 20);

        chardev.type("ls\n");

        assertEquals(3, chardev.held(), "a stopped machine's console read input from the chardev");
        assertArrayEquals(before, ram.read(GuestRam.BASE, 1 << 20));
        device.resume();
        assertEquals(List.of(new DriverQueue.Used(head, 3)), rx.takeUsed());
        assertEquals("ls\n", received(buffer, 3));
        assertEquals(0, chardev.held());
    }

    @Test
    void typedInputFillsTheReceiveBuffers() {
        start(0);
        long a = ram.alloc(4, 4);
        long b = ram.alloc(64, 4);
        int ha = rx.add(writable(a, 4));
        int hb = rx.add(writable(b, 64));
        rx.kick();
        chardev.type("root\nls -l\n");
        List<DriverQueue.Used> used = rx.takeUsed();
        assertEquals(List.of(new DriverQueue.Used(ha, 4), new DriverQueue.Used(hb, 7)), used);
        assertEquals("root", received(a, 4));
        assertEquals("\nls -l\n", received(b, 7));
        assertEquals(0, chardev.held());
    }

    @Test
    void inputBeforeTheGuestIsReadyStaysInTheBackend() {
        String early = "x".repeat(VirtioConsole.INPUT_CAPACITY + 10);
        chardev.type(early);
        assertEquals(early.length(), chardev.held(), "nothing is taken before DRIVER_OK");
        start(0);
        assertEquals(10, chardev.held(), "the console buffers what fits once the driver is up");
        long big = ram.alloc(8192, 8);
        rx.add(writable(big, 8192));
        rx.kick();
        List<DriverQueue.Used> used = rx.takeUsed();
        assertEquals(1, used.size());
        assertEquals(VirtioConsole.INPUT_CAPACITY, used.get(0).length());
        assertEquals(0, chardev.held(), "room again: the rest was taken from the backend");
    }

    @Test
    void heldInputGoesOutWhenTheGuestAddsBuffers() {
        chardev.type("y".repeat(VirtioConsole.INPUT_CAPACITY + 10));
        start(0);
        rx.add(writable(ram.alloc(8192, 8), 8192));
        rx.kick(); // takes the buffered 4096, then asks the backend for more: 10 bytes wait in the console
        long second = ram.alloc(64, 8);
        rx.add(writable(second, 64));
        rx.kick();
        List<DriverQueue.Used> used = rx.takeUsed();
        assertEquals(2, used.size());
        assertEquals(10, used.get(1).length());
        assertEquals("yyyyyyyyyy", received(second, 10));
    }

    @Test
    void emergencyWriteGoesStraightOut() {
        start(F_EMERG_WRITE);
        driver.writeConfig(VirtioConsole.EMERG_WR, '!', 4);
        assertEquals("!", chardev.output());
    }

    @Test
    void withoutAChardevOutputIsDropped() {
        console.disconnectChardev(chardev);
        assertNull(chardev.receiver);
        start(0);
        tx.add(readable(ram.put(ascii("lost")), 4));
        tx.kick();
        assertEquals(1, tx.takeUsed().size());
        assertEquals("", chardev.output());
    }

    @Test
    void aWritableTransmitBufferBreaksTheDevice() {
        start(0);
        tx.add(writable(ram.alloc(8, 8), 8));
        tx.kick();
        assertTrue((driver.status() & VirtioDriver.NEEDS_RESET) != 0);
        assertTrue(context.guestErrors.get(0).contains("queue 1: transmit buffer has 8 device-writable bytes"), context.guestErrors.toString());
    }

    @Test
    void resetDropsBufferedInput() {
        start(0);
        chardev.type("stale");
        start(0); // the driver resets and sets the device up again
        long a = ram.alloc(16, 8);
        rx.add(writable(a, 16));
        rx.kick();
        chardev.type("new");
        assertEquals("new", received(a, rx.takeUsed().get(0).length()));
    }

    @Test
    void bufferedInputMigrates() throws Exception {
        start(0);
        chardev.type("pending"); // no receive buffers yet: the console holds it
        VirtioMmioState saved = device.saveState();
        VirtioMmioState decoded = VirtioMmioState.VMSTATE.load(VirtioMmioState.VMSTATE.save(saved), 1);
        assertEquals(new VirtioConsoleState(ascii("pending")),
                VirtioConsoleState.VMSTATE.load(decoded.deviceState(), decoded.deviceVersion()));

        VirtioConsole destConsole = new VirtioConsole();
        VirtioMmioDevice<VirtioConsoleState> dest = new VirtioMmioDevice<>("con0", VirtioConsole.TYPE, destConsole);
        dest.realize(new FakeDeviceContext(ram.space()));
        dest.loadState(decoded);
        long a = ram.alloc(16, 8);
        rx.add(writable(a, 16)); // the guest goes on with its rings, now served by the destination
        new VirtioDriver(dest, ram).write(VirtioDriver.QUEUE_NOTIFY, 0);
        assertEquals("pending", received(a, rx.takeUsed().get(0).length()));
        dest.unrealize();
    }

    @Test
    void tooMuchPendingInputIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new VirtioConsoleState(new byte[5000]));
        assertTrue(e.getMessage().startsWith("pendingInput: 5000 bytes"));
        byte[] encoded = new byte[4 + 5000];
        encoded[2] = (byte) (5000 >>> 8);
        encoded[3] = (byte) 5000;
        VMStateException v = assertThrows(VMStateException.class, () -> VirtioConsoleState.VMSTATE.load(encoded, 1));
        assertTrue(v.getMessage().contains("pendingInput"), v.getMessage());
    }

    @Test
    void theComponentBindsItsChardev() {
        VirtioConsoleComponent c = new VirtioConsoleComponent(new VirtioConsoleConfig() {
            @Override public Class<? extends Annotation> annotationType() { return VirtioConsoleConfig.class; }
            @Override public String id() { return "con1"; }
            @Override public String machine() { return "m"; }
            @Override public String chardev_target() { return "(id=con0)"; }
        });
        FakeChardev backend = new FakeChardev();
        c.bindChardev(backend);
        assertTrue(backend.receiver != null);
        c.deactivate();
        assertNull(backend.receiver);
        assertArrayEquals(new byte[0], new byte[0]);
    }
}
