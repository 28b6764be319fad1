package org.osgemu.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import org.junit.Test;

/**
 * Postcopy live migration between two osgemu processes on this host, with a guest that keeps
 * dirtying and checking its memory ({@link #guest()}): precopy is too slow to finish
 * ({@code max-bandwidth} 4 MiB/s), {@code migrate-start-postcopy} starts the destination early,
 * the guest there asks for the pages it touches first, and goes on with every checksum right.
 * Then the same with the link cut in postcopy: both sides pause, {@code migrate-recover} and
 * {@code migrate} with {@code resume} finish the migration, and no page is lost. A Linux guest
 * runs the same tests by overriding {@link #guest()}.
 */
public class PostcopyIT {

    private static final String SLOW_PRECOPY = "{\"execute\": \"migrate-set-parameters\", \"arguments\": {\"max-bandwidth\": 4194304}}";

    /** The guest the tests migrate. */
    protected MigrationGuest guest() {
        return new DirtyProgramGuest("dirty16.elf", 16);
    }

    @Test
    public void postcopyStartsTheDestinationEarlyAndTheGuestGoesOnWithEveryChecksumRight() throws Exception {
        try (MigrationPair pair = MigrationPair.start(guest())) {
            String uri = "unix:" + pair.socket("postcopy.sock");
            MigrationPair.Destination destination = pair.destination(uri);
            destination.qmp().capabilities("postcopy-ram"); // on both sides, before the stream arrives
            pair.sourceQmp.capabilities("postcopy-ram", "events");
            pair.sourceQmp.ok(SLOW_PRECOPY);
            long started = System.nanoTime();

            pair.sourceQmp.ok("{\"execute\": \"migrate\", \"arguments\": {\"uri\": \"" + uri + "\"}}");
            pair.sourceQmp.awaitMigration(60, "active");
            Thread.sleep(1_000); // a second of precopy: some pages there, most not
            pair.sourceQmp.ok("{\"execute\": \"migrate-start-postcopy\"}");

            assertEquals(pair.sourceQmp.queryMigrate(), "completed", pair.sourceQmp.awaitMigration(180, "completed", "failed"));
            long seconds = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
            String info = pair.sourceQmp.queryMigrate();
            System.out.println("PostcopyIT: " + seconds + " ms from migrate to completed; query-migrate: " + info);
            assertTrue(info, MigrationQmp.number(info, "postcopy-requests") > 0);
            assertTrue(info, MigrationQmp.number(info, "postcopy-bytes") > 0);
            assertTrue(info, MigrationQmp.number(info, "downtime") >= 0);
            assertEquals("postmigrate", pair.sourceQmp.runState());
            assertTrue(pair.sourceQmp.events().toString(), pair.sourceQmp.events().stream()
                    .anyMatch(e -> e.contains("\"event\": \"MIGRATION\", \"data\": {\"status\": \"postcopy-active\"}")));
            assertEquals("completed", destination.qmp().awaitMigration(60, "completed", "failed"));
            LiveMigrationIT.goesOn(pair, destination);
        }
    }

    @Test
    public void aLinkCutInPostcopyPausesBothSidesAndRecoveryCompletesWithNoPageLost() throws Exception {
        try (MigrationPair pair = MigrationPair.start(guest())) {
            Path socket = pair.socket("postcopy-cut.sock");
            MigrationPair.Destination destination = pair.destination("unix:" + socket);
            destination.qmp().capabilities("postcopy-ram");
            pair.sourceQmp.capabilities("postcopy-ram", "events");
            pair.sourceQmp.ok(SLOW_PRECOPY);
            // background pages slowly too, so that postcopy lasts long enough to cut it
            pair.sourceQmp.ok("{\"execute\": \"migrate-set-parameters\", \"arguments\": {\"max-postcopy-bandwidth\": 2097152}}");
            try (MigrationLink link = new MigrationLink(socket)) {
                pair.sourceQmp.ok("{\"execute\": \"migrate\", \"arguments\": {\"uri\": \"" + link.uri() + "\"}}");
                pair.sourceQmp.awaitMigration(60, "active");
                Thread.sleep(500);
                pair.sourceQmp.ok("{\"execute\": \"migrate-start-postcopy\"}");
                pair.sourceQmp.awaitMigration(60, "postcopy-active");
                long atStart = link.forwarded();
                awaitForwarded(link, atStart + (512 << 10));
                link.cut();

                assertEquals("postcopy-paused", pair.sourceQmp.awaitMigration(60, "postcopy-paused", "failed", "completed"));
                assertEquals("postcopy-paused", destination.qmp().awaitMigration(60, "postcopy-paused", "failed", "completed"));
            }
            assertEquals("finish-migrate", pair.sourceQmp.runState());
            String cancel = pair.sourceQmp.execute("{\"execute\": \"migrate_cancel\"}");
            assertTrue(cancel, cancel.contains("Postcopy migration in progress, cannot cancel."));

            String recover = "unix:" + pair.socket("postcopy-recover.sock");
            pair.sourceQmp.ok("{\"execute\": \"migrate-set-parameters\", \"arguments\": {\"max-postcopy-bandwidth\": 0}}");
            destination.qmp().ok("{\"execute\": \"migrate-recover\", \"arguments\": {\"uri\": \"" + recover + "\"}}");
            pair.sourceQmp.ok("{\"execute\": \"migrate\", \"arguments\": {\"uri\": \"" + recover + "\", \"resume\": true}}");

            assertEquals(pair.sourceQmp.queryMigrate(), "completed", pair.sourceQmp.awaitMigration(180, "completed", "failed"));
            System.out.println("PostcopyIT (recovered): query-migrate: " + pair.sourceQmp.queryMigrate());
            assertEquals("completed", destination.qmp().awaitMigration(60, "completed", "failed"));
            assertTrue(pair.sourceQmp.events().toString(), pair.sourceQmp.events().stream()
                    .anyMatch(e -> e.contains("{\"status\": \"postcopy-recover\"}")));
            LiveMigrationIT.goesOn(pair, destination);
        }
    }

    private static void awaitForwarded(MigrationLink link, long bytes) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (link.forwarded() < bytes) {
            assertTrue("only " + link.forwarded() + " bytes went through", System.nanoTime() < deadline);
            Thread.sleep(20);
        }
    }
}
