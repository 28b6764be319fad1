package org.osgemu.migration.engine;

import java.io.IOException;
import java.io.InputStream;
import java.lang.System.Logger.Level;

import org.osgemu.api.migration.MigrationException;
import org.osgemu.migration.stream.ReturnPath;

/**
 * The source's end of the return path: a thread of its own reads the destination's messages and
 * tells the migration thread ({@code wake}) when one matters. SWITCHOVER_ACK lets the switchover
 * happen; PONG answers the PING sent after setup; SHUT ends the return path and says whether the
 * destination loaded the stream. The return path ending without SHUT, a malformed message or a
 * postcopy message while postcopy does not run is a failure the migration thread picks up.
 */
final class SourceReturnPath implements Runnable {

    private static final System.Logger LOG = System.getLogger(SourceReturnPath.class.getName());

    private final ReturnPath.Reader reader;
    private final Runnable wake;
    private final String machine;
    private final Thread thread;
    private volatile boolean acked;
    private volatile int pong = -1;
    private volatile Boolean shutWithError;
    private volatile String failure;
    private volatile boolean stopping;

    SourceReturnPath(InputStream in, Runnable wake, String machine) {
        this.reader = new ReturnPath.Reader(in);
        this.wake = wake;
        this.machine = machine;
        this.thread = Thread.ofVirtual().name("migration-return-path-" + machine).unstarted(this);
    }

    void start() {
        thread.start();
    }

    /** Whether the destination sent SWITCHOVER_ACK. */
    boolean acked() {
        return acked;
    }

    /** The number of the last PONG, -1 before any. */
    int lastPong() {
        return pong;
    }

    /** Null until SHUT arrived; then whether it carried the error flag. */
    Boolean shutWithError() {
        return shutWithError;
    }

    /** Why the return path failed, or null. */
    String failure() {
        return failure;
    }

    /** The connection is about to be closed on purpose: what the reader sees next is no failure. */
    void stopping() {
        stopping = true;
    }

    /** Waits for the reading thread to end (after the connection was closed). */
    void join() {
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void run() {
        try {
            ReturnPath.Message message;
            while ((message = reader.next()) != null) {
                switch (message.type()) {
                    case SWITCHOVER_ACK -> acked = true;
                    case PONG -> pong = message.u32();
                    case SHUT -> {
                        shutWithError = message.u32() != 0;
                        return;
                    }
                    case REQ_PAGES, REQ_PAGES_ID, RECV_BITMAP, RESUME_ACK -> {
                        fail("return path: the destination sent " + message.type() + ", a postcopy message, but postcopy is not running");
                        return;
                    }
                }
                wake.run();
            }
            fail("the destination closed the connection (return path) before it finished loading");
        } catch (IOException e) {
            fail("return path: " + (e.getMessage() == null ? e.toString() : e.getMessage()));
        } catch (MigrationException e) {
            fail(e.getMessage());
        } finally {
            wake.run();
        }
    }

    private void fail(String message) {
        if (stopping) {
            return;
        }
        failure = message;
        LOG.log(Level.DEBUG, () -> "machine " + machine + ": " + message);
    }
}
