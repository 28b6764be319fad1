package org.osgemu.migration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgemu.api.machine.RunState;
import org.osgemu.migration.engine.Capability;
import org.osgemu.migration.engine.MigrationStatus;
import org.osgemu.migration.service.MachineMigrations;
import org.osgemu.migration.service.PrecopyMigrationService;

/**
 * A disk image that source and destination both open (QEMU's inactive images): the live
 * migration hands it over at the switchover (the stopped source lets go, the destination takes it
 * before it runs), a failure or cancel after the switchover gives it back to the source before its
 * guest runs on, a source that cannot have it back stays paused, and a snapshot to a file flushes
 * it while the machine is stopped and keeps it.
 */
class DriveHandoverTest {

    static final long RAM = 4 << 20;

    private final PrecopyMigrationService service = new PrecopyMigrationService();
    private final FakeDrive.Image image = new FakeDrive.Image();

    @AfterEach
    void stopService() {
        service.deactivate();
    }

    private FakeDrive drive(TestMachine machine, boolean active) {
        FakeDrive d = new FakeDrive("hd0", image, machine.control(), active);
        service.addDrive(d, Map.of("machine", machine.control().name()));
        return d;
    }

    @Test
    void aLiveMigrationHandsTheImageOverWhileBothMachinesAreStopped() throws Exception {
        try (TestMachine source = running(); TestMachine destination = TestMachine.named("dst").ram(RAM).build()) {
            FakeDrive onSource = drive(source, true);
            FakeDrive onDestination = drive(destination, false);
            MachineMigrations in = service.of(destination.control());
            in.migrateIncoming("tcp:127.0.0.1:0", false);

            service.migrate(source.control(), "tcp:127.0.0.1:" + in.incomingPort());
            Await.until("the destination to load", 10, () -> in.incomingStatus().status() == MigrationStatus.COMPLETED);

            assertEquals(List.of("inactivated in finish-migrate"), onSource.events, "after the vCPUs stopped");
            assertTrue(onSource.flushes.get() > 0, "flushed before letting go");
            assertEquals(List.of("activated in inmigrate"), onDestination.events, "before the destination runs");
            assertSame(onDestination, image.holder.get());
            assertEquals(RunState.POSTMIGRATE, source.runtime.state());
        }
    }

    @Test
    void aDestinationThatCannotTakeTheImageFailsTheMigrationAndTheSourceTakesItBack() throws Exception {
        try (TestMachine source = running(); TestMachine destination = TestMachine.named("dst").ram(RAM).build();
             TestMachine second = TestMachine.named("dst2").ram(RAM).build()) {
            FakeDrive onSource = drive(source, true);
            FakeDrive.Image elsewhere = new FakeDrive.Image();
            new FakeDrive("other", elsewhere, destination.control(), true); // another process holds the file it opened
            FakeDrive onDestination = new FakeDrive("hd0", elsewhere, destination.control(), false);
            service.addDrive(onDestination, Map.of("machine", "dst"));
            MachineMigrations out = service.of(source.control());
            out.settings().setCapabilities(Map.of(Capability.RETURN_PATH, true));
            MachineMigrations in = service.of(destination.control());
            in.migrateIncoming("tcp:127.0.0.1:0", false);

            out.startOutgoing("tcp:127.0.0.1:" + in.incomingPort());
            out.awaitOutgoing();

            assertEquals(MigrationStatus.FAILED, out.outgoingProgress().status());
            Await.until("the destination to fail", 10, () -> in.incomingStatus().status() == MigrationStatus.FAILED);
            String error = in.incomingStatus().error();
            assertTrue(error.startsWith("drive hd0: cannot activate it: the image of hd0 is locked"), error);
            assertEquals(List.of("inactivated in finish-migrate", "activated in finish-migrate"), onSource.events,
                    "taken back before the guest runs");
            assertSame(onSource, image.holder.get());
            assertRunsOn(source);

            FakeDrive onSecond = drive(second, false);
            MachineMigrations again = service.of(second.control());
            again.migrateIncoming("tcp:127.0.0.1:0", false);
            service.migrate(source.control(), "tcp:127.0.0.1:" + again.incomingPort());
            Await.until("the second destination to load", 10, () -> again.incomingStatus().status() == MigrationStatus.COMPLETED);
            assertSame(onSecond, image.holder.get(), "a second migration hands the image over");
        }
    }

    @Test
    void aCancelAfterTheSwitchoverGivesTheImageBackBeforeTheGuestRuns() throws Exception {
        MigrationFailureTest.HeldLoad held = new MigrationFailureTest.HeldLoad();
        try (TestMachine source = TestMachine.named("src").ram(RAM).device(new MigrationFailureTest.HeldLoad()).build();
             TestMachine destination = TestMachine.named("dst").ram(RAM).device(held).build()) {
            source.runtime.cont();
            FakeDrive onSource = drive(source, true);
            drive(destination, false);
            MachineMigrations out = service.of(source.control());
            out.settings().setCapabilities(Map.of(Capability.RETURN_PATH, true));
            MachineMigrations in = service.of(destination.control());
            in.migrateIncoming("tcp:127.0.0.1:0", false);
            try {
                out.startOutgoing("tcp:127.0.0.1:" + in.incomingPort());
                held.completing.await();
                Await.until("the source to let go", 10, () -> !onSource.isImageActive());

                out.cancel();
                out.awaitOutgoing();
            } finally {
                held.release.countDown();
            }
            assertEquals(MigrationStatus.CANCELLED, out.outgoingProgress().status());
            assertTrue(onSource.isImageActive());
            assertRunsOn(source);
        }
    }

    @Test
    void aSourceWhoseImageWasTakenStaysPausedAfterAFailure() throws Exception {
        MigrationFailureTest.HeldLoad held = new MigrationFailureTest.HeldLoad();
        try (TestMachine source = TestMachine.named("src").ram(RAM).device(new MigrationFailureTest.HeldLoad()).build();
             TestMachine destination = TestMachine.named("dst").ram(RAM).device(held).build()) {
            source.runtime.cont();
            FakeDrive onSource = drive(source, true);
            MachineMigrations out = service.of(source.control());
            out.settings().setCapabilities(Map.of(Capability.RETURN_PATH, true));
            MachineMigrations in = service.of(destination.control());
            in.migrateIncoming("tcp:127.0.0.1:0", false);
            try (CuttingProxy link = new CuttingProxy(in.incomingPort())) {
                out.startOutgoing(link.uri());
                held.completing.await();
                Await.until("the source to let go", 10, () -> !onSource.isImageActive());
                // the destination took the image and went on, but its answer never reached the source
                new FakeDrive("hd0", image, destination.control(), true);
                link.cut();
                out.awaitOutgoing();
            } finally {
                held.release.countDown();
            }
            assertEquals(MigrationStatus.FAILED, out.outgoingProgress().status());
            String error = out.outgoingProgress().error();
            assertTrue(error.contains("drive hd0: cannot activate it") && error.endsWith("the machine stays paused"), error);
            assertFalse(onSource.isImageActive());
            assertEquals(RunState.PAUSED, source.runtime.state(), "two machines must not write one disk");
        }
    }

    @Test
    void aSnapshotToAFileFlushesTheImageWhileTheMachineIsStoppedAndKeepsIt(@TempDir Path dir) throws Exception {
        try (TestMachine source = running()) {
            FakeDrive onSource = drive(source, true);
            MachineMigrations out = service.of(source.control());
            out.startOutgoing("file:" + dir.resolve("snap"));
            out.awaitOutgoing();

            assertEquals(MigrationStatus.COMPLETED, out.outgoingProgress().status());
            // finish-migrate: after the vCPUs stopped and before the stream was complete (then postmigrate)
            assertEquals(List.of("finish-migrate"), onSource.flushStates);
            assertTrue(onSource.isImageActive());
            assertEquals(List.of(), onSource.events, "neither inactivated nor activated");
        }
    }

    @Test
    void aSnapshotOfAPausedMachineFlushesTheImage(@TempDir Path dir) throws Exception {
        try (TestMachine source = TestMachine.named("src").ram(RAM).build()) {
            FakeDrive onSource = drive(source, true);
            service.save(source.control(), dir.resolve("snap"));

            assertEquals(List.of("finish-migrate"), onSource.flushStates);
            assertTrue(onSource.isImageActive());
        }
    }

    @Test
    void aDriveThatCannotBeFlushedFailsTheSnapshotAndTheGuestRunsOn(@TempDir Path dir) throws Exception {
        try (TestMachine source = running()) {
            FakeDrive onSource = drive(source, true);
            onSource.failFlush = true;
            MachineMigrations out = service.of(source.control());
            out.startOutgoing("file:" + dir.resolve("snap"));
            out.awaitOutgoing();

            assertEquals(MigrationStatus.FAILED, out.outgoingProgress().status());
            assertEquals("drive hd0: cannot flush it for the snapshot: No space left on device", out.outgoingProgress().error());
            assertFalse(java.nio.file.Files.exists(dir.resolve("snap")), "a snapshot without its disk's writes was kept");
            assertTrue(onSource.isImageActive());
            assertRunsOn(source);
        }
    }

    @Test
    void continuingASourceAfterItsMigrationTakesTheImageBack() throws Exception {
        try (TestMachine source = running(); TestMachine destination = TestMachine.named("dst").ram(RAM).build()) {
            FakeDrive onSource = drive(source, true);
            FakeDrive onDestination = drive(destination, false);
            MachineMigrations in = service.of(destination.control());
            in.migrateIncoming("tcp:127.0.0.1:0", false);
            service.migrate(source.control(), "tcp:127.0.0.1:" + in.incomingPort());
            Await.until("the destination to load", 10, () -> in.incomingStatus().status() == MigrationStatus.COMPLETED);
            onDestination.inactivateImage(); // the destination went away

            source.runtime.cont();

            assertTrue(onSource.isImageActive());
            assertEquals("activated in running", onSource.events.getLast(), "before the vCPUs run (QEMU's cont activates)");
        }
    }

    private static TestMachine running() {
        TestMachine machine = TestMachine.named("src").ram(RAM).build();
        machine.runtime.cont();
        return machine;
    }

    private static void assertRunsOn(TestMachine source) {
        assertEquals(RunState.RUNNING, source.runtime.state());
        long retired = source.harts.getFirst().retired.get();
        Await.until("the source's hart to run on", 10, () -> source.harts.getFirst().retired.get() > retired);
    }
}
