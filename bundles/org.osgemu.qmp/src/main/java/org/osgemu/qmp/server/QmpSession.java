package org.osgemu.qmp.server;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

import org.osgemu.api.command.ErrorClass;

/**
 * One QMP client from greeting to disconnect. The reading thread frames and handles requests
 * one after the other (a slow command delays only this client); responses and events leave
 * through the client's {@link Outbox}. When the client closes its side, what is queued is
 * still written (so {@code socat} scripts see every answer) before the connection closes.
 */
final class QmpSession {

    private static final System.Logger LOG = System.getLogger(QmpSession.class.getName());
    /** How long the end of input waits for queued output to reach the client. */
    private static final long DRAIN_MILLIS = 5000;

    private final String name;
    private final QmpProtocol protocol;
    private final InputStream in;
    private final AutoCloseable connection;
    private final Outbox outbox;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final Runnable onClosed;
    private volatile boolean receivesEvents;

    /**
     * @param connection closing it ends both directions (and wakes a blocked read)
     * @param onClosed told once when the session has ended
     */
    QmpSession(String name, QmpProtocol protocol, InputStream in, OutputStream out, AutoCloseable connection,
               int outboxCapacity, Runnable onClosed) {
        this.name = name;
        this.protocol = protocol;
        this.in = in;
        this.connection = connection;
        this.onClosed = onClosed;
        this.outbox = new Outbox(name, out, outboxCapacity, this::overflowed, this::close);
    }

    String name() {
        return name;
    }

    /** Serves the client until its input ends or the session is closed; runs on the session's reading thread. */
    void run(int maxMessageBytes) {
        outbox.start();
        JsonFramer framer = new JsonFramer(maxMessageBytes, new JsonFramer.Sink() {
            @Override
            public void message(byte[] json) {
                handle(json);
            }

            @Override
            public void fault(String desc) {
                send(QmpProtocol.errorResponse(ErrorClass.GENERIC_ERROR, desc, null, false));
            }
        });
        send(protocol.greeting());
        byte[] buffer = new byte[8192];
        try {
            int n;
            while (!closed.get() && (n = in.read(buffer)) >= 0) {
                framer.feed(buffer, 0, n);
            }
            if (framer.isInsideMessage() && !closed.get()) {
                LOG.log(Level.DEBUG, "qmp {0}: client left in the middle of a message", name);
            }
            outbox.drain(DRAIN_MILLIS);
        } catch (IOException e) {
            // the client went away, or close() closed the connection under the read
        } finally {
            close();
        }
    }

    private void handle(byte[] json) {
        Object request;
        try {
            request = Json.parse(json);
        } catch (Json.ParseException e) {
            send(QmpProtocol.errorResponse(ErrorClass.GENERIC_ERROR, e.getMessage(), null, false));
            return;
        }
        List<Runnable> afterResponse = new ArrayList<>();
        Map<String, Object> response = protocol.handle(request, afterResponse);
        send(response);
        receivesEvents = protocol.isNegotiated();
        for (Runnable action : afterResponse) {
            try {
                action.run();
            } catch (RuntimeException e) {
                LOG.log(Level.ERROR, "qmp " + name + ": a command's follow-up action failed", e);
            }
        }
    }

    private void send(Map<String, Object> message) {
        outbox.offer(Json.message(message));
    }

    /** Queues an event for the client if it has finished negotiating (QEMU sends none before). */
    void deliverEvent(byte[] event) {
        if (receivesEvents) {
            outbox.offer(event);
        }
    }

    /** Waits up to {@code millis} for queued output to be written (before the server shuts down). */
    void drain(long millis) {
        outbox.drain(millis);
    }

    /** Runs on the producer's thread (possibly an event source holding a machine lock): hands the closing off. */
    private void overflowed() {
        if (!closed.get()) {
            LOG.log(Level.WARNING, "qmp {0}: the client does not read what it is sent; disconnecting it", name);
            Thread.ofVirtual().name(name + "-disconnect").start(this::close);
        }
    }

    /** Ends the session now: what is queued is dropped, the connection closed. Never waits. */
    void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        outbox.close();
        try {
            connection.close();
        } catch (Exception e) {
            // closing is best effort; the connection is unusable either way
        }
        onClosed.run();
    }

    /** Waits up to {@code millis} for the session's writing thread to end (after {@link #close()}). */
    void awaitWriter(long millis) {
        outbox.join(millis);
    }
}
