package org.osgemu.migration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.osgemu.api.device.Device;
import org.osgemu.api.machine.RunState;
import org.osgemu.api.migration.MigrationHandler;
import org.osgemu.api.migration.Section;
import org.osgemu.api.migration.SectionOutput;
import org.osgemu.migration.engine.Capability;
import org.osgemu.migration.engine.MigrationParameters;
import org.osgemu.migration.engine.MigrationStatus;
import org.osgemu.migration.service.MachineMigrations;
import org.osgemu.migration.service.PrecopyMigrationService;

/**
 * What a broken link, a dead or refusing destination and migrate_cancel leave behind: the source
 * runs on (or is paused, as before) with status failed or cancelled, its guest unharmed (a second
 * migration of the same machine delivers its memory exactly), and a destination that refuses a
 * stream names the section and field and exits or waits.
 */
class MigrationFailureTest {

    static final long RAM = 16 << 20;

    private final PrecopyMigrationService service = new PrecopyMigrationService();

    @AfterEach
    void stopService() {
        service.deactivate();
    }

    @Test
    void migrateCancelDuringPrecopyLeavesTheGuestRunning() throws Exception {
        try (TestMachine source = slowSource(); TestMachine destination = TestMachine.named("dst").ram(RAM).build()) {
            MachineMigrations in = service.of(destination.control());
            in.migrateIncoming("tcp:127.0.0.1:0", false);
            MachineMigrations out = service.of(source.control());
            out.startOutgoing("tcp:127.0.0.1:" + in.incomingPort());
            Await.until("precopy", 10, () -> out.outgoingProgress().snapshot().transferred() > (256 << 10));

            out.cancel();
            out.awaitOutgoing();

            assertEquals(MigrationStatus.CANCELLED, out.outgoingProgress().status());
            assertRunsOn(source);
            Await.until("the destination to notice", 10, () -> in.incomingStatus().status() == MigrationStatus.FAILED);
            assertEquals(RunState.INMIGRATE, destination.runtime.state(), "without exit-on-error the destination waits");
            assertTrue(in.incomingStatus().error().startsWith("stream truncated"), in.incomingStatus().error());
        }
    }

    @Test
    void migrateCancelInPreSwitchoverRestartsTheStoppedGuest() throws Exception {
        try (TestMachine source = running(); TestMachine destination = TestMachine.named("dst").ram(RAM).build()) {
            MachineMigrations out = service.of(source.control());
            out.settings().setCapabilities(Map.of(Capability.PAUSE_BEFORE_SWITCHOVER, true));
            MachineMigrations in = service.of(destination.control());
            in.migrateIncoming("tcp:127.0.0.1:0", false);
            out.startOutgoing("tcp:127.0.0.1:" + in.incomingPort());
            Await.until("pre-switchover", 10, () -> out.outgoingProgress().status() == MigrationStatus.PRE_SWITCHOVER);
            assertEquals(RunState.FINISH_MIGRATE, source.runtime.state(), "stopped for the switchover");

            out.cancel();
            out.awaitOutgoing();

            assertEquals(MigrationStatus.CANCELLED, out.outgoingProgress().status());
            assertRunsOn(source);
        }
    }

    @Test
    void aLinkCutDuringSetupFailsTheMigrationAndTheDestinationSaysWhereTheStreamBroke() throws Exception {
        // RAM in use under a bandwidth limit: the source cannot have written its whole stream
        // into the socket buffers (and completed) before the link is cut
        try (TestMachine source = slowSource(); TestMachine destination = TestMachine.named("dst").ram(RAM).build()) {
            MachineMigrations in = service.of(destination.control());
            in.migrateIncoming("tcp:127.0.0.1:0", false);
            try (CuttingProxy link = new CuttingProxy(in.incomingPort()).cutAfter(100)) {
                MachineMigrations out = service.of(source.control());
                out.startOutgoing(link.uri());
                out.awaitOutgoing();

                assertEquals(MigrationStatus.FAILED, out.outgoingProgress().status());
                assertNotNull(out.outgoingProgress().error());
                assertRunsOn(source);
                Await.until("the destination to refuse", 10, () -> in.incomingStatus().status() == MigrationStatus.FAILED);
                String error = in.incomingStatus().error();
                // a reset says the connection broke, a close that the stream is truncated; both say where
                assertTrue(error.matches("(stream truncated|the connection broke) .*(after|in) the (stream header|configuration).*"), error);
            }
        }
    }

    @Test
    void aLinkCutDuringPrecopyLeavesTheGuestUnharmedAndASecondMigrationWorks() throws Exception {
        try (TestMachine source = slowSource(); TestMachine first = TestMachine.named("dst1").ram(RAM).build();
             TestMachine second = TestMachine.named("dst2").ram(RAM).build()) {
            DirtyingGuest guest = PrecopyMigrationTest.dirty(source, 1);
            MachineMigrations in = service.of(first.control());
            in.migrateIncoming("tcp:127.0.0.1:0", false);
            MachineMigrations out = service.of(source.control());
            try (CuttingProxy link = new CuttingProxy(in.incomingPort())) {
                out.startOutgoing(link.uri());
                Await.until("precopy to be under way", 10, () -> link.forwarded() > (512 << 10));
                link.cut();
                out.awaitOutgoing();
            }
            assertEquals(MigrationStatus.FAILED, out.outgoingProgress().status());
            assertTrue(out.outgoingProgress().error().contains("tcp:127.0.0.1:"), out.outgoingProgress().error());
            assertRunsOn(source);
            long writes = guest.writes();
            Await.until("the guest to go on", 10, () -> guest.writes() > writes + 100);

            out.settings().updateParameters(p -> new MigrationParameters(0, 300, 0, 0, 20, 10, 99, 50));
            MachineMigrations again = service.of(second.control());
            again.migrateIncoming("tcp:127.0.0.1:0", false);
            service.migrate(source.control(), "tcp:127.0.0.1:" + again.incomingPort());
            Await.until("the second destination to load", 10, () -> again.incomingStatus().status() == MigrationStatus.COMPLETED,
                    () -> "" + again.incomingStatus());
            assertEquals(-1, source.ram.segment().mismatch(second.ram.segment()), "RAM differs");
        }
    }

    @Test
    void aDestinationThatDiesInPreSwitchoverLeavesTheSourceRunning() throws Exception {
        try (TestMachine source = running(); TestMachine destination = TestMachine.named("dst").ram(RAM).build()) {
            MachineMigrations out = service.of(source.control());
            out.settings().setCapabilities(Map.of(Capability.PAUSE_BEFORE_SWITCHOVER, true, Capability.RETURN_PATH, true));
            MachineMigrations in = service.of(destination.control());
            in.migrateIncoming("tcp:127.0.0.1:0", false);
            try (CuttingProxy link = new CuttingProxy(in.incomingPort())) {
                out.startOutgoing(link.uri());
                Await.until("pre-switchover", 10, () -> out.outgoingProgress().status() == MigrationStatus.PRE_SWITCHOVER);
                link.cut();
                out.awaitOutgoing(); // the return path saw the destination go: no need for migrate-continue
            }
            assertEquals(MigrationStatus.FAILED, out.outgoingProgress().status());
            assertRunsOn(source);
        }
    }

    @Test
    void aDestinationThatDiesWhileLoadingTheLastPartLeavesTheSourceRunning() throws Exception {
        HeldLoad held = new HeldLoad();
        try (TestMachine source = TestMachine.named("src").ram(RAM).device(new HeldLoad()).build();
             TestMachine destination = TestMachine.named("dst").ram(RAM).device(held).build()) {
            source.runtime.cont();
            MachineMigrations out = service.of(source.control());
            out.settings().setCapabilities(Map.of(Capability.RETURN_PATH, true));
            MachineMigrations in = service.of(destination.control());
            in.migrateIncoming("tcp:127.0.0.1:0", false);
            try (CuttingProxy link = new CuttingProxy(in.incomingPort())) {
                out.startOutgoing(link.uri());
                held.completing.await();
                assertEquals(MigrationStatus.DEVICE, out.outgoingProgress().status(), "the source waits for the destination");
                assertEquals(RunState.FINISH_MIGRATE, source.runtime.state());
                link.cut();
                out.awaitOutgoing();
            } finally {
                held.release.countDown();
            }
            assertEquals(MigrationStatus.FAILED, out.outgoingProgress().status());
            assertRunsOn(source);
        }
    }

    @Test
    void aCorruptStreamIsRefusedNamingTheSectionAndTheSourceRunsOn() throws Exception {
        try (TestMachine source = running(); TestMachine destination = TestMachine.named("dst").ram(RAM).build()) {
            TestMachine.fill(source.ram, (byte) 0x11);
            MachineMigrations out = service.of(source.control());
            out.settings().setCapabilities(Map.of(Capability.RETURN_PATH, true));
            MachineMigrations in = service.of(destination.control());
            in.migrateIncoming("tcp:127.0.0.1:0", false);
            try (CuttingProxy link = new CuttingProxy(in.incomingPort()).corruptAt(200_000)) {
                out.startOutgoing(link.uri());
                out.awaitOutgoing();
            }
            assertEquals(MigrationStatus.FAILED, out.outgoingProgress().status());
            assertRunsOn(source);
            Await.until("the destination to refuse", 10, () -> in.incomingStatus().status() == MigrationStatus.FAILED);
            String error = in.incomingStatus().error();
            assertTrue(error.startsWith("section 'ram' (block riscv.virt.ram): checksum mismatch"), error);
        }
    }

    @Test
    void aStreamForAnotherMachineLayoutIsRefusedAndTheDestinationExitsWithStatus1() throws Exception {
        try (TestMachine source = running(); TestMachine destination = TestMachine.named("dst").ram(RAM / 2).build()) {
            MachineMigrations out = service.of(source.control());
            out.settings().setCapabilities(Map.of(Capability.RETURN_PATH, true));
            service.incoming(destination.control(), "tcp:127.0.0.1:0", true); // as -incoming: exit on error

            out.startOutgoing("tcp:127.0.0.1:" + service.of(destination.control()).incomingPort());
            out.awaitOutgoing();

            assertEquals(MigrationStatus.FAILED, out.outgoingProgress().status());
            assertRunsOn(source);
            assertEquals(1, destination.runtime.awaitShutdown(), "exit status");
            assertEquals("configuration: stream is for RAM riscv.virt.ram of 16 MiB, this machine has 8 MiB",
                    service.of(destination.control()).incomingStatus().error());
        }
    }

    @Test
    void aLiveMigrationToDevicesInSwappedSlotsIsRefusedAndTheSourceRunsOn() throws Exception {
        try (TestMachine source = TestMachine.named("src").ram(RAM).uarts("uart0", "uart1").build();
             TestMachine destination = TestMachine.named("dst").ram(RAM).uarts("uart1", "uart0").build()) {
            source.runtime.cont();
            MachineMigrations out = service.of(source.control());
            out.settings().setCapabilities(Map.of(Capability.RETURN_PATH, true));
            MachineMigrations in = service.of(destination.control());
            in.migrateIncoming("tcp:127.0.0.1:0", false);

            out.startOutgoing("tcp:127.0.0.1:" + in.incomingPort());
            out.awaitOutgoing();

            assertEquals(MigrationStatus.FAILED, out.outgoingProgress().status());
            assertRunsOn(source);
            Await.until("the destination to refuse", 10, () -> in.incomingStatus().status() == MigrationStatus.FAILED);
            assertEquals("configuration: device ns16550a 'uart0': at 0x10000000 irq 10 in the stream, at 0x10000100 irq 11 here",
                    in.incomingStatus().error());
        }
    }

    /** A live device whose destination side blocks in its last load step until released. */
    static final class HeldLoad implements Device, MigrationHandler {
        final CountDownLatch completing = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);

        @Override public String id() { return "held0"; }
        @Override public String type() { return "held"; }
        @Override public void reset() { }
        @Override public String idString() { return "held"; }
        @Override public int instanceId() { return 0; }
        @Override public String label() { return "held0"; }
        @Override public int version() { return 1; }

        @Override
        public void complete(SectionOutput out) throws IOException {
            out.send(new byte[] {1});
        }

        @Override
        public void load(Section section) {
            completing.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static TestMachine running() {
        TestMachine machine = TestMachine.named("src").ram(RAM).build();
        machine.runtime.cont();
        return machine;
    }

    /** A running source with 16 MiB in use behind a 4 MiB/s link: precopy takes seconds. */
    private TestMachine slowSource() {
        TestMachine machine = running();
        TestMachine.fill(machine.ram, (byte) 0x22);
        service.of(machine.control()).settings().updateParameters(p -> new MigrationParameters(4L << 20, 300, 0, 0, 20, 10, 99, 50));
        return machine;
    }

    private static void assertRunsOn(TestMachine source) {
        assertEquals(RunState.RUNNING, source.runtime.state());
        long retired = source.harts.getFirst().retired.get();
        Await.until("the source's hart to run on", 10, () -> source.harts.getFirst().retired.get() > retired);
        assertTrue(source.runtime.vcpuThrottle() == 0);
    }
}
