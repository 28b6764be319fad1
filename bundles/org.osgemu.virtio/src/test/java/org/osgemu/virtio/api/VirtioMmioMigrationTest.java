package org.osgemu.virtio.api;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.osgemu.virtio.testing.DriverQueue.Buffer.readable;
import static org.osgemu.virtio.testing.DriverQueue.Buffer.writable;

import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.osgemu.api.vmstate.VMStateException;
import org.osgemu.virtio.testing.DriverQueue;
import org.osgemu.virtio.testing.FakeDeviceContext;
import org.osgemu.virtio.testing.GuestRam;
import org.osgemu.virtio.testing.VirtioDriver;

/** Save and load of the transport: round trips through the wire format, and refusals naming the field. */
class VirtioMmioMigrationTest {

    private GuestRam ram;
    private ScriptedModel model;
    private VirtioMmioDevice<ScriptedModel.State> device;
    private VirtioDriver driver;

    @BeforeEach
    void setUp() {
        ram = new GuestRam(1 << 20);
        model = new ScriptedModel();
        device = new VirtioMmioDevice<>("m0", "scripted", model);
        device.setDrainTimeout(50); // the scripted model may hold chains on purpose
        device.realize(new FakeDeviceContext(ram.space()));
        driver = new VirtioDriver(device, ram);
    }

    @AfterEach
    void tearDown() {
        device.unrealize();
        ram.close();
    }

    /** A second device on the same RAM, as the destination of a migration would be. */
    private VirtioMmioDevice<ScriptedModel.State> destination(ScriptedModel destModel) {
        VirtioMmioDevice<ScriptedModel.State> dest = new VirtioMmioDevice<>("m0", "scripted", destModel);
        dest.setDrainTimeout(50);
        dest.realize(new FakeDeviceContext(ram.space()));
        return dest;
    }

    private static VirtioMmioState roundTrip(VirtioMmioState state) throws VMStateException {
        byte[] bytes = VirtioMmioState.VMSTATE.save(state);
        return VirtioMmioState.VMSTATE.load(bytes, VirtioMmioState.VMSTATE.version());
    }

    @Test
    void aLiveDeviceContinuesOnTheDestinationWhereItStopped() throws Exception {
        List<DriverQueue> queues = driver.start(VirtioDriver.F_EVENT_IDX, 8, 4);
        DriverQueue q = queues.get(0);
        for (int i = 0; i < 5; i++) {
            q.add(readable(ram.put(new byte[] {(byte) i}), 1), writable(ram.alloc(1, 1), 1));
            q.kick();
        }
        assertEquals(5, q.takeUsed().size());
        driver.writeConfig(4, 77, 4);
        VirtioMmioState saved = device.saveState();

        ScriptedModel destModel = new ScriptedModel();
        VirtioMmioDevice<ScriptedModel.State> dest = destination(destModel);
        dest.loadState(roundTrip(saved));
        assertEquals(77, destModel.word);
        VirtioMmioState again = dest.saveState();
        assertArrayEquals(VirtioMmioState.VMSTATE.save(saved), VirtioMmioState.VMSTATE.save(again));

        // The driver goes on with the destination: same rings, same indices.
        VirtioDriver destDriver = new VirtioDriver(dest, ram);
        assertEquals(driver.status(), destDriver.status());
        long out = ram.alloc(1, 1);
        q.add(readable(ram.put(new byte[] {99}), 1), writable(out, 1));
        destDriver.write(VirtioDriver.QUEUE_NOTIFY, 0);
        assertEquals(List.of(1L), q.takeUsed().stream().map(DriverQueue.Used::length).toList());
        assertEquals(99, ram.read(out, 1)[0]);
        assertEquals(6, q.usedIdx());
        dest.unrealize();
    }

    @Test
    void chainsInFlightAreProcessedAgainOnTheDestination() throws Exception {
        model.onNotify = (t, vq) -> {
            while (vq.pop() != null) {
                // held, as by I/O that did not finish before the save
            }
        };
        DriverQueue q = driver.start(0, 8, 8).get(1);
        int head = q.add(writable(ram.alloc(4, 4), 4));
        q.kick();
        VirtioMmioState saved = device.saveState();
        assertArrayEquals(new int[] {1 << 16 | head}, saved.inflight());

        ScriptedModel destModel = new ScriptedModel();
        VirtioMmioDevice<ScriptedModel.State> dest = destination(destModel);
        dest.loadState(roundTrip(saved));
        assertEquals(1, destModel.resumed.size());
        assertEquals(head, destModel.resumed.get(0).head());
        assertEquals(4, destModel.resumed.get(0).writableLength());
        dest.unrealize();
    }

    @Test
    void aStateForAnotherQueueLayoutIsRefused() throws Exception {
        driver.start(0, 8, 8);
        VirtioMmioState saved = device.saveState();
        ScriptedModel small = new ScriptedModel();
        small.maxSize = 4;
        VirtioMmioDevice<ScriptedModel.State> dest = destination(small);
        VMStateException e = assertThrows(VMStateException.class, () -> dest.loadState(saved));
        assertTrue(e.getMessage().contains("queueSize[0]: 8 exceeds the maximum 4"), e.getMessage());
        assertEquals(0, new VirtioDriver(dest, ram).status(), "a refused state changes nothing");
    }

    @Test
    void featuresTheDeviceDoesNotOfferAreRefused() throws Exception {
        VirtioMmioState s = device.saveState();
        VirtioMmioState bad = new VirtioMmioState(s.status(), 1L << 20, 0, 0, 0, 0, 0, s.queueSize(), s.queueReady(),
                s.queueDesc(), s.queueDriver(), s.queueDevice(), s.lastAvailIdx(), s.usedIdx(), s.inflight(),
                s.deviceVersion(), s.deviceState());
        VMStateException e = assertThrows(VMStateException.class, () -> device.loadState(bad));
        assertTrue(e.getMessage().contains("driverFeatures"), e.getMessage());
    }

    @Test
    void ringsOutsideRamAreRefused() throws Exception {
        driver.start(0, 8, 8);
        VirtioMmioState s = device.saveState();
        long[] desc = s.queueDesc();
        desc[0] = 0x4000_0000L;
        VirtioMmioState bad = new VirtioMmioState(s.status(), s.driverFeatures(), 0, 0, 0, 0, 0, s.queueSize(),
                s.queueReady(), desc, s.queueDriver(), s.queueDevice(), s.lastAvailIdx(), s.usedIdx(), s.inflight(),
                s.deviceVersion(), s.deviceState());
        VMStateException e = assertThrows(VMStateException.class, () -> device.loadState(bad));
        assertTrue(e.getMessage().contains("queueDesc/queueDriver/queueDevice[0]"), e.getMessage());
    }

    @Test
    void decodingRefusesValuesNoDeviceCouldHoldNamingTheField() {
        VirtioMmioState s = device.saveState();
        assertRefused(s, "queueSize[1]: 12 is not a power of two", 1, 12);
        assertRefused(s, "queueSize[0]: 65536", 0, 65536);
    }

    @Test
    void badStatusBitsAreRefused() {
        VirtioMmioState s = device.saveState();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new VirtioMmioState(0x20,
                0, 0, 0, 0, 0, 0, s.queueSize(), s.queueReady(), s.queueDesc(), s.queueDriver(), s.queueDevice(),
                s.lastAvailIdx(), s.usedIdx(), s.inflight(), 1, new byte[0]));
        assertTrue(e.getMessage().startsWith("status:"), e.getMessage());
    }

    /** Patches queueSize[{@code queue}] in the encoded state and expects the decoder to refuse it. */
    private static void assertRefused(VirtioMmioState s, String message, int queue, int size) {
        int[] sizes = s.queueSize();
        sizes[queue] = 0x7777;
        byte[] encoded = VirtioMmioState.VMSTATE.save(new VirtioMmioState(s.status(), s.driverFeatures(), 0, 0, 0, 0, 0,
                fix(sizes), s.queueReady(), s.queueDesc(), s.queueDriver(), s.queueDevice(), s.lastAvailIdx(),
                s.usedIdx(), s.inflight(), s.deviceVersion(), s.deviceState()));
        // queueSize follows 1+8+4+4+4+1+4 bytes of scalars and a 4-byte count.
        int at = 30 + 4 * queue;
        encoded[at] = (byte) (size >>> 24);
        encoded[at + 1] = (byte) (size >>> 16);
        encoded[at + 2] = (byte) (size >>> 8);
        encoded[at + 3] = (byte) size;
        VMStateException e = assertThrows(VMStateException.class,
                () -> VirtioMmioState.VMSTATE.load(encoded, VirtioMmioState.VMSTATE.version()));
        assertTrue(e.getMessage().contains(message), e.getMessage());
    }

    private static int[] fix(int[] sizes) {
        for (int i = 0; i < sizes.length; i++) {
            if (sizes[i] == 0x7777) sizes[i] = 16;
        }
        return sizes;
    }
}
