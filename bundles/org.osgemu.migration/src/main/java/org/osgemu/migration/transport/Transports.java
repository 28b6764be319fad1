package org.osgemu.migration.transport;

import java.io.Closeable;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.FileChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;

import org.osgemu.api.migration.MigrationException;

/**
 * Opens migration connections: the source connects (or creates a file), the destination listens
 * for one source (or opens a file). Messages name the URI and say what the system said.
 */
public final class Transports {

    /** How long a source waits for a TCP connection to be accepted. */
    private static final int CONNECT_TIMEOUT_MILLIS = 30_000;

    private Transports() {
    }

    /** The source's side: a socket connected to {@code uri}, or a new file written in place on commit. */
    public static Connection connect(MigrationUri uri) throws MigrationException {
        try {
            return switch (uri.transport()) {
                case TCP -> {
                    SocketChannel channel = SocketChannel.open();
                    try {
                        channel.socket().connect(tcpAddress(uri, false), CONNECT_TIMEOUT_MILLIS);
                    } catch (IOException e) {
                        channel.close();
                        throw e;
                    }
                    yield Connection.socket(channel, uri.text());
                }
                case UNIX -> Connection.socket(SocketChannel.open(UnixDomainSocketAddress.of(uri.path())), uri.text());
                case FILE -> createFile(uri.path(), uri.text());
                case DEFER -> throw new MigrationException("'defer' is only for -incoming and migrate-incoming");
            };
        } catch (IOException e) {
            throw new MigrationException("Failed to connect to '" + uri + "': " + describe(e, uri.path()), e);
        }
    }

    /** The destination's side: a listening socket (bound now) or the file to read. */
    public static Listener listen(MigrationUri uri) throws MigrationException {
        try {
            return switch (uri.transport()) {
                case TCP -> {
                    ServerSocketChannel server = ServerSocketChannel.open();
                    try {
                        server.bind(tcpAddress(uri, true), 1);
                    } catch (IOException e) {
                        server.close();
                        throw e;
                    }
                    yield new Listener(server, uri, null);
                }
                case UNIX -> {
                    // as QEMU does: a leftover socket file of an earlier run is replaced
                    Files.deleteIfExists(uri.path());
                    ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
                    try {
                        server.bind(UnixDomainSocketAddress.of(uri.path()), 1);
                    } catch (IOException e) {
                        server.close();
                        throw e;
                    }
                    yield new Listener(server, uri, uri.path());
                }
                case FILE -> new Listener(null, uri, null);
                case DEFER -> throw new IllegalArgumentException("defer has nothing to listen on");
            };
        } catch (IOException e) {
            throw new MigrationException("Failed to listen on '" + uri + "': " + describe(e, uri.path()), e);
        }
    }

    private static SocketAddress tcpAddress(MigrationUri uri, boolean listening) throws IOException {
        String host = uri.host();
        if (host.isEmpty()) {
            return listening ? new InetSocketAddress(uri.port()) : new InetSocketAddress(InetAddress.getLoopbackAddress(), uri.port());
        }
        return new InetSocketAddress(InetAddress.getByName(host), uri.port());
    }

    /**
     * A file written beside its final name and moved over it on commit, so a failed migration
     * never leaves half a stream where a good one was; readable by its owner only (guest memory).
     */
    private static Connection createFile(Path target, String description) throws IOException {
        Path absolute = target.toAbsolutePath();
        Path temporary = Files.createTempFile(absolute.getParent(), "." + absolute.getFileName() + ".", ".part",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        FileChannel channel = FileChannel.open(temporary, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING);
        boolean[] committed = new boolean[1];
        return Connection.oneWay(channel, description, () -> {
            channel.force(true);
            try {
                Files.move(temporary, absolute, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temporary, absolute, StandardCopyOption.REPLACE_EXISTING);
            }
            committed[0] = true;
        }, () -> {
            if (!committed[0]) {
                try {
                    Files.deleteIfExists(temporary);
                } catch (IOException ignored) {
                    // the name starts with a dot and ends in .part: a recognizable leftover
                }
            }
        });
    }

    /** An I/O failure in words: Java's file exceptions carry only the path as their message. */
    public static String describe(IOException e, Path path) {
        if (e instanceof NoSuchFileException) {
            return "no such file or directory" + (path == null ? "" : " (" + path + ")");
        }
        if (e instanceof AccessDeniedException) {
            return "permission denied" + (path == null ? "" : " (" + path + ")");
        }
        if (e instanceof AsynchronousCloseException) {
            return "the connection was closed";
        }
        if (e instanceof FileSystemException f && f.getReason() != null) {
            return f.getReason() + (path == null ? "" : " (" + path + ")");
        }
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }

    /** A destination waiting for its one source. */
    public static final class Listener implements Closeable {
        private final ServerSocketChannel server;
        private final MigrationUri uri;
        private final Path socketFile;

        Listener(ServerSocketChannel server, MigrationUri uri, Path socketFile) {
            this.server = server;
            this.uri = uri;
            this.socketFile = socketFile;
        }

        /** The URI listened on. */
        public MigrationUri uri() {
            return uri;
        }

        /** The port a tcp listener got (useful with port 0), else -1. */
        public int port() {
            try {
                return server != null && server.getLocalAddress() instanceof InetSocketAddress a ? a.getPort() : -1;
            } catch (IOException e) {
                return -1;
            }
        }

        /** Waits for the source and returns its connection; the listener stops listening (one source only). */
        public Connection accept() throws MigrationException {
            if (server == null) {
                try {
                    FileChannel file = FileChannel.open(uri.path(), StandardOpenOption.READ);
                    return Connection.oneWay(file, uri.text(), () -> { }, () -> { });
                } catch (IOException e) {
                    throw new MigrationException("cannot read " + uri.path() + ": " + describe(e, uri.path()), e);
                }
            }
            try {
                SocketChannel channel = server.accept();
                return Connection.socket(channel, uri.text());
            } catch (IOException e) {
                throw new MigrationException("no source connected to '" + uri + "': " + describe(e, null), e);
            } finally {
                close();
            }
        }

        /** Stops listening (a blocked accept ends) and removes a unix socket's file. */
        @Override
        public void close() {
            try {
                if (server != null) {
                    server.close();
                }
                if (socketFile != null) {
                    Files.deleteIfExists(socketFile);
                }
            } catch (IOException ignored) {
                // the socket file may already be gone
            }
        }
    }
}
