package org.osgemu.virtio.rng;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.osgemu.virtio.testing.DriverQueue.Buffer.readable;
import static org.osgemu.virtio.testing.DriverQueue.Buffer.writable;

import java.lang.annotation.Annotation;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.osgemu.virtio.api.VirtioMmioDevice;
import org.osgemu.virtio.api.VirtioMmioState;
import org.osgemu.virtio.testing.DriverQueue;
import org.osgemu.virtio.testing.FakeDeviceContext;
import org.osgemu.virtio.testing.GuestRam;
import org.osgemu.virtio.testing.VirtioDriver;

class VirtioRngTest {

    private final GuestRam ram = new GuestRam(1 << 20);
    private final FakeDeviceContext context = new FakeDeviceContext(ram.space());
    private final VirtioMmioDevice<VirtioRngState> device = new VirtioMmioDevice<>("rng0", VirtioRng.TYPE, new VirtioRng());
    private final VirtioDriver driver = new VirtioDriver(device, ram);

    @AfterEach
    void tearDown() {
        device.unrealize();
        ram.close();
    }

    @Test
    void fillsEveryWritableBufferWithRandomBytes() {
        device.realize(context);
        assertEquals(4, driver.read(VirtioDriver.DEVICE_ID));
        DriverQueue q = driver.start(0, 8).get(0);
        long a = ram.alloc(64, 8);
        long b = ram.alloc(200, 8);
        int head = q.add(writable(a, 64), writable(b, 200));
        q.kick();
        assertEquals(List.of(new DriverQueue.Used(head, 264)), q.takeUsed());
        byte[] first = ram.read(a, 64);
        byte[] second = ram.read(b, 200);
        assertFalse(Arrays.equals(new byte[64], first), "the buffer was filled");
        assertFalse(Arrays.equals(Arrays.copyOf(second, 64), first), "with fresh bytes, not a pattern");
        assertTrue(context.irq.level());
    }

    @Test
    void aRequestKickedWhileTheMachineIsStoppedIsAnsweredOnResume() {
        device.realize(context);
        DriverQueue q = driver.start(0, 8).get(0);
        device.quiesce();
        int head = q.add(writable(ram.alloc(32, 8), 32));
        byte[] before = ram.read(GuestRam.BASE, 1 << 20);

        q.kick();

        assertArrayEquals(before, ram.read(GuestRam.BASE, 1 << 20), "a stopped machine's RAM was written");
        assertFalse(context.irq.level());
        device.resume();
        assertEquals(List.of(new DriverQueue.Used(head, 32)), q.takeUsed());
        assertTrue(context.irq.level());
    }

    @Test
    void aLargeRequestIsAnsweredInPart() {
        device.realize(context);
        DriverQueue q = driver.start(0, 8).get(0);
        q.add(writable(ram.alloc(100_000, 8), 100_000));
        q.kick();
        assertEquals(VirtioRng.MAX_BYTES_PER_REQUEST, q.takeUsed().get(0).length());
    }

    @Test
    void aReadableBufferBreaksTheDevice() {
        device.realize(context);
        DriverQueue q = driver.start(0, 8).get(0);
        q.add(readable(ram.alloc(16, 8), 16), writable(ram.alloc(16, 8), 16));
        q.kick();
        assertTrue((driver.status() & VirtioDriver.NEEDS_RESET) != 0);
        assertTrue(context.guestErrors.get(0).contains("queue 0: entropy request has 16 device-readable bytes"), context.guestErrors.toString());
    }

    @Test
    void stateRoundTrips() throws Exception {
        device.realize(context);
        DriverQueue q = driver.start(0, 8).get(0);
        q.add(writable(ram.alloc(16, 8), 16));
        q.kick();
        assertEquals(1, q.takeUsed().size());
        VirtioMmioState saved = device.saveState();
        byte[] bytes = VirtioMmioState.VMSTATE.save(saved);
        VirtioMmioDevice<VirtioRngState> dest = new VirtioMmioDevice<>("rng0", VirtioRng.TYPE, new VirtioRng());
        dest.realize(new FakeDeviceContext(ram.space()));
        dest.loadState(VirtioMmioState.VMSTATE.load(bytes, 1));
        assertArrayEquals(bytes, VirtioMmioState.VMSTATE.save(dest.saveState()));
        assertEquals(new VirtioRngState(), VirtioRngState.VMSTATE.load(VirtioRngState.VMSTATE.save(new VirtioRngState()), 1));
        q.add(writable(ram.alloc(16, 8), 16));
        new VirtioDriver(dest, ram).write(VirtioDriver.QUEUE_NOTIFY, 0);
        assertEquals(1, q.takeUsed().size(), "the destination serves the queue where the source left it");
        dest.unrealize();
    }

    @Test
    void theComponentNeedsAnIdAndAMachine() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new VirtioRngComponent(config("rng0", null)));
        assertEquals("osgemu.device.virtio-rng-device: configuration property 'machine' is missing", e.getMessage());
        VirtioRngComponent c = new VirtioRngComponent(config("rng0", "m"));
        assertEquals("rng0", c.id());
        assertEquals("virtio-mmio", c.bus());
    }

    private static VirtioRngConfig config(String id, String machine) {
        return new VirtioRngConfig() {
            @Override public Class<? extends Annotation> annotationType() { return VirtioRngConfig.class; }
            @Override public String id() { return id; }
            @Override public String machine() { return machine; }
        };
    }
}
