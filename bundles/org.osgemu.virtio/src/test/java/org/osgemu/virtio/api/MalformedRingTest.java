package org.osgemu.virtio.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.osgemu.virtio.testing.DriverQueue.Buffer.readable;
import static org.osgemu.virtio.testing.DriverQueue.Buffer.writable;
import static org.osgemu.virtio.testing.DriverQueue.INDIRECT;
import static org.osgemu.virtio.testing.DriverQueue.NEXT;
import static org.osgemu.virtio.testing.DriverQueue.WRITE;

import java.util.List;
import java.util.function.BiConsumer;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.osgemu.virtio.testing.DriverQueue;
import org.osgemu.virtio.testing.FakeDeviceContext;
import org.osgemu.virtio.testing.GuestRam;
import org.osgemu.virtio.testing.VirtioDriver;

/**
 * Every way a guest can break a split virtqueue ends in DEVICE_NEEDS_RESET with one log line
 * naming the device, the queue and the reason, a configuration interrupt, no exception, and a
 * device that works again after a reset; other devices are not affected.
 */
class MalformedRingTest {

    private static final long SIZE = 8;

    private GuestRam ram;
    private FakeDeviceContext context;
    private VirtioMmioDevice<ScriptedModel.State> device;
    private VirtioDriver driver;

    @BeforeEach
    void setUp() {
        ram = new GuestRam(1 << 20);
        context = new FakeDeviceContext(ram.space());
        device = new VirtioMmioDevice<>("bad0", "scripted", new ScriptedModel());
        device.setDrainTimeout(50); // the scripted model may hold chains on purpose
        device.realize(context);
        driver = new VirtioDriver(device, ram);
    }

    @AfterEach
    void tearDown() {
        device.unrealize();
        ram.close();
    }

    /** A way to break the ring: builds it into {@code q} (negotiated INDIRECT) using {@code ram}. */
    private record Breakage(String name, String reason, BiConsumer<DriverQueue, GuestRam> build) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Arguments> breakages() {
        return Stream.of(
                new Breakage("head outside the table", "descriptor 9 is outside the descriptor table", (q, ram) -> q.publish(9)),
                new Breakage("next outside the table", "descriptor 200 is outside the descriptor table", (q, ram) -> {
                    q.writeDescriptor(0, ram.alloc(4, 4), 4, NEXT, 200);
                    q.publish(0);
                }),
                new Breakage("loop", "longer than the 8 entries of its descriptor table (a loop)", (q, ram) -> {
                    long b = ram.alloc(4, 4);
                    q.writeDescriptor(0, b, 4, NEXT, 1);
                    q.writeDescriptor(1, b, 4, NEXT, 0);
                    q.publish(0);
                }),
                new Breakage("buffer outside RAM", "is not RAM", (q, ram) -> {
                    q.writeDescriptor(0, 0x1000_0000L, 16, WRITE, 0);
                    q.publish(0);
                }),
                new Breakage("buffer wrapping around", "wraps around", (q, ram) -> {
                    q.writeDescriptor(0, 0xFFFF_FFFF_FFFF_FFF0L, 0x20, 0, 0);
                    q.publish(0);
                }),
                new Breakage("huge length past RAM", "is not RAM", (q, ram) -> {
                    q.writeDescriptor(0, GuestRam.BASE, 0xFFFF_FFFFL, WRITE, 0);
                    q.publish(0);
                }),
                new Breakage("readable after writable", "device-readable after a device-writable one", (q, ram) -> {
                    q.add(writable(ram.alloc(4, 4), 4), readable(ram.alloc(4, 4), 4));
                }),
                new Breakage("nested indirect", "nesting is not allowed", (q, ram) -> {
                    long inner = ram.alloc(16, 16);
                    long outer = ram.alloc(16, 16);
                    ram.writeU64(outer, inner);
                    ram.writeU32(outer + 8, 16);
                    ram.writeU16(outer + 12, INDIRECT);
                    q.writeDescriptor(0, outer, 16, INDIRECT, 0);
                    q.publish(0);
                }),
                new Breakage("indirect with NEXT", "is indirect and also has NEXT set", (q, ram) -> {
                    q.writeDescriptor(0, ram.alloc(16, 16), 16, INDIRECT | NEXT, 1);
                    q.publish(0);
                }),
                new Breakage("indirect length not a multiple of 16", "indirect table of 24 bytes", (q, ram) -> {
                    q.writeDescriptor(0, ram.alloc(32, 16), 24, INDIRECT, 0);
                    q.publish(0);
                }),
                new Breakage("indirect table outside RAM", "is not RAM", (q, ram) -> {
                    q.writeDescriptor(0, 0x4000_0000L, 32, INDIRECT, 0);
                    q.publish(0);
                }),
                new Breakage("loop inside an indirect table", "longer than the 2 entries of its indirect table", (q, ram) -> {
                    long table = ram.alloc(32, 16);
                    long b = ram.alloc(4, 4);
                    for (int i = 0; i < 2; i++) {
                        ram.writeU64(table + 16 * i, b);
                        ram.writeU32(table + 16 * i + 8, 4);
                        ram.writeU16(table + 16 * i + 12, NEXT);
                        ram.writeU16(table + 16 * i + 14, 1 - i);
                    }
                    q.writeDescriptor(0, table, 32, INDIRECT, 0);
                    q.publish(0);
                }),
                new Breakage("available index running ahead", "more than the 8 entries of the queue", (q, ram) -> q.setAvailIdx(9)))
                .map(Arguments::of);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("breakages")
    void aBrokenRingPutsTheDeviceInNeedsReset(Breakage breakage) {
        DriverQueue q = driver.start(VirtioDriver.F_INDIRECT, (int) SIZE, (int) SIZE).get(1);
        breakage.build().accept(q, ram);
        q.kick();
        assertBroken(1, breakage.reason());
        assertWorksAfterReset();
    }

    @Test
    void anIndirectDescriptorWithoutTheFeatureBreaksTheDevice() {
        DriverQueue q = driver.start(0, 8, 8).get(0);
        q.addIndirect(writable(ram.alloc(4, 4), 4));
        q.kick();
        assertBroken(0, "VIRTIO_F_RING_INDIRECT_DESC was not negotiated");
    }

    @Test
    void aHeadMadeAvailableTwiceWhileInFlightBreaksTheDevice() {
        ScriptedModel model = (ScriptedModel) device.model();
        model.onNotify = (t, vq) -> {
            while (vq.pop() != null) {
                // holds the chains, as a device with slow I/O would
            }
        };
        DriverQueue q = driver.start(0, 8, 8).get(0);
        int head = q.add(writable(ram.alloc(4, 4), 4));
        q.kick();
        q.publish(head);
        q.kick();
        assertBroken(0, "head descriptor 0 was made available again");
    }

    @Test
    void ringsOutsideRamBreakTheDeviceWhenTheQueueIsEnabled() {
        driver.negotiate(VirtioDriver.F_VERSION_1);
        driver.write(VirtioDriver.QUEUE_SEL, 0);
        driver.write(VirtioDriver.QUEUE_DESC_LOW, 0x2000_0000L);
        driver.write(VirtioDriver.QUEUE_DRIVER_LOW, 0x2000_1000L);
        driver.write(VirtioDriver.QUEUE_DEVICE_LOW, 0x2000_2000L);
        driver.write(VirtioDriver.QUEUE_READY, 1);
        assertEquals(0, driver.read(VirtioDriver.QUEUE_READY));
        assertTrue((driver.status() & VirtioDriver.NEEDS_RESET) != 0);
        assertEquals(1, context.guestErrors.size());
        assertTrue(context.guestErrors.get(0).contains("is not RAM"), context.guestErrors.toString());
    }

    @Test
    void aDeviceThatRefusesAChainForItsShapeNeedsAReset() {
        ScriptedModel model = (ScriptedModel) device.model();
        model.onNotify = (t, vq) -> {
            DescriptorChain c = vq.pop();
            vq.refuse(c, "request header is in a device-writable buffer");
        };
        DriverQueue q = driver.start(0, 8, 8).get(0);
        q.add(writable(ram.alloc(16, 4), 16));
        q.kick();
        assertBroken(0, "request header is in a device-writable buffer");
        model.onNotify = ScriptedModel::echoAll;
        assertWorksAfterReset();
    }

    @Test
    void anotherDeviceKeepsWorkingWhileOneIsBroken() {
        VirtioMmioDevice<ScriptedModel.State> other = new VirtioMmioDevice<>("good0", "scripted", new ScriptedModel());
        FakeDeviceContext otherContext = new FakeDeviceContext(ram.space());
        other.realize(otherContext);
        VirtioDriver otherDriver = new VirtioDriver(other, ram);
        DriverQueue good = otherDriver.start(0, 8, 8).get(0);

        DriverQueue bad = driver.start(0, 8, 8).get(0);
        bad.publish(7);
        bad.setAvailIdx(40);
        bad.kick();
        assertTrue((driver.status() & VirtioDriver.NEEDS_RESET) != 0);

        long in = ram.put(new byte[] {5, 6});
        long out = ram.alloc(2, 2);
        good.add(readable(in, 2), writable(out, 2));
        good.kick();
        assertEquals(1, good.takeUsed().size());
        assertEquals(0, otherDriver.status() & VirtioDriver.NEEDS_RESET);
        assertTrue(otherContext.guestErrors.isEmpty());
        other.unrealize();
    }

    private void assertBroken(int queue, String reason) {
        assertTrue((driver.status() & VirtioDriver.NEEDS_RESET) != 0, "status has DEVICE_NEEDS_RESET");
        assertEquals(Virtio.INTERRUPT_CONFIG_CHANGE, driver.read(VirtioDriver.INTERRUPT_STATUS) & Virtio.INTERRUPT_CONFIG_CHANGE);
        assertTrue(context.irq.level());
        assertEquals(1, context.guestErrors.size(), context.guestErrors.toString());
        String line = context.guestErrors.get(0);
        assertTrue(line.startsWith("scripted bad0: queue " + queue + ": "), line);
        assertTrue(line.contains(reason), line + " should say " + reason);
        // More kicks while broken do nothing and log nothing more.
        driver.write(VirtioDriver.QUEUE_NOTIFY, queue);
        assertEquals(1, context.guestErrors.size());
    }

    private void assertWorksAfterReset() {
        context.guestErrors.clear();
        DriverQueue q = driver.start(0, 8, 8).get(0);
        assertEquals(0, driver.status() & VirtioDriver.NEEDS_RESET);
        long in = ram.put(new byte[] {1, 2, 3});
        long out = ram.alloc(3, 4);
        q.add(readable(in, 3), writable(out, 3));
        q.kick();
        assertEquals(List.of(3L), q.takeUsed().stream().map(DriverQueue.Used::length).toList());
        assertTrue(context.guestErrors.isEmpty(), context.guestErrors.toString());
    }
}
