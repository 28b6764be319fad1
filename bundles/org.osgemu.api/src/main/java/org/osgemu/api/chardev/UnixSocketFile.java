package org.osgemu.api.chardev;

import java.io.IOException;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * The socket file of a listening unix-domain server (monitor, QMP, chardev sockets), as QEMU's
 * {@code server=on} treats it: a socket file that nobody answers on is a leftover of a crashed
 * process and is replaced; a live one or a file that is not a socket is refused. A client that
 * waits for the path to appear can connect at once: the socket is bound and listening under a
 * temporary name beside it and then renamed into place.
 */
public final class UnixSocketFile {

    private static final int FILE_TYPE_MASK = 0170000;
    private static final int SOCKET_FILE_TYPE = 0140000;
    /** sun_path holds 108 bytes with the terminating NUL. */
    private static final int MAX_PATH_BYTES = 107;

    private UnixSocketFile() {
    }

    /**
     * Removes a leftover socket file at {@code path}.
     *
     * @param owner names the server in messages, e.g. {@code "qmp qmp0"}
     * @throws IllegalArgumentException when the path is not a socket or a process listens on it
     */
    public static void removeStale(Path path, String owner) throws IOException {
        if (!Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        if (!isSocket(path)) {
            throw new IllegalArgumentException(owner + ": path " + path
                    + " exists and is not a socket; remove it or choose another path");
        }
        try (SocketChannel probe = SocketChannel.open(UnixDomainSocketAddress.of(path))) {
            throw new IllegalArgumentException(owner + ": socket " + path + " is in use by another process");
        } catch (IOException nobodyListens) {
            Files.deleteIfExists(path);
        }
    }

    /**
     * Binds {@code server} (a unix-domain channel) so that it listens before {@code path} exists.
     * When the temporary name would not fit in a socket address, binds {@code path} directly.
     */
    public static void bindListening(ServerSocketChannel server, Path path) throws IOException {
        Path temporary = path.resolveSibling("." + path.getFileName() + "." + ProcessHandle.current().pid());
        if (temporary.toString().getBytes(StandardCharsets.UTF_8).length > MAX_PATH_BYTES) {
            server.bind(UnixDomainSocketAddress.of(path));
            return;
        }
        Files.deleteIfExists(temporary);
        server.bind(UnixDomainSocketAddress.of(temporary));
        try {
            Files.move(temporary, path, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            Files.deleteIfExists(temporary);
            throw e;
        }
    }

    /** Whether {@code path} is a socket file (not following links). */
    public static boolean isSocket(Path path) {
        try {
            int mode = (Integer) Files.getAttribute(path, "unix:mode", LinkOption.NOFOLLOW_LINKS);
            return (mode & FILE_TYPE_MASK) == SOCKET_FILE_TYPE;
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            return false;
        }
    }
}
