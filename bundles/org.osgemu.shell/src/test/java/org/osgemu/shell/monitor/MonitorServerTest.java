package org.osgemu.shell.monitor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MonitorServerTest {

    private static final Duration LIMIT = Duration.ofSeconds(20);
    private static final String GREETING = "osgemu monitor - type 'help' for more information\r\n(osgemu) ";

    @TempDir
    Path dir;

    private final FakeCommandProcessor processor = new FakeCommandProcessor();

    @Test
    void twoClientsAreServedAtOnceAndAnswersComeBackWithThePrompt() {
        Path socket = dir.resolve("monitor.sock");
        assertTimeoutPreemptively(LIMIT, () -> {
            MonitorServer server = new MonitorServer(MonitorSettings.unix("mon0", socket), processor);
            try (MonitorClient first = new MonitorClient(UnixDomainSocketAddress.of(socket));
                 MonitorClient second = new MonitorClient(UnixDomainSocketAddress.of(socket))) {
                assertEquals(GREETING, first.readUntil("(osgemu) "));
                assertEquals(GREETING, second.readUntil("(osgemu) "));

                second.send("echo from second");
                assertEquals("[from second]\r\n(osgemu) ", second.readUntil("(osgemu) "));
                first.send("echo from first");
                assertEquals("[from first]\r\n(osgemu) ", first.readUntil("(osgemu) "));
            } finally {
                server.close();
            }
        });
        assertEquals(2, processor.sessions.size());
        processor.sessions.forEach(session -> assertEquals("osgemu:*", session.variables.get("SCOPE")));
    }

    @Test
    void failingCommandGivesOneErrorLineAndNullGivesNothing() {
        Path socket = dir.resolve("monitor.sock");
        assertTimeoutPreemptively(LIMIT, () -> {
            MonitorServer server = new MonitorServer(MonitorSettings.unix("mon0", socket), processor);
            try (MonitorClient client = new MonitorClient(UnixDomainSocketAddress.of(socket))) {
                client.readUntil("(osgemu) ");
                client.send("fail");
                assertEquals("error: boom second line\r\n(osgemu) ", client.readUntil("(osgemu) "));
                client.send("quiet");
                assertEquals("(osgemu) ", client.readUntil("(osgemu) "));
                client.send("   ");
                client.send("echo x");
                assertEquals("(osgemu) [x]\r\n(osgemu) ", client.readUntil("[x]\r\n(osgemu) "));
            } finally {
                server.close();
            }
        });
    }

    @Test
    void deactivationClosesClientsAndRemovesTheSocketFile() {
        Path socket = dir.resolve("monitor.sock");
        assertTimeoutPreemptively(LIMIT, () -> {
            MonitorServer server = new MonitorServer(MonitorSettings.unix("mon0", socket), processor);
            assertTrue(Files.exists(socket));
            try (MonitorClient client = new MonitorClient(UnixDomainSocketAddress.of(socket))) {
                client.readUntil("(osgemu) ");

                server.close();

                assertTrue(client.readsEndOfStream());
            }
            assertFalse(Files.exists(socket));
            assertTrue(processor.sessions.getFirst().closed);
        });
    }

    @Test
    void staleSocketFileIsReplacedButALiveOneOrAPlainFileIsRefused() throws IOException {
        Path stale = dir.resolve("stale.sock");
        try (ServerSocketChannel crashed = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            crashed.bind(UnixDomainSocketAddress.of(stale)); // closing leaves the file, as a crash would
        }
        new MonitorServer(MonitorSettings.unix("mon0", stale), processor).close();
        assertFalse(Files.exists(stale));

        Path live = dir.resolve("live.sock");
        try (ServerSocketChannel other = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            other.bind(UnixDomainSocketAddress.of(live));
            MonitorConfigException e = assertThrows(MonitorConfigException.class,
                    () -> new MonitorServer(MonitorSettings.unix("mon1", live), processor));
            assertEquals("monitor mon1: socket " + live + " is in use by another process", e.getMessage());
            assertTrue(Files.exists(live));
        }

        Path file = Files.writeString(dir.resolve("notes.txt"), "keep me");
        MonitorConfigException e = assertThrows(MonitorConfigException.class,
                () -> new MonitorServer(MonitorSettings.unix("mon2", file), processor));
        assertEquals("monitor mon2: path " + file + " exists and is not a socket; remove it or choose another path",
                e.getMessage());
        assertEquals("keep me", Files.readString(file));
    }

    @Test
    void tcpMonitorListensOnTheGivenAddress() {
        assertTimeoutPreemptively(LIMIT, () -> {
            MonitorServer server = new MonitorServer(MonitorSettings.tcp("mon0", "127.0.0.1", 0), processor);
            try (MonitorClient client = new MonitorClient(((SocketListener) server.endpoint()).localAddress())) {
                assertEquals(GREETING, client.readUntil("(osgemu) "));
                client.send("echo tcp");
                assertEquals("[tcp]\r\n(osgemu) ", client.readUntil("(osgemu) "));
            } finally {
                server.close();
            }
        });
    }
}
