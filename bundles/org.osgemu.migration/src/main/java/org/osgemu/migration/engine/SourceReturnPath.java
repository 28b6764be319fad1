package org.osgemu.migration.engine;

import java.io.IOException;
import java.io.InputStream;
import java.lang.System.Logger.Level;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

import org.osgemu.api.migration.MigrationException;
import org.osgemu.migration.stream.ReturnPath;

/**
 * The source's end of the return path: a thread of its own reads the destination's messages and
 * tells the migration thread ({@code wake}) when one matters. SWITCHOVER_ACK lets the switchover
 * happen; PONG answers the PING sent after setup; SHUT ends the return path and says whether the
 * destination loaded the stream. With postcopy allowed ({@link #allowPostcopy()}), page requests
 * (REQ_PAGES_ID names the block, REQ_PAGES means the block of the previous request) are queued for
 * the migration thread, which serves them before anything else; RECV_BITMAP and RESUME_ACK answer
 * a resumed connection. The return path ending without SHUT, a malformed message or a postcopy
 * message while postcopy is not allowed is a failure the migration thread picks up.
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
    private volatile boolean postcopy;
    private volatile boolean resumeAcked;
    private String lastRequestedBlock;
    private final Queue<ReturnPath.PageRequest> requests = new ConcurrentLinkedQueue<>();
    private final Map<String, List<ReturnPath.ReceivedBitmap>> bitmaps = new ConcurrentHashMap<>();
    private final AtomicLong requestCount;

    SourceReturnPath(InputStream in, Runnable wake, String machine) {
        this(in, wake, machine, new AtomicLong());
    }

    /** @param requestCount counts the page requests received (query-migrate's postcopy-requests) */
    SourceReturnPath(InputStream in, Runnable wake, String machine, AtomicLong requestCount) {
        this.requestCount = requestCount;
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

    /** From now on page requests and the recovery messages are expected (postcopy-ram is on). */
    void allowPostcopy() {
        postcopy = true;
    }

    /** The oldest page request not served yet, with its block resolved, or null. */
    ReturnPath.PageRequest nextRequest() {
        return requests.poll();
    }

    /** Whether a page request waits to be served. */
    boolean hasRequest() {
        return !requests.isEmpty();
    }

    /** Whether RESUME_ACK arrived (every RECV_BITMAP came before it). */
    boolean resumeAcked() {
        return resumeAcked;
    }

    /** The RECV_BITMAP parts received for {@code block}. */
    List<ReturnPath.ReceivedBitmap> bitmaps(String block) {
        return bitmaps.getOrDefault(block, List.of());
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
                        if (!postcopy) {
                            fail("return path: the destination sent " + message.type() + ", a postcopy message, but postcopy is not running");
                            return;
                        }
                        postcopyMessage(message);
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

    private void postcopyMessage(ReturnPath.Message message) throws MigrationException {
        switch (message.type()) {
            case REQ_PAGES, REQ_PAGES_ID -> {
                ReturnPath.PageRequest r = ReturnPath.PageRequest.of(message);
                if (r.block() != null) {
                    lastRequestedBlock = r.block();
                } else if (lastRequestedBlock == null) {
                    throw new MigrationException("return path: REQ_PAGES before any REQ_PAGES_ID named a RAM block");
                }
                requestCount.incrementAndGet();
                requests.add(new ReturnPath.PageRequest(lastRequestedBlock, r.offset(), r.length()));
            }
            case RECV_BITMAP -> {
                ReturnPath.ReceivedBitmap part = ReturnPath.ReceivedBitmap.of(message);
                bitmaps.computeIfAbsent(part.block(), b -> new CopyOnWriteArrayList<>()).add(part);
            }
            case RESUME_ACK -> {
                if (message.u32() != ReturnPath.RESUME_ACK_VALUE) {
                    throw new MigrationException("return path: RESUME_ACK with value " + message.u32() + ", expected "
                            + ReturnPath.RESUME_ACK_VALUE);
                }
                resumeAcked = true;
            }
            default -> throw new IllegalStateException(message.type() + " is not a postcopy message");
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
