package org.osgemu.qmp.server;

import java.io.IOException;
import java.io.OutputStream;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * What one client is yet to receive, written by a thread of its own so that no producer ever
 * waits for the client: {@link #offer} never blocks. A client that stops reading lets the
 * queue fill; the offer that finds it full calls {@code onOverflow}, which disconnects the
 * client, and the event source carries on.
 */
final class Outbox {

    private final BlockingQueue<byte[]> queue;
    private final OutputStream out;
    private final Runnable onOverflow;
    private final Runnable onWriteFailure;
    private final Thread writer;
    private volatile boolean closed;
    private volatile boolean writing;

    /**
     * @param capacity messages that may wait
     * @param onOverflow called (once per failed offer) when the queue is full
     * @param onWriteFailure called when writing fails (the client went away)
     */
    Outbox(String name, OutputStream out, int capacity, Runnable onOverflow, Runnable onWriteFailure) {
        this.queue = new ArrayBlockingQueue<>(capacity);
        this.out = out;
        this.onOverflow = onOverflow;
        this.onWriteFailure = onWriteFailure;
        this.writer = Thread.ofVirtual().name(name + "-writer").unstarted(this::writeLoop);
    }

    void start() {
        writer.start();
    }

    /** Queues {@code message}; false (and {@code onOverflow} called) when the queue is full or closed. */
    boolean offer(byte[] message) {
        if (closed) {
            return false;
        }
        if (!queue.offer(message)) {
            onOverflow.run();
            return false;
        }
        return true;
    }

    /** Waits up to {@code millis} until everything queued has been written. */
    void drain(long millis) {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        while ((!queue.isEmpty() || writing) && !closed && writer.isAlive() && System.nanoTime() < deadline) {
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** Stops writing; what is still queued is dropped. */
    void close() {
        closed = true;
        queue.clear();
        writer.interrupt();
    }

    /** Waits for the writer thread to end (after {@link #close()} and the connection's closing). */
    void join(long millis) {
        try {
            writer.join(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void writeLoop() {
        try {
            while (!closed) {
                byte[] message = queue.poll(100, TimeUnit.MILLISECONDS);
                if (message == null) {
                    continue;
                }
                writing = true;
                try {
                    out.write(message);
                    out.flush();
                } finally {
                    writing = false;
                }
            }
        } catch (InterruptedException e) {
            // closed
        } catch (IOException e) {
            if (!closed) {
                onWriteFailure.run();
            }
        }
    }
}
