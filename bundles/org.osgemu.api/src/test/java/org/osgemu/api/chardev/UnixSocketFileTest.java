package org.osgemu.api.chardev;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link UnixSocketFile}: the path appears only once the socket listens; leftovers are replaced, live sockets and other files refused. */
class UnixSocketFileTest {

    @TempDir
    Path dir;

    @Test
    void theSocketFileAppearsListeningAndNothingElseIsLeftBeside() throws Exception {
        Path path = dir.resolve("mon.sock");
        try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            UnixSocketFile.bindListening(server, path);
            assertTrue(UnixSocketFile.isSocket(path));
            try (SocketChannel client = SocketChannel.open(UnixDomainSocketAddress.of(path));
                 SocketChannel accepted = server.accept()) {
                assertTrue(client.isConnected());
                assertTrue(accepted.isConnected());
            }
            try (var files = Files.list(dir)) {
                assertEquals(List.of(path), files.toList(), "no temporary name left behind");
            }
        }
    }

    @Test
    void aLeftoverSocketIsRemovedALiveOneAndAPlainFileAreRefused() throws Exception {
        Path leftover = dir.resolve("old.sock");
        ServerSocketChannel crashed = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        crashed.bind(UnixDomainSocketAddress.of(leftover));
        crashed.close(); // the file stays, as after a crash
        assertTrue(Files.exists(leftover));
        UnixSocketFile.removeStale(leftover, "monitor m0");
        assertFalse(Files.exists(leftover));

        Path live = dir.resolve("live.sock");
        try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            server.bind(UnixDomainSocketAddress.of(live));
            var e = assertThrows(IllegalArgumentException.class, () -> UnixSocketFile.removeStale(live, "qmp q0"));
            assertEquals("qmp q0: socket " + live + " is in use by another process", e.getMessage());
        }

        Path plain = Files.writeString(dir.resolve("notes.txt"), "keep me");
        var e = assertThrows(IllegalArgumentException.class, () -> UnixSocketFile.removeStale(plain, "qmp q0"));
        assertTrue(e.getMessage().contains("exists and is not a socket"), e.getMessage());
        assertEquals("keep me", Files.readString(plain));
        UnixSocketFile.removeStale(dir.resolve("absent.sock"), "qmp q0"); // nothing there: nothing to do
    }
}
