package org.osgemu.virtio.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.osgemu.virtio.testing.DriverQueue.Buffer.readable;
import static org.osgemu.virtio.testing.DriverQueue.Buffer.writable;
import static org.osgemu.virtio.testing.VirtioDriver.*;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.osgemu.api.fdt.FdtNode;
import org.osgemu.virtio.testing.DriverQueue;
import org.osgemu.virtio.testing.FakeDeviceContext;
import org.osgemu.virtio.testing.GuestRam;
import org.osgemu.virtio.testing.VirtioDriver;

/** The virtio-mmio register interface as a driver sees it (spec §4.2.2, §3.1). */
class VirtioMmioDeviceTest {

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
        device.realize(context);
        driver = new VirtioDriver(device, ram);
    }

    @AfterEach
    void tearDown() {
        device.unrealize();
        ram.close();
    }

    @Test
    void identifiesItselfAsAModernVirtioMmioDevice() {
        assertEquals(0x74726976L, driver.read(MAGIC));
        assertEquals(2, driver.read(VERSION));
        assertEquals(ScriptedModel.DEVICE_ID, driver.read(DEVICE_ID));
        assertEquals(0x554D4551L, driver.read(VENDOR_ID));
        assertEquals(0x1000, device.region().size());
        assertEquals("scripted", device.vmstate().name(), "each device type migrates in a section of its own");
    }

    @Test
    void offersTheModelFeaturesPlusVersion1IndirectAndEventIdx() {
        assertEquals(ScriptedModel.FEATURE | F_INDIRECT | F_EVENT_IDX | F_VERSION_1, driver.deviceFeatures());
        driver.write(DEVICE_FEATURES_SEL, 2);
        assertEquals(0, driver.read(DEVICE_FEATURES));
    }

    @Test
    void featuresOkIsRefusedWithoutVersion1() {
        assertFalse(driver.negotiate(ScriptedModel.FEATURE));
        assertEquals(ACKNOWLEDGE | DRIVER, driver.status());
        assertTrue(context.guestErrors.get(0).contains("VIRTIO_F_VERSION_1"), context.guestErrors.toString());
    }

    @Test
    void featuresOkIsRefusedForFeaturesTheDeviceDoesNotOffer() {
        assertFalse(driver.negotiate(F_VERSION_1 | 1L << 7));
        assertTrue(context.guestErrors.get(0).contains("0x80"), context.guestErrors.toString());
    }

    @Test
    void negotiatedFeaturesAreVisibleToTheModelAndFrozenAfterFeaturesOk() {
        assertTrue(driver.negotiate(F_VERSION_1 | ScriptedModel.FEATURE));
        assertTrue(model.transport.hasFeature(3));
        assertFalse(model.transport.hasFeature(Virtio.F_RING_EVENT_IDX));
        driver.write(DRIVER_FEATURES_SEL, 0);
        driver.write(DRIVER_FEATURES, 0);
        assertTrue(model.transport.hasFeature(3), "DriverFeatures after FEATURES_OK is ignored");
        assertTrue(context.guestErrors.get(0).contains("after FEATURES_OK"));
    }

    @Test
    void queueRegistersFollowQueueSel() {
        driver.write(QUEUE_SEL, 1);
        assertEquals(16, driver.read(QUEUE_NUM_MAX));
        driver.write(QUEUE_SEL, 2);
        assertEquals(0, driver.read(QUEUE_NUM_MAX), "no queue 2");
        driver.write(QUEUE_NUM, 8);
        assertTrue(context.guestErrors.get(0).contains("QueueSel 2"), context.guestErrors.toString());
    }

    @Test
    void aQueueSizeThatIsNotAPowerOfTwoOrTooLargeIsIgnored() {
        driver.negotiate(F_VERSION_1);
        driver.write(QUEUE_SEL, 0);
        driver.write(QUEUE_NUM, 12);
        driver.write(QUEUE_NUM, 32);
        assertEquals(2, context.guestErrors.size());
        assertEquals(16, device.queue(0).size(), "the size stays at its reset value, the maximum");
        driver.write(QUEUE_NUM, 4);
        assertEquals(4, device.queue(0).size());
    }

    @Test
    void queueSetupIsFrozenWhileTheQueueIsReady() {
        DriverQueue q = driver.start(0, 8, 8).get(0);
        driver.write(QUEUE_SEL, 0);
        assertEquals(1, driver.read(QUEUE_READY));
        driver.write(QUEUE_DESC_LOW, 0x1234_0000L);
        driver.write(QUEUE_NUM, 2);
        assertEquals(2, context.guestErrors.size());
        assertEquals(8, device.queue(0).size());
        q.add(writable(ram.alloc(4, 4), 4));
        q.kick();
        assertEquals(1, q.takeUsed().size(), "the queue still uses the table it was enabled with");
    }

    @Test
    void misalignedRingsAreRefused() {
        driver.negotiate(F_VERSION_1);
        driver.write(QUEUE_SEL, 0);
        driver.write(QUEUE_DESC_LOW, GuestRam.BASE + 8);
        driver.write(QUEUE_DESC_HIGH, 0);
        driver.write(QUEUE_READY, 1);
        assertEquals(0, driver.read(QUEUE_READY));
        assertTrue(context.guestErrors.get(0).contains("not 16-byte aligned"), context.guestErrors.toString());
    }

    @Test
    void interruptAckClearsTheBitsAndLowersTheLine() {
        DriverQueue q = driver.start(0, 8, 8).get(0);
        q.add(writable(ram.alloc(4, 4), 4));
        q.kick();
        assertTrue(context.irq.level());
        driver.write(INTERRUPT_ACK, 2); // the wrong bit leaves the line up
        assertTrue(context.irq.level());
        driver.write(INTERRUPT_ACK, 1);
        assertFalse(context.irq.level());
        assertEquals(0, driver.read(INTERRUPT_STATUS));
    }

    @Test
    void writingStatusZeroResetsTheDeviceAndTheModel() {
        driver.start(ScriptedModel.FEATURE, 8, 8);
        assertEquals(1, model.readyCalls);
        model.transport.configChanged();
        int resetsBefore = model.resets;
        driver.write(STATUS, 0);
        assertEquals(0, driver.status());
        assertEquals(0, driver.read(INTERRUPT_STATUS));
        assertFalse(context.irq.level());
        driver.write(QUEUE_SEL, 0);
        assertEquals(0, driver.read(QUEUE_READY));
        assertEquals(16, device.queue(0).size());
        assertFalse(model.transport.hasFeature(3));
        assertEquals(resetsBefore + 1, model.resets);
    }

    @Test
    void resetWaitsForChainsStillInFlight() throws Exception {
        CountDownLatch popped = new CountDownLatch(1);
        model.onNotify = (t, vq) -> {
            DescriptorChain c = vq.pop();
            Thread.ofVirtual().start(() -> {
                popped.countDown();
                sleep(100); // slow host I/O
                c.write(0, new byte[] {42}, 0, 1);
                vq.pushAndNotify(c, 1);
            });
        };
        DriverQueue q = driver.start(0, 8, 8).get(0);
        long out = ram.alloc(1, 1);
        q.add(writable(out, 1));
        q.kick();
        assertTrue(popped.await(5, TimeUnit.SECONDS));
        driver.write(STATUS, 0);
        assertEquals(1, q.usedIdx(), "the completion landed before the reset finished");
        assertEquals(42, ram.read(out, 1)[0]);
    }

    @Test
    void theConfigurationSpaceIsTheModels() {
        assertEquals(0x1234_5678L, driver.readConfig(0, 4));
        assertEquals(0x34, driver.readConfig(2, 1));
        assertEquals(0x1234, driver.readConfig(2, 2));
        long generation = driver.read(CONFIG_GENERATION);
        driver.start(0, 8, 8);
        driver.writeConfig(4, 0xCAFE, 4);
        assertEquals(0xCAFE, driver.readConfig(4, 4));
        assertNotEquals(generation, driver.read(CONFIG_GENERATION), "a configuration change bumps the generation");
        assertEquals(Virtio.INTERRUPT_CONFIG_CHANGE, driver.read(INTERRUPT_STATUS));
    }

    @Test
    void accessesBeyondTheConfigurationOrOfTheWrongWidthAreLoggedNotThrown() {
        assertEquals(0, driver.readConfig(8, 4));
        driver.writeConfig(0, 1, 4); // read-only field
        assertEquals(0, device.region().handler().read(MAGIC, 2));
        device.region().handler().write(STATUS, 1, 1);
        assertEquals(0, driver.status());
        driver.read(0x018); // a hole in the register map
        assertEquals(5, context.guestErrors.size(), context.guestErrors.toString());
    }

    @Test
    void sharedMemoryRegionsReadAsAbsent() {
        assertEquals(0xFFFF_FFFFL, driver.read(0x0b0));
        assertEquals(0xFFFF_FFFFL, driver.read(0x0b4));
    }

    @Test
    void describesItselfAsAVirtioMmioNode() {
        FdtNode node = device.describe(FakeDeviceContext.SLOT0);
        assertEquals("virtio_mmio@10001000", node.name());
        assertEquals("virtio,mmio\0", new String(((FdtNode.Bytes) node.properties().get("compatible")).data(), StandardCharsets.UTF_8));
        assertEquals(List.of(0, 0x1000_1000, 0, 0x1000), ((FdtNode.Cells) node.properties().get("reg")).cells());
        assertEquals(List.of(1), ((FdtNode.Cells) node.properties().get("interrupts")).cells());
        assertEquals(List.of("plic"), ((FdtNode.Cells) node.properties().get("interrupt-parent")).cells());
        assertEquals("virtio-mmio", device.bus());
    }

    @Test
    void aFaultOfTheModelBreaksTheDeviceButNotTheVcpu() {
        model.onNotify = (t, vq) -> {
            throw new IllegalStateException("model bug");
        };
        driver.start(0, 8, 8);
        driver.write(QUEUE_NOTIFY, 0);
        assertTrue((driver.status() & NEEDS_RESET) != 0);
        assertTrue(context.guestErrors.get(0).contains("model bug"));
    }

    @Test
    void dataPassesWhenTheRingSitsAtTheEndOfRam() {
        DriverQueue q = driver.start(0, 8, 8).get(0);
        long last = GuestRam.BASE + (1 << 20) - 4;
        ram.write(last, new byte[] {9, 8, 7, 6});
        long out = ram.alloc(4, 4);
        q.add(readable(last, 4), writable(out, 4));
        q.kick();
        assertEquals(1, q.takeUsed().size());
        assertEquals(9, ram.read(out, 1)[0]);
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
