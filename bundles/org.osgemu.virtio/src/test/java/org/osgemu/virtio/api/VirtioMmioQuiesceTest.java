package org.osgemu.virtio.api;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.osgemu.virtio.testing.DriverQueue.Buffer.readable;
import static org.osgemu.virtio.testing.DriverQueue.Buffer.writable;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.osgemu.virtio.testing.DriverQueue;
import org.osgemu.virtio.testing.FakeDeviceContext;
import org.osgemu.virtio.testing.GuestRam;
import org.osgemu.virtio.testing.VirtioDriver;

/**
 * A quiesced transport (the machine is stopped, saved, or loading) writes nothing to guest RAM,
 * raises no interrupt and hands out no chain; what the guest or the model wanted meanwhile
 * happens on resume.
 */
class VirtioMmioQuiesceTest {

    private static final int RAM_SIZE = 1 << 20;

    private GuestRam ram;
    private FakeDeviceContext context;
    private ScriptedModel model;
    private VirtioMmioDevice<ScriptedModel.State> device;
    private VirtioDriver driver;
    /** Chains the model took and has not completed: host I/O in flight. */
    private final List<DescriptorChain> inFlight = new CopyOnWriteArrayList<>();

    @BeforeEach
    void setUp() {
        ram = new GuestRam(RAM_SIZE);
        context = new FakeDeviceContext(ram.space());
        model = new ScriptedModel();
        device = new VirtioMmioDevice<>("q0", "scripted", model);
        device.realize(context);
        driver = new VirtioDriver(device, ram);
    }

    @AfterEach
    void tearDown() {
        device.unrealize();
        ram.close();
    }

    private byte[] allOfRam() {
        return ram.read(GuestRam.BASE, RAM_SIZE);
    }

    /** The model takes every chain and leaves it in flight, as a device waiting for host I/O. */
    private void holdChains() {
        model.onNotify = (t, q) -> {
            DescriptorChain chain;
            while ((chain = q.pop()) != null) {
                inFlight.add(chain);
            }
        };
    }

    private int addEchoRequest(DriverQueue q, byte value) {
        return q.add(readable(ram.put(new byte[] {value}), 1), writable(ram.alloc(1, 1), 1));
    }

    @Test
    void aKickWhileQuiescedLeavesRamAndTheLineAloneAndIsProcessedOnResume() {
        DriverQueue q = driver.start(0, 8, 8).get(0);
        device.quiesce();
        assertTrue(device.isQuiesced());
        addEchoRequest(q, (byte) 7);
        byte[] before = allOfRam();

        q.kick();

        assertArrayEquals(before, allOfRam(), "a quiesced device wrote guest RAM");
        assertEquals(0, context.irq.rises());
        device.resume();
        List<DriverQueue.Used> used = q.takeUsed();
        assertEquals(1, used.size(), "the kick that came while quiesced is processed on resume");
        assertTrue(context.irq.level());
        assertEquals(1, model.resumedCalls);
    }

    @Test
    void withEventIdxTheDeviceLoopLeavesTheRingFlagsAloneWhileQuiescedAndPicksUpOnResume() {
        DriverQueue q = driver.start(VirtioDriver.F_EVENT_IDX, 8, 8).get(0);
        device.quiesce();
        addEchoRequest(q, (byte) 1);
        addEchoRequest(q, (byte) 2);
        byte[] before = allOfRam();

        // A model thread looks for buffers (as a network backend delivering a frame would).
        ScriptedModel.echoAll(model.transport, model.transport.queue(0));

        assertArrayEquals(before, allOfRam());
        device.resume();
        assertEquals(2, q.takeUsed().size(), "the queue the model looked at while quiesced is processed on resume");
        assertEquals(2, q.availEvent(), "notifications are enabled again, past the buffers taken");
    }

    @Test
    void quiesceReturnsOnlyAfterTheChainsInFlightCompletedIntoTheRing() throws Exception {
        holdChains();
        DriverQueue q = driver.start(0, 8, 8).get(0);
        addEchoRequest(q, (byte) 5);
        q.kick();
        assertEquals(1, inFlight.size());
        CompletableFuture<Void> io = CompletableFuture.runAsync(() -> {
            VirtioMmioDeviceTest.sleep(150);
            DescriptorChain chain = inFlight.removeFirst();
            chain.write(0, new byte[] {5}, 0, 1);
            device.queue(0).pushAndNotify(chain, 1); // as virtio-blk completes a request
        });

        long start = System.nanoTime();
        device.quiesce();

        assertTrue(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start) >= 100, "quiesce did not wait for the I/O");
        assertEquals(1, q.takeUsed().size(), "the request in flight at the stop is in the used ring when quiesce returns");
        io.get(5, TimeUnit.SECONDS);
        assertTrue(context.irq.level(), "completions drained by the quiesce interrupt the driver");
        addEchoRequest(q, (byte) 6);
        q.kick();
        assertTrue(inFlight.isEmpty(), "no request starts while quiesced");
    }

    @Test
    void aCompletionAfterTheDrainTimedOutIsHeldInFlightUntilResume() throws Exception {
        holdChains();
        device.setDrainTimeout(20);
        DriverQueue q = driver.start(0, 8, 8).get(0);
        int head = addEchoRequest(q, (byte) 9);
        q.kick();
        device.quiesce(); // the request is stuck in host I/O for longer than the drain waits
        byte[] before = allOfRam();
        int rises = context.irq.rises();

        VirtQueue queue = device.queue(0);
        queue.push(inFlight.removeFirst(), 1); // the host I/O ends after all
        queue.notifyDriver();

        assertArrayEquals(before, allOfRam(), "the used ring moved while quiesced");
        assertEquals(rises, context.irq.rises());
        int[] saved = device.saveState().inflight();
        assertArrayEquals(new int[] {head}, saved, "a migration saves the held request as in flight, to be redone");

        device.resume();
        assertEquals(List.of(new DriverQueue.Used(head, 1)), q.takeUsed());
        assertTrue(context.irq.level());
    }

    @Test
    void interruptsWaitForResume() {
        driver.start(0, 8, 8);
        device.quiesce();

        driver.writeConfig(4, 0x55, 4); // the model announces a configuration change

        assertFalse(context.irq.level());
        device.resume();
        assertTrue(context.irq.level());
    }

    @Test
    void aStateLoadedWhileQuiescedRestartsItsChainsInFlightOnlyOnResume() throws Exception {
        holdChains();
        DriverQueue q = driver.start(0, 8, 8).get(0);
        addEchoRequest(q, (byte) 3);
        q.kick();
        device.setDrainTimeout(20);
        VirtioMmioState saved = device.saveState();
        assertEquals(1, saved.inflight().length);

        ScriptedModel destModel = new ScriptedModel();
        VirtioMmioDevice<ScriptedModel.State> dest = new VirtioMmioDevice<>("q0", "scripted", destModel);
        dest.setDrainTimeout(20); // the restarted request stays in flight with this model
        dest.realize(new FakeDeviceContext(ram.space()));
        dest.quiesce(); // a machine started with -incoming keeps its devices quiesced
        dest.loadState(saved);
        assertEquals(List.of(), destModel.resumed, "host I/O started before the machine runs");
        assertArrayEquals(saved.inflight(), dest.saveState().inflight(), "saved again, the request is still in flight");

        dest.resume();
        assertEquals(1, destModel.resumed.size());
        dest.unrealize();
    }

    @Test
    void quiesceAndResumeTwiceChangeNothingMore() {
        DriverQueue q = driver.start(0, 8, 8).get(0);
        device.quiesce();
        device.quiesce();
        device.resume();
        device.resume();
        assertEquals(1, model.resumedCalls);
        addEchoRequest(q, (byte) 1);
        q.kick();
        assertEquals(1, q.takeUsed().size());
    }

    @Test
    void aResetWhileQuiescedForgetsWhatWasWantedAndStaysQuiesced() {
        DriverQueue q = driver.start(0, 8, 8).get(0);
        device.quiesce();
        addEchoRequest(q, (byte) 1);
        q.kick();

        device.reset(); // system_reset of a paused machine

        assertTrue(device.isQuiesced());
        assertNull(device.queue(0).pop());
        device.resume();
        assertEquals(0, q.takeUsed().size(), "the driver reset forgot its queue");
    }
}
