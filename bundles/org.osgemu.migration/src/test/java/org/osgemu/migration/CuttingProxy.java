package org.osgemu.migration;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A TCP relay between a migration's source and its destination, for tests that break the link:
 * it can cut both directions at once (as a dead peer or a broken network would), cut after a given
 * number of stream bytes, or flip one byte of the stream at a given offset.
 */
final class CuttingProxy implements AutoCloseable {

    private final ServerSocket server;
    private final int target;
    private final AtomicLong forwarded = new AtomicLong();
    private volatile long cutAfter = Long.MAX_VALUE;
    private volatile long corruptAt = -1;
    private volatile Socket fromSource;
    private volatile Socket toDestination;
    private final Thread acceptor;

    /** Relays connections to {@code targetPort} on the loopback interface. */
    CuttingProxy(int targetPort) throws IOException {
        this.server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        this.target = targetPort;
        this.acceptor = Thread.ofVirtual().start(this::accept);
    }

    int port() {
        return server.getLocalPort();
    }

    /** Stream bytes relayed from source to destination so far. */
    long forwarded() {
        return forwarded.get();
    }

    /** Cuts the link once this many stream bytes went through. */
    CuttingProxy cutAfter(long bytes) {
        cutAfter = bytes;
        return this;
    }

    /** Inverts the stream byte at {@code offset} on its way. */
    CuttingProxy corruptAt(long offset) {
        corruptAt = offset;
        return this;
    }

    private void accept() {
        try {
            Socket source = server.accept();
            Socket destination = new Socket(InetAddress.getLoopbackAddress(), target);
            fromSource = source;
            toDestination = destination;
            Thread.ofVirtual().start(() -> pump(source, destination, true));
            Thread.ofVirtual().start(() -> pump(destination, source, false));
        } catch (IOException e) {
            // closed before a source came
        }
    }

    private void pump(Socket from, Socket to, boolean stream) {
        byte[] buffer = new byte[16 * 1024];
        try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
            int n;
            while ((n = in.read(buffer)) > 0) {
                if (stream) {
                    long start = forwarded.get();
                    if (corruptAt >= start && corruptAt < start + n) {
                        buffer[(int) (corruptAt - start)] ^= (byte) 0xFF;
                    }
                    if (start + n >= cutAfter) {
                        out.write(buffer, 0, (int) Math.max(0, cutAfter - start));
                        out.flush();
                        forwarded.addAndGet(Math.max(0, cutAfter - start));
                        cut();
                        return;
                    }
                    forwarded.addAndGet(n);
                }
                out.write(buffer, 0, n);
                out.flush();
            }
        } catch (IOException e) {
            // one side went away: the other follows
        }
        cut();
    }

    /** Ends both connections at once; the proxy takes no new source. */
    void cut() {
        for (Socket s : new Socket[] {fromSource, toDestination}) {
            if (s != null) {
                try {
                    s.setSoLinger(true, 0); // a reset, as from a dead peer
                    s.close();
                } catch (IOException ignored) {
                    // already closed
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
    public void close() throws InterruptedException {
        cut();
        acceptor.join(1_000);
    }

    /** Where the source connects. */
    String uri() {
        return "tcp:127.0.0.1:" + port();
    }
}
