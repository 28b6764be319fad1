package org.osgemu.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import org.junit.Test;

/**
 * What a failing live migration leaves behind, between two osgemu processes: a destination killed
 * or a link cut in precopy or at the switchover, and migrate_cancel, leave the source running with
 * its guest unharmed (it goes on checking its memory, and a second migration delivers it intact);
 * a destination given a corrupt or truncated stream, or one for another machine, refuses it naming
 * the section and field and exits with status 1, or, with {@code exit-on-error: false}, waits for
 * another source. The guest is {@link #guest()}, a parameter for Linux guests later.
 */
public class MigrationFailureIT {

    /** 2 MiB/s: precopy of the 16 MiB working set takes seconds, time to break things. */
    private static final String SLOW = "{\"execute\": \"migrate-set-parameters\", \"arguments\": {\"max-bandwidth\": 2097152}}";
    private static final String FAST = "{\"execute\": \"migrate-set-parameters\", \"arguments\": {\"max-bandwidth\": 0}}";

    /** The guest the tests migrate. */
    protected MigrationGuest guest() {
        return new DirtyProgramGuest("dirty16.elf", 16);
    }

    @Test
    public void killingTheDestinationInPrecopyLeavesTheSourceRunningAndASecondMigrationWorks() throws Exception {
        try (MigrationPair pair = MigrationPair.start(guest())) {
            pair.sourceQmp.ok(SLOW);
            String uri = "unix:" + pair.socket("first.sock");
            MigrationPair.Destination first = pair.destination(uri);
            migrate(pair, uri);
            pair.sourceQmp.awaitMigration(60, "active");
            Thread.sleep(1000);

            MigrationPair.kill(first.vm());

            assertEquals(pair.sourceQmp.queryMigrate(), "failed", pair.sourceQmp.awaitMigration(60, "failed", "completed"));
            assertTrue(pair.sourceQmp.queryMigrate().contains("\"error-desc\""));
            sourceRunsOn(pair);
            pair.sourceQmp.ok(FAST);
            String again = "unix:" + pair.socket("second.sock");
            MigrationPair.Destination second = pair.destination(again);
            migrate(pair, again);
            assertEquals(pair.sourceQmp.queryMigrate(), "completed", pair.sourceQmp.awaitMigration(180, "completed", "failed"));
            LiveMigrationIT.goesOn(pair, second);
        }
    }

    @Test
    public void killingTheDestinationAtTheSwitchoverRestartsTheStoppedSource() throws Exception {
        try (MigrationPair pair = MigrationPair.start(guest())) {
            pair.sourceQmp.capabilities("return-path", "pause-before-switchover");
            String uri = "unix:" + pair.socket("switchover.sock");
            MigrationPair.Destination destination = pair.destination(uri);
            migrate(pair, uri);
            pair.sourceQmp.awaitMigration(120, "pre-switchover");
            assertEquals("finish-migrate", pair.sourceQmp.runState());

            MigrationPair.kill(destination.vm());

            assertEquals("failed", pair.sourceQmp.awaitMigration(60, "failed", "completed"));
            sourceRunsOn(pair);
        }
    }

    @Test
    public void cuttingTheLinkInPrecopyFailsBothSidesAndTheDestinationSaysWhere() throws Exception {
        try (MigrationPair pair = MigrationPair.start(guest())) {
            pair.sourceQmp.ok(SLOW);
            Path socket = pair.socket("cut.sock");
            MigrationPair.Destination destination = pair.destination("unix:" + socket);
            try (MigrationLink link = new MigrationLink(socket)) {
                migrate(pair, link.uri());
                awaitForwarded(link, 1 << 20);
                link.cut();

                assertEquals("failed", pair.sourceQmp.awaitMigration(60, "failed", "completed"));
            }
            sourceRunsOn(pair);
            destinationRefuses(destination, "stream truncated", "section 'ram' (block riscv.virt.ram)");
        }
    }

    @Test
    public void migrateCancelLeavesTheSourceRunning() throws Exception {
        try (MigrationPair pair = MigrationPair.start(guest())) {
            pair.sourceQmp.capabilities("events");
            pair.sourceQmp.ok(SLOW);
            String uri = "unix:" + pair.socket("cancel.sock");
            MigrationPair.Destination destination = pair.destination(uri);
            migrate(pair, uri);
            pair.sourceQmp.awaitMigration(60, "active");

            pair.sourceQmp.ok("{\"execute\": \"migrate_cancel\"}");

            assertEquals("cancelled", pair.sourceQmp.awaitMigration(60, "cancelled", "failed", "completed"));
            assertTrue(pair.sourceQmp.events().toString(), pair.sourceQmp.events().stream()
                    .anyMatch(e -> e.contains("{\"status\": \"cancelling\"}")));
            sourceRunsOn(pair);
            destinationRefuses(destination, "stream truncated", "section 'ram' (block riscv.virt.ram)");
        }
    }

    @Test
    public void aCorruptStreamIsRefusedNamingTheSectionAndTheSourceRunsOn() throws Exception {
        try (MigrationPair pair = MigrationPair.start(guest())) {
            pair.sourceQmp.capabilities("return-path");
            Path socket = pair.socket("corrupt.sock");
            MigrationPair.Destination destination = pair.destination("unix:" + socket);
            try (MigrationLink link = new MigrationLink(socket).corruptAt(3_000_000)) {
                migrate(pair, link.uri());
                assertEquals("failed", pair.sourceQmp.awaitMigration(120, "failed", "completed"));
            }
            sourceRunsOn(pair);
            destinationRefuses(destination, "section 'ram' (block riscv.virt.ram): checksum mismatch");
        }
    }

    @Test
    public void aStreamForAnotherMachineIsRefusedNamingTheDifference() throws Exception {
        try (MigrationPair pair = MigrationPair.start(guest(), "-m", "128M")) {
            pair.sourceQmp.capabilities("return-path");
            String uri = "unix:" + pair.socket("layout.sock");
            MigrationPair.Destination destination = pair.destination(uri, "-m", "256M");
            migrate(pair, uri);

            assertEquals("failed", pair.sourceQmp.awaitMigration(60, "failed", "completed"));
            sourceRunsOn(pair);
            destinationRefuses(destination, "configuration: stream is for RAM riscv.virt.ram of 128 MiB, this machine has 256 MiB");
        }
    }

    @Test
    public void withoutExitOnErrorADestinationThatRefusedAStreamWaitsForTheNextOne() throws Exception {
        try (MigrationPair pair = MigrationPair.start(guest())) {
            MigrationPair.Destination destination = pair.destination("defer");
            Path bad = pair.socket("bad.sock");
            destination.qmp().ok("{\"execute\": \"migrate-incoming\", \"arguments\": {\"uri\": \"unix:" + bad + "\", \"exit-on-error\": false}}");
            sendGarbage(bad);

            assertEquals("failed", destination.qmp().awaitMigration(60, "failed"));
            String info = destination.qmp().queryMigrate();
            assertTrue(info, info.contains("\"error-desc\": \"not an osgemu migration stream: it begins with 0x6e6f7420"));
            assertEquals("inmigrate", destination.qmp().runState());

            String good = "unix:" + pair.socket("good.sock");
            destination.qmp().ok("{\"execute\": \"migrate-incoming\", \"arguments\": {\"uri\": \"" + good + "\"}}");
            migrate(pair, good);
            assertEquals("completed", pair.sourceQmp.awaitMigration(180, "completed", "failed"));
            LiveMigrationIT.goesOn(pair, destination);
        }
    }

    private static void migrate(MigrationPair pair, String uri) throws IOException {
        pair.sourceQmp.ok("{\"execute\": \"migrate\", \"arguments\": {\"uri\": \"" + uri + "\"}}");
    }

    /** The source is running, its guest goes on, and everything it printed checks out. */
    private static void sourceRunsOn(MigrationPair pair) throws Exception {
        assertEquals("running", pair.sourceQmp.runState());
        pair.guest.awaitProgressBeyond(pair.source, pair.guest.progress(pair.source) + 1, 60);
        pair.guest.check("", pair.source);
    }

    /** The destination exits with status 1 and says why on stderr, naming where ({@code where}, if given). */
    private static void destinationRefuses(MigrationPair.Destination destination, String why, String... where) throws Exception {
        assertEquals("exit status; stderr:\n" + destination.vm().stderr(), 1, destination.vm().awaitExit(60));
        String stderr = destination.vm().stderr();
        assertTrue(stderr, stderr.contains("load of migration failed: " + why));
        for (String w : where) {
            assertTrue(stderr, stderr.contains(w));
        }
    }

    private static void awaitForwarded(MigrationLink link, long bytes) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (link.forwarded() < bytes) {
            assertTrue("only " + link.forwarded() + " bytes went through", System.nanoTime() < deadline);
            Thread.sleep(20);
        }
    }

    /** A "source" that sends text instead of a stream. */
    private static void sendGarbage(Path socket) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!Files.exists(socket)) {
            assertTrue("the destination does not listen on " + socket, System.nanoTime() < deadline);
            Thread.sleep(20);
        }
        try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            channel.connect(UnixDomainSocketAddress.of(socket));
            channel.write(ByteBuffer.wrap("not a migration stream\n".getBytes(StandardCharsets.UTF_8)));
        }
    }
}
