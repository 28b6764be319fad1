package org.osgemu.virtio.api;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.osgemu.virtio.testing.DriverQueue.Buffer.readable;
import static org.osgemu.virtio.testing.DriverQueue.Buffer.writable;

import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.osgemu.virtio.testing.DriverQueue;
import org.osgemu.virtio.testing.DriverQueue.Used;
import org.osgemu.virtio.testing.FakeDeviceContext;
import org.osgemu.virtio.testing.GuestRam;
import org.osgemu.virtio.testing.VirtioDriver;

/** Split-virtqueue parsing and notification suppression, driven through a real MMIO window. */
class VirtQueueTest {

    private GuestRam ram;
    private FakeDeviceContext context;
    private ScriptedModel model;
    private VirtioMmioDevice<ScriptedModel.State> device;
    private VirtioDriver driver;

    @BeforeEach
    void setUp() {
        ram = new GuestRam(1 << 20);
        context = new FakeDeviceContext(ram.space());
        model = new ScriptedModel();
        device = new VirtioMmioDevice<>("t0", "scripted", model);
        device.setDrainTimeout(50); // the scripted model may hold chains on purpose
        device.realize(context);
        driver = new VirtioDriver(device, ram);
    }

    @AfterEach
    void tearDown() {
        device.unrealize();
        ram.close();
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    @Test
    void aDirectChainIsReadWrittenAndReturnedWithAnInterrupt() {
        DriverQueue q = driver.start(0, 8, 8).get(0);
        long in = ram.put(ascii("hello, "));
        long in2 = ram.put(ascii("virtio"));
        long out = ram.alloc(32, 16);
        int head = q.add(readable(in, 7), readable(in2, 6), writable(out, 32));
        q.kick();

        assertEquals(List.of(new Used(head, 13)), q.takeUsed());
        assertEquals("hello, virtio", new String(ram.read(out, 13), StandardCharsets.US_ASCII));
        assertTrue(context.irq.level());
        assertEquals(1, driver.acknowledgeInterrupt());
        assertFalse(context.irq.level());
    }

    @Test
    void aChainThroughAnIndirectTableIsFollowedWhenNegotiated() {
        DriverQueue q = driver.start(VirtioDriver.F_INDIRECT, 8, 8).get(0);
        long in = ram.put(ascii("indirect"));
        long out1 = ram.alloc(3, 16);
        long out2 = ram.alloc(16, 16);
        int head = q.addIndirect(readable(in, 8), writable(out1, 3), writable(out2, 16));
        q.kick();

        assertEquals(List.of(new Used(head, 8)), q.takeUsed());
        assertEquals("ind", new String(ram.read(out1, 3), StandardCharsets.US_ASCII));
        assertEquals("irect", new String(ram.read(out2, 5), StandardCharsets.US_ASCII));
    }

    @Test
    void chainsMayCompleteOutOfOrder() {
        DriverQueue q = driver.start(0, 8, 8).get(0);
        List<DescriptorChain> held = new java.util.ArrayList<>();
        model.onNotify = (t, vq) -> {
            DescriptorChain c;
            while ((c = vq.pop()) != null) held.add(c);
        };
        int a = q.add(writable(ram.alloc(4, 4), 4));
        int b = q.add(writable(ram.alloc(4, 4), 4));
        q.kick();
        VirtQueue vq = device.queue(0);
        vq.pushAndNotify(held.get(1), 2);
        vq.pushAndNotify(held.get(0), 1);
        assertEquals(List.of(new Used(b, 2), new Used(a, 1)), q.takeUsed());
    }

    @Test
    void usedEventSuppressesInterruptsUntilTheUsedIndexPassesIt() {
        DriverQueue q = driver.start(VirtioDriver.F_EVENT_IDX, 8, 8).get(0);
        q.setUsedEvent(2); // interrupt only once the used index moves past 2
        for (int i = 0; i < 3; i++) {
            q.add(writable(ram.alloc(4, 4), 4));
            q.kick();
            boolean expected = i != 1; // the first push always interrupts; then only the one reaching used_event+1
            assertEquals(expected, driver.acknowledgeInterrupt() == 1, "push " + i);
        }
        assertEquals(3, q.usedIdx());
    }

    @Test
    void availEventTellsTheDriverWhichAdditionNeedsAKick() {
        DriverQueue q = driver.start(VirtioDriver.F_EVENT_IDX, 8, 8).get(0);
        q.add(writable(ram.alloc(4, 4), 4));
        q.add(writable(ram.alloc(4, 4), 4));
        q.kick();
        assertEquals(2, q.takeUsed().size());
        assertEquals(2, q.availEvent(), "the device wants a kick when entry 2 is added");
    }

    @Test
    void noInterruptFlagSuppressesInterruptsWithoutEventIdx() {
        DriverQueue q = driver.start(0, 8, 8).get(0);
        q.setAvailFlags(Virtio.AVAIL_F_NO_INTERRUPT);
        q.add(writable(ram.alloc(4, 4), 4));
        q.kick();
        assertEquals(1, q.takeUsed().size());
        assertFalse(context.irq.level());
        assertEquals(0, driver.read(VirtioDriver.INTERRUPT_STATUS));
    }

    @Test
    void theDeviceAsksForNoKicksWhileItProcessesAndForKicksAgainAfter() {
        DriverQueue q = driver.start(0, 8, 8).get(0);
        int[] flagsWhileBusy = new int[1];
        model.onNotify = (t, vq) -> {
            vq.disableNotifications();
            flagsWhileBusy[0] = q.usedFlags();
            ScriptedModel.echoAll(t, vq);
        };
        q.add(writable(ram.alloc(4, 4), 4));
        q.kick();
        assertEquals(Virtio.USED_F_NO_NOTIFY, flagsWhileBusy[0]);
        assertEquals(0, q.usedFlags());
    }

    @Test
    void enableNotificationsReportsBuffersAddedWhileTheyWereOff() {
        DriverQueue q = driver.start(0, 8, 8).get(0);
        VirtQueue vq = device.queue(0);
        vq.disableNotifications();
        q.add(writable(ram.alloc(4, 4), 4)); // no kick: the device said it does not need one
        assertTrue(vq.enableNotifications());
        assertTrue(vq.hasAvailable());
        assertTrue(vq.pop() != null);
        assertFalse(vq.enableNotifications());
    }

    @Test
    void anUnpoppedChainComesBackUnchanged() {
        DriverQueue q = driver.start(0, 8, 8).get(0);
        model.onNotify = (t, vq) -> { };
        int head = q.add(writable(ram.alloc(4, 4), 4));
        VirtQueue vq = device.queue(0);
        DescriptorChain c = vq.pop();
        vq.unpop(c);
        DescriptorChain again = vq.pop();
        assertEquals(head, again.head());
        assertEquals(4, again.writableLength());
    }

    @Test
    void chainSegmentsGiveDirectAccessToGuestRam() {
        DriverQueue q = driver.start(0, 8, 8).get(0);
        model.onNotify = (t, vq) -> { };
        long out = ram.alloc(8, 8);
        q.add(readable(ram.put(new byte[] {1, 2, 3, 4, 5, 6, 7, 8}), 8), writable(out, 8));
        DescriptorChain c = device.queue(0).pop();
        assertEquals(0x0807060504030201L, c.readU64(0));
        assertEquals(0x08070605L, c.readU32(4));
        c.writableSegments(2, 3).forEach(s -> s.fill((byte) 9));
        assertArrayEquals(new byte[] {0, 0, 9, 9, 9, 0, 0, 0}, ram.read(out, 8));
        assertTrue(ram.block().isDirty(org.osgemu.api.memory.DirtyClient.MIGRATION, out - GuestRam.BASE),
                "DMA writes mark the page dirty for migration");
    }
}
