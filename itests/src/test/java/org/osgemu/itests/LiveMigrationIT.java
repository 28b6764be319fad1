package org.osgemu.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;

import org.junit.Test;

/**
 * Live migration between two osgemu processes on this host, with a guest that keeps dirtying and
 * checking its memory ({@link #guest()}): over TCP and a unix socket, with {@code -incoming defer}
 * and {@code migrate-incoming}, and with switchover-ack and the bigstate device, whose loading is
 * slow. After each, the guest goes on at the destination from where it was, with every checksum
 * right. A Linux guest runs the same tests by overriding {@link #guest()} and
 * {@link #bigstateGuest()}.
 */
public class LiveMigrationIT {

    /** The guest the tests migrate. */
    protected MigrationGuest guest() {
        return new DirtyProgramGuest("dirty16.elf", 16);
    }

    /** The guest with a bigstate device, which it checks too. */
    protected MigrationGuest bigstateGuest() {
        return new DirtyProgramGuest("dirty-bigstate.elf", 16, "-device", "bigstate,id=big0,size=32M,index-rounds=64");
    }

    @Test
    public void aGuestThatDirtiesMemoryMovesOverTcpAndGoesOnWithoutARestart() throws Exception {
        try (MigrationPair pair = MigrationPair.start(guest())) {
            String uri = "tcp:127.0.0.1:" + freePort();
            MigrationPair.Destination destination = pair.destination(uri);
            pair.sourceQmp.capabilities("events");

            pair.sourceQmp.ok("{\"execute\": \"migrate\", \"arguments\": {\"uri\": \"" + uri + "\"}}");

            assertEquals(pair.sourceQmp.queryMigrate(), "completed", pair.sourceQmp.awaitMigration(180, "completed", "failed"));
            String info = pair.sourceQmp.queryMigrate();
            assertTrue(info, MigrationQmp.number(info, "downtime") >= 0 && MigrationQmp.number(info, "transferred") > 16 << 20);
            assertEquals("postmigrate", pair.sourceQmp.runState());
            assertTrue(pair.sourceQmp.events().toString(), pair.sourceQmp.events().stream()
                    .anyMatch(e -> e.contains("\"event\": \"MIGRATION\", \"data\": {\"status\": \"completed\"}")));
            assertTrue(pair.sourceQmp.events().stream().anyMatch(e -> e.contains("\"event\": \"MIGRATION_PASS\"")));
            goesOn(pair, destination);
        }
    }

    @Test
    public void overAUnixSocketToo() throws Exception {
        try (MigrationPair pair = MigrationPair.start(guest())) {
            String uri = "unix:" + pair.socket("migration.sock");
            MigrationPair.Destination destination = pair.destination(uri);

            pair.sourceQmp.ok("{\"execute\": \"migrate\", \"arguments\": {\"uri\": \"" + uri + "\"}}");

            assertEquals(pair.sourceQmp.queryMigrate(), "completed", pair.sourceQmp.awaitMigration(180, "completed", "failed"));
            goesOn(pair, destination);
        }
    }

    @Test
    public void aDeferredDestinationTakesTheMigrationMigrateIncomingNames() throws Exception {
        try (MigrationPair pair = MigrationPair.start(guest())) {
            MigrationPair.Destination destination = pair.destination("defer");
            assertEquals("inmigrate", destination.qmp().runState());
            String uri = "unix:" + pair.socket("deferred.sock");
            destination.qmp().ok("{\"execute\": \"migrate-incoming\", \"arguments\": {\"uri\": \"" + uri + "\"}}");

            pair.sourceQmp.ok("{\"execute\": \"migrate\", \"arguments\": {\"uri\": \"" + uri + "\"}}");

            assertEquals(pair.sourceQmp.queryMigrate(), "completed", pair.sourceQmp.awaitMigration(180, "completed", "failed"));
            goesOn(pair, destination);
            assertEquals("completed", destination.qmp().migrationStatus());
        }
    }

    @Test
    public void withSwitchoverAckTheBigstateDeviceMovesAndTheGuestFindsItsIndexRight() throws Exception {
        MigrationGuest guest = bigstateGuest();
        try (MigrationPair pair = MigrationPair.start(guest)) {
            String uri = "unix:" + pair.socket("ack.sock");
            MigrationPair.Destination destination = pair.destination(uri);
            // the capability on both sides, on the destination before the stream arrives
            destination.qmp().capabilities("return-path", "switchover-ack");
            pair.sourceQmp.capabilities("return-path", "switchover-ack", "events");

            pair.sourceQmp.ok("{\"execute\": \"migrate\", \"arguments\": {\"uri\": \"" + uri + "\"}}");

            assertEquals(pair.sourceQmp.queryMigrate(), "completed", pair.sourceQmp.awaitMigration(180, "completed", "failed"));
            assertTheGuestCheckedTheBigstateDevice(pair.source);
            goesOn(pair, destination);
        }
    }

    /**
     * The guest read the bigstate device's memory and index through its registers before the move
     * (the bare-metal program ends each pass line with "bigstate ok"); after it, {@code goesOn}'s
     * check finds no pass line that says otherwise.
     */
    protected void assertTheGuestCheckedTheBigstateDevice(Osgemu source) {
        assertTrue(source.stdout(), source.stdout().contains("bigstate ok"));
    }

    /** The guest runs on at the destination, and source and destination output read as one unbroken run. */
    static void goesOn(MigrationPair pair, MigrationPair.Destination destination) throws Exception {
        String before = pair.source.stdout();
        long last = pair.guest.progress(pair.source);
        pair.guest.awaitProgressBeyond(destination.vm(), last + 2, 120);
        assertEquals("running", destination.qmp().runState());
        pair.guest.check(before, destination.vm());
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
