package org.osgemu.migration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgemu.api.machine.RunState;
import org.osgemu.migration.engine.Capability;
import org.osgemu.migration.engine.MigrationParameters;
import org.osgemu.migration.engine.MigrationProgress;
import org.osgemu.migration.engine.MigrationStatus;
import org.osgemu.migration.service.MachineMigrations;
import org.osgemu.migration.service.MigrationListener;
import org.osgemu.migration.service.PrecopyMigrationService;

/**
 * Live precopy between two machines in this JVM over loopback sockets: a guest that keeps
 * dirtying memory moves while it runs, its memory arrives exactly, the destination runs on, and
 * the bandwidth limit and auto-converge shape the migration as their parameters say.
 */
class PrecopyMigrationTest {

    static final long RAM = 16 << 20;
    static final int WORKING_SET_PAGES = 1024; // 4 MiB

    private final PrecopyMigrationService service = new PrecopyMigrationService();
    private final List<String> passes = new CopyOnWriteArrayList<>();

    @TempDir
    Path dir;

    PrecopyMigrationTest() {
        service.addListener(new MigrationListener() {
            @Override public void status(String machine, MigrationStatus status) { }
            @Override public void pass(String machine, long number) { passes.add(machine + ":" + number); }
        });
    }

    @AfterEach
    void stopService() {
        service.deactivate();
    }

    @Test
    void aGuestThatKeepsDirtyingMemoryMovesOverTcpAndRunsOnAtTheDestination() throws Exception {
        try (TestMachine source = running("src"); TestMachine destination = TestMachine.named("dst").ram(RAM).build()) {
            TestMachine.fill(source.ram, (byte) 0x5A); // memory in use: the first pass takes a quarter of a second
            DirtyingGuest guest = dirty(source, 1);
            // a short downtime limit over a modest link: the 4 MiB working set cannot go in one step
            service.of(source.control()).settings().updateParameters(p -> new MigrationParameters(64L << 20, 20, 0, 0, 20, 10, 99, 50));
            service.incoming(destination.control(), "tcp:127.0.0.1:0", true);
            int port = service.of(destination.control()).incomingPort();
            long writesBefore = guest.writes();

            service.migrate(source.control(), "tcp:127.0.0.1:" + port);

            assertEquals(RunState.POSTMIGRATE, source.runtime.state());
            assertTrue(guest.writes() > writesBefore + 200, "the guest ran during precopy: " + (guest.writes() - writesBefore) + " stores");
            Await.until("the destination to run", 10, () -> destination.runtime.state() == RunState.RUNNING,
                    () -> "destination is " + destination.runtime.state());
            assertEquals(-1, source.ram.segment().mismatch(destination.ram.segment()), "RAM differs");
            assertEquals(source.harts.getFirst().saveState().pc(), destination.harts.getFirst().saveState().pc());
            MigrationProgress.Snapshot done = service.of(source.control()).outgoingProgress().snapshot();
            assertEquals(MigrationStatus.COMPLETED, done.status());
            assertTrue(done.dirtySyncCount() >= 2, "at least one pass after the first: " + done.dirtySyncCount());
            assertTrue(done.normal() >= WORKING_SET_PAGES, "the working set went whole: " + done.normal() + " pages");
            assertTrue(done.duplicate() > 0, "untouched pages went as zero-page markers");
            assertTrue(done.downtimeMillis() >= 0 && done.downtimeMillis() < 5_000, "downtime " + done.downtimeMillis());
            assertTrue(passes.contains("src:1") && passes.contains("src:2"), "passes " + passes);
        }
    }

    @Test
    void overAUnixSocketToo() throws Exception {
        Path socket = dir.resolve("migration.sock");
        try (TestMachine source = running("src"); TestMachine destination = TestMachine.named("dst").ram(RAM).build()) {
            dirty(source, 2);
            service.incoming(destination.control(), "unix:" + socket, true);

            service.migrate(source.control(), "unix:" + socket);
            awaitLoaded(destination);

            Await.until("the destination to run", 10, () -> destination.runtime.state() == RunState.RUNNING);
            assertEquals(-1, source.ram.segment().mismatch(destination.ram.segment()), "RAM differs");
        }
    }

    @Test
    void theBandwidthLimitHoldsTheRateInItsWindows() throws Exception {
        long limited = migrateFilledRam(32L << 20);
        long unlimited = migrateFilledRam(0);

        // 16 MiB at 32 MiB/s: half a second at least; without a limit the loopback takes far less
        assertTrue(limited >= 450, "16 MiB at 32 MiB/s took " + limited + " ms");
        assertTrue(unlimited < limited / 2, "without a limit it took " + unlimited + " ms, with one " + limited + " ms");
    }

    private long migrateFilledRam(long maxBandwidth) throws Exception {
        try (TestMachine source = running("src"); TestMachine destination = TestMachine.named("dst").ram(RAM).build()) {
            TestMachine.fill(source.ram, (byte) 0x5A);
            MachineMigrations migrations = service.of(source.control());
            // a downtime limit of 1 ms leaves (almost) everything to precopy, under the limit
            migrations.settings().updateParameters(p -> new MigrationParameters(maxBandwidth, 1, 0, 0, 20, 10, 99, 50));
            service.incoming(destination.control(), "tcp:127.0.0.1:0", false);
            int port = service.of(destination.control()).incomingPort();
            service.migrate(source.control(), "tcp:127.0.0.1:" + port);
            awaitLoaded(destination);
            assertEquals(-1, source.ram.segment().mismatch(destination.ram.segment()), "RAM differs");
            return migrations.outgoingProgress().snapshot().totalTimeMillis();
        }
    }

    @Test
    void autoConvergeThrottlesAGuestThatDirtiesFasterThanTheLinkUntilItConverges() throws Exception {
        try (TestMachine source = running("src"); TestMachine destination = TestMachine.named("dst").ram(RAM).build()) {
            DirtyingGuest guest = dirty(source, 16); // about 250 MiB/s of dirty pages, over a 4 MiB working set
            // the guest must be dirtying already: otherwise the first pass (a few zero pages, quick) could
            // find nothing dirty and converge at once, with no need to throttle
            Await.until("the guest to dirty its working set once", 10, () -> guest.writes() >= WORKING_SET_PAGES);
            MachineMigrations migrations = service.of(source.control());
            migrations.settings().updateParameters(p -> new MigrationParameters(8L << 20, 20, 0, 0, 90, 9, 99, 50));
            migrations.settings().setCapabilities(java.util.Map.of(Capability.AUTO_CONVERGE, true));
            service.incoming(destination.control(), "tcp:127.0.0.1:0", false);
            int port = service.of(destination.control()).incomingPort();
            int[] highest = new int[1];
            Thread watcher = Thread.ofVirtual().start(() -> {
                while (source.runtime.state() != RunState.POSTMIGRATE && !Thread.currentThread().isInterrupted()) {
                    highest[0] = Math.max(highest[0], source.runtime.vcpuThrottle());
                    try {
                        Thread.sleep(10);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            });

            service.migrate(source.control(), "tcp:127.0.0.1:" + port);
            watcher.interrupt();
            watcher.join();
            awaitLoaded(destination);

            assertTrue(highest[0] >= 90, "the vCPU was throttled to at least 90 %: " + highest[0]);
            assertEquals(0, source.runtime.vcpuThrottle(), "the throttle ends with the migration");
            assertEquals(-1, source.ram.segment().mismatch(destination.ram.segment()), "RAM differs");
            assertTrue(guest.writes() > 0);
        }
    }

    /** Without a return path the source is done when it sent the stream; the destination may still be loading. */
    void awaitLoaded(TestMachine destination) {
        MachineMigrations in = service.of(destination.control());
        Await.until("the destination to load", 10, () -> in.incomingStatus() != null && in.incomingStatus().status().isFinal(),
                () -> "incoming " + in.incomingStatus());
        assertEquals(MigrationStatus.COMPLETED, in.incomingStatus().status(), "incoming " + in.incomingStatus());
    }

    static TestMachine running(String name) {
        TestMachine machine = TestMachine.named(name).ram(RAM).build();
        machine.runtime.cont();
        return machine;
    }

    static DirtyingGuest dirty(TestMachine machine, int pagesPerCall) {
        DirtyingGuest guest = new DirtyingGuest(machine.runtime.memory(), TestMachine.RAM_BASE, WORKING_SET_PAGES, pagesPerCall);
        machine.harts.getFirst().work = guest;
        return guest;
    }
}
