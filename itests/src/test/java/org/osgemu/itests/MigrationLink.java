package org.osgemu.itests;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The network between a migration's source and destination, in the test's hands: the source
 * connects to it over TCP on loopback, it relays to the destination's unix socket, and it can cut
 * the link (both directions, at once), cut it once a number of stream bytes went through, or
 * corrupt one stream byte.
 */
final class MigrationLink implements AutoCloseable {

    private final ServerSocketChannel server;
    private final Path destination;
    private final AtomicLong forwarded = new AtomicLong();
    private volatile long cutAfter = Long.MAX_VALUE;
    private volatile long corruptAt = -1;
    private volatile SocketChannel fromSource;
    private volatile SocketChannel toDestination;

    MigrationLink(Path destination) throws IOException {
        this.destination = destination;
        this.server = ServerSocketChannel.open();
        server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 1);
        Thread.ofVirtual().start(this::accept);
    }

    /** The URI the source migrates to. */
    String uri() throws IOException {
        return "tcp:127.0.0.1:" + ((InetSocketAddress) server.getLocalAddress()).getPort();
    }

    long forwarded() {
        return forwarded.get();
    }

    MigrationLink cutAfter(long bytes) {
        cutAfter = bytes;
        return this;
    }

    MigrationLink corruptAt(long offset) {
        corruptAt = offset;
        return this;
    }

    private void accept() {
        try {
            SocketChannel source = server.accept();
            SocketChannel target = SocketChannel.open(UnixDomainSocketAddress.of(destination));
            fromSource = source;
            toDestination = target;
            Thread.ofVirtual().start(() -> pump(source, target, true));
            Thread.ofVirtual().start(() -> pump(target, source, false));
        } catch (IOException e) {
            // closed before a source came
        }
    }

    private void pump(SocketChannel from, SocketChannel to, boolean stream) {
        ByteBuffer buffer = ByteBuffer.allocate(64 * 1024);
        try {
            while (from.read(buffer) > 0) {
                buffer.flip();
                if (stream) {
                    long start = forwarded.get();
                    int n = buffer.remaining();
                    if (corruptAt >= start && corruptAt < start + n) {
                        int at = (int) (corruptAt - start);
                        buffer.put(at, (byte) ~buffer.get(at));
                    }
                    if (start + n >= cutAfter) {
                        buffer.limit((int) Math.max(0, cutAfter - start));
                        write(to, buffer);
                        forwarded.set(cutAfter);
                        close(false);
                        return;
                    }
                    forwarded.addAndGet(n);
                }
                write(to, buffer);
                buffer.clear();
            }
        } catch (IOException e) {
            // one side went away
        }
        cut();
    }

    private static void write(SocketChannel to, ByteBuffer buffer) throws IOException {
        while (buffer.hasRemaining()) {
            to.write(buffer);
        }
    }

    /** Breaks the link as a dead peer would: both directions reset at once. */
    void cut() {
        close(true);
    }

    private void close(boolean reset) {
        for (SocketChannel c : new SocketChannel[] {fromSource, toDestination}) {
            if (c != null) {
                try {
                    if (reset && c.getRemoteAddress() instanceof InetSocketAddress) {
                        c.setOption(StandardSocketOptions.SO_LINGER, 0);
                    }
                    c.close();
                } catch (IOException ignored) {
                    // already gone
                }
            }
        }
        try {
            server.close();
        } catch (IOException ignored) {
            // already closed
        }
    }

    @Override
    public void close() {
        cut();
    }
}
