package org.osgemu.migration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.ValueLayout;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.osgemu.api.machine.RunState;
import org.osgemu.api.memory.RamBlock;
import org.osgemu.api.migration.MigrationException;
import org.osgemu.migration.engine.Capability;
import org.osgemu.migration.engine.MigrationParameters;
import org.osgemu.migration.engine.MigrationProgress;
import org.osgemu.migration.engine.MigrationStatus;
import org.osgemu.migration.service.MachineMigrations;
import org.osgemu.migration.service.MigrationListener;
import org.osgemu.migration.service.PrecopyMigrationService;

/**
 * Postcopy between two machines in this JVM over loopback sockets: the destination runs before
 * its RAM arrived, a guest there that reads pages all over memory waits for each missing one
 * (which it asks for) and reads exactly what the stopped source holds, redirtied pages are
 * discarded so no stale copy survives, and a link cut in postcopy pauses both sides until
 * migrate-recover and migrate with resume finish the job with no page lost.
 */
class PostcopyMigrationTest {

    static final long RAM = 16 << 20;
    static final int PAGES = (int) (RAM / RamBlock.PAGE_SIZE);

    private final PrecopyMigrationService service = new PrecopyMigrationService();
    private final List<String> events = new CopyOnWriteArrayList<>();

    PostcopyMigrationTest() {
        service.addListener(new MigrationListener() {
            @Override public void status(String machine, MigrationStatus status) { events.add(machine + ":" + status.qapiName()); }
            @Override public void pass(String machine, long number) { }
        });
    }

    @AfterEach
    void stopService() {
        service.deactivate();
    }

    @Test
    void theDestinationRunsEarlyAsksForMissingPagesAndEndsWithTheSourcesExactMemory() throws Exception {
        try (TestMachine source = source(); TestMachine destination = destination()) {
            DirtyingGuest writer = PrecopyMigrationTest.dirty(source, 1);
            CheckingReader reader = readOnDestination(destination, source);
            MachineMigrations out = service.of(source.control());
            MachineMigrations in = service.of(destination.control());
            out.settings().updateParameters(p -> withBandwidths(p, 4L << 20, 8L << 20)); // postcopy takes about a second
            service.incoming(destination.control(), "tcp:127.0.0.1:0", true); // runs once loaded, as without -S
            long writesBefore = writer.writes();
            out.startOutgoing("tcp:127.0.0.1:" + in.incomingPort());
            Await.until("precopy to be under way", 10, () -> out.outgoingProgress().snapshot().transferred() > (1 << 20));

            out.startPostcopy();
            Await.until("postcopy", 10, () -> out.outgoingProgress().status() == MigrationStatus.POSTCOPY_ACTIVE);
            Await.until("the destination to run", 10, () -> destination.runtime.state() == RunState.RUNNING);
            assertEquals(RunState.FINISH_MIGRATE, source.runtime.state(), "the source stopped for good");
            assertEquals(MigrationStatus.POSTCOPY_ACTIVE, in.incomingStatus().status());
            out.awaitOutgoing();

            MigrationProgress.Snapshot done = out.outgoingProgress().snapshot();
            assertEquals(MigrationStatus.COMPLETED, done.status(), "error: " + done.error());
            assertEquals(RunState.POSTMIGRATE, source.runtime.state());
            Await.until("the destination to complete", 10, () -> in.incomingStatus().status() == MigrationStatus.COMPLETED,
                    () -> "incoming " + in.incomingStatus());
            assertTrue(writer.writes() > writesBefore, "the source's guest ran during precopy");
            assertTrue(done.postcopyRequests() > 0, "the destination's reader asked for pages: " + done.postcopyRequests());
            assertTrue(done.postcopyBytes() > RAM / 4, "most of RAM went in postcopy: " + done.postcopyBytes());
            assertTrue(done.downtimeMillis() >= 0 && done.downtimeMillis() < 5_000, "downtime " + done.downtimeMillis());
            reader.stop();
            assertTrue(reader.reads() > 100, "the destination's guest read while pages came: " + reader.reads());
            assertEquals(List.of(), reader.mismatches(), "every read saw the source's bytes");
            assertEquals(-1, source.ram.segment().mismatch(destination.ram.segment()), "RAM differs");
            assertEquals(null, destination.ram.absentPages(), "the tracker is gone once every page arrived");
            assertTrue(events.containsAll(List.of("src:postcopy-active", "src:completed", "dst:postcopy-active", "dst:completed")),
                    "events " + events);
        }
    }

    @Test
    void aLinkCutInPostcopyPausesBothSidesAndRecoveryFinishesWithNoPageLost() throws Exception {
        try (TestMachine source = source(); TestMachine destination = destination()) {
            PrecopyMigrationTest.dirty(source, 1);
            CheckingReader reader = readOnDestination(destination, source);
            MachineMigrations out = service.of(source.control());
            MachineMigrations in = service.of(destination.control());
            // slow background pages: postcopy lasts seconds, long enough to cut it
            out.settings().updateParameters(p -> withBandwidths(p, 8L << 20, 2L << 20));
            service.incoming(destination.control(), "tcp:127.0.0.1:0", true);
            try (CuttingProxy link = new CuttingProxy(in.incomingPort())) {
                out.startOutgoing(link.uri());
                Await.until("precopy to be under way", 10, () -> link.forwarded() > (512 << 10));
                out.startPostcopy();
                Await.until("postcopy", 10, () -> in.incomingStatus().status() == MigrationStatus.POSTCOPY_ACTIVE);
                long atStart = link.forwarded();
                Await.until("some postcopy pages", 10, () -> link.forwarded() > atStart + (256 << 10));
                link.cut();

                Await.until("the source to pause", 10, () -> out.outgoingProgress().status() == MigrationStatus.POSTCOPY_PAUSED,
                        () -> "source " + out.outgoingProgress().status());
                Await.until("the destination to pause", 10, () -> in.incomingStatus().status() == MigrationStatus.POSTCOPY_PAUSED,
                        () -> "destination " + in.incomingStatus());
            }
            assertEquals(RunState.RUNNING, destination.runtime.state(), "the destination's guest goes on");
            assertEquals(RunState.FINISH_MIGRATE, source.runtime.state(), "the source stays stopped");
            MigrationException cancel = assertThrows(MigrationException.class, out::cancel);
            assertEquals("Postcopy migration in progress, cannot cancel.", cancel.getMessage());

            out.settings().updateParameters(p -> withBandwidths(p, 8L << 20, 0));
            in.recoverIncoming("tcp:127.0.0.1:0");
            assertEquals(MigrationStatus.POSTCOPY_RECOVER, in.incomingStatus().status());
            out.resumeOutgoing("tcp:127.0.0.1:" + in.recoverPort());
            out.awaitOutgoing();

            MigrationProgress.Snapshot done = out.outgoingProgress().snapshot();
            assertEquals(MigrationStatus.COMPLETED, done.status(), "error: " + done.error());
            Await.until("the destination to complete", 10, () -> in.incomingStatus().status() == MigrationStatus.COMPLETED,
                    () -> "incoming " + in.incomingStatus());
            reader.stop();
            assertEquals(List.of(), reader.mismatches(), "every read saw the source's bytes");
            assertEquals(-1, source.ram.segment().mismatch(destination.ram.segment()), "RAM differs");
            assertTrue(events.containsAll(List.of("src:postcopy-paused", "src:postcopy-recover", "dst:postcopy-paused",
                    "dst:postcopy-recover")), "events " + events);
        }
    }

    @Test
    void migrateStartPostcopyIsRefusedWithoutTheCapabilityOrAMigration() throws Exception {
        try (TestMachine source = source()) {
            MachineMigrations out = service.of(source.control());
            out.settings().setCapabilities(Map.of(Capability.POSTCOPY_RAM, false));
            assertEquals("Enable postcopy with migrate_set_capability before the start of migration",
                    assertThrows(MigrationException.class, out::startPostcopy).getMessage());
            out.settings().setCapabilities(Map.of(Capability.POSTCOPY_RAM, true));
            assertEquals("Postcopy must be started after migration has been started",
                    assertThrows(MigrationException.class, out::startPostcopy).getMessage());
            assertEquals("Cannot resume if there is no paused migration",
                    assertThrows(MigrationException.class, () -> out.resumeOutgoing("tcp:127.0.0.1:1")).getMessage());
            assertEquals("Migrate recover can only be run when postcopy is paused.",
                    assertThrows(MigrationException.class, () -> out.recoverIncoming("tcp:127.0.0.1:0")).getMessage());
        }
    }

    @Test
    void aDestinationWithoutPostcopyRamRefusesTheStreamAndTheSourceRunsOn() throws Exception {
        try (TestMachine source = source(); TestMachine destination = TestMachine.named("dst").ram(RAM).build()) {
            MachineMigrations out = service.of(source.control());
            MachineMigrations in = service.of(destination.control());
            in.migrateIncoming("tcp:127.0.0.1:0", false);
            out.startOutgoing("tcp:127.0.0.1:" + in.incomingPort());
            out.awaitOutgoing();

            assertEquals(MigrationStatus.FAILED, out.outgoingProgress().status());
            assertEquals(RunState.RUNNING, source.runtime.state());
            Await.until("the destination to refuse", 10, () -> in.incomingStatus().status() == MigrationStatus.FAILED);
            assertTrue(in.incomingStatus().error().contains("command POSTCOPY_ADVISE: the source will use postcopy, but capability "
                    + "postcopy-ram is off on this destination"), in.incomingStatus().error());
        }
    }

    private TestMachine source() {
        TestMachine machine = TestMachine.named("src").ram(RAM).build();
        fillPages(machine.ram);
        machine.runtime.cont();
        MachineMigrations out = service.of(machine.control());
        out.settings().setCapabilities(Map.of(Capability.POSTCOPY_RAM, true, Capability.EVENTS, true));
        // precopy at 4 MiB/s cannot send 16 MiB before migrate-start-postcopy
        out.settings().updateParameters(p -> withBandwidths(p, 4L << 20, 0));
        return machine;
    }

    private TestMachine destination() {
        TestMachine machine = TestMachine.named("dst").ram(RAM).build();
        service.of(machine.control()).settings().setCapabilities(Map.of(Capability.POSTCOPY_RAM, true));
        return machine;
    }

    private static MigrationParameters withBandwidths(MigrationParameters p, long precopy, long postcopy) {
        return new MigrationParameters(precopy, p.downtimeLimitMillis(), 0, postcopy, p.cpuThrottleInitial(),
                p.cpuThrottleIncrement(), p.maxCpuThrottle(), p.throttleTriggerThreshold());
    }

    /** Every page holds its own number, so a page in the wrong place or missing shows. */
    static void fillPages(RamBlock ram) {
        for (long page = 0; page < ram.size() / RamBlock.PAGE_SIZE; page++) {
            for (int word = 0; word < RamBlock.PAGE_SIZE / 8; word += 64) {
                ram.segment().set(ValueLayout.JAVA_LONG, page * RamBlock.PAGE_SIZE + word * 8L, page * 0x1_0001L + word + 1);
            }
        }
    }

    private static CheckingReader readOnDestination(TestMachine destination, TestMachine source) {
        CheckingReader reader = new CheckingReader(destination, source);
        destination.harts.getFirst().work = reader;
        return reader;
    }

    /**
     * The destination's guest: reads a word of a page far from the last one through the address
     * space (so a missing page is asked for and waited for) and compares it with the stopped
     * source's memory, which no longer changes once postcopy runs.
     */
    static final class CheckingReader implements Runnable {
        private final TestMachine destination;
        private final TestMachine source;
        private final List<String> mismatches = new CopyOnWriteArrayList<>();
        private volatile boolean stopped;
        private volatile long reads;
        private long next = 7;

        CheckingReader(TestMachine destination, TestMachine source) {
            this.destination = destination;
            this.source = source;
        }

        @Override
        public void run() {
            for (int i = 0; i < 4 && !stopped; i++) {
                next = (next * 2_654_435_761L + 12_345) & Long.MAX_VALUE;
                long page = next % PAGES;
                long offset = page * RamBlock.PAGE_SIZE + (next % 64) * 64 * 8;
                long seen = destination.runtime.memory().read(TestMachine.RAM_BASE + offset, 8);
                long expected = source.ram.segment().get(ValueLayout.JAVA_LONG, offset);
                if (seen != expected && mismatches.size() < 10) {
                    mismatches.add(String.format("page %d offset 0x%x: 0x%x, the source has 0x%x", page, offset, seen, expected));
                }
                reads++;
            }
        }

        void stop() {
            stopped = true;
        }

        long reads() {
            return reads;
        }

        List<String> mismatches() {
            return mismatches;
        }
    }
}
