package org.osgemu.chardev;

import java.util.Objects;

import org.osgemu.api.chardev.ChardevReceiver;

/**
 * Input a backend has read but its front end has not taken yet, handed over only as fast as the
 * front end's {@link ChardevReceiver#canReceive()} allows. Bounded: a backend stops reading its
 * source while the queue is full, so back-pressure reaches the source (a pipe, a terminal).
 *
 * <p>Delivery runs under this queue's lock, so chunks reach the front end in order even when
 * several threads drain at once. Front ends must therefore not hold a lock of their own when they
 * call {@code setReceiver} or {@code acceptInput} (lock order: queue, then front end).
 */
final class InputQueue {

    private final byte[] ring;
    private int head;
    private int count;
    private ChardevReceiver receiver;

    InputQueue(int capacity) {
        ring = new byte[capacity];
    }

    /** Free room, for a backend deciding how much to read from its source. */
    synchronized int room() {
        return ring.length - count;
    }

    synchronized int size() {
        return count;
    }

    /** Connects (or with null, disconnects) the front end and hands it what is waiting. */
    synchronized void setReceiver(ChardevReceiver receiver) {
        this.receiver = receiver;
        drain();
    }

    /**
     * Queues {@code length} bytes and delivers what the front end takes now; returns how many
     * were queued (less than {@code length} when the queue is full: the rest is the caller's).
     */
    synchronized int offer(byte[] data, int offset, int length) {
        Objects.checkFromIndexSize(offset, length, data.length);
        int accepted = Math.min(length, ring.length - count);
        for (int i = 0; i < accepted; i++) {
            ring[(head + count) % ring.length] = data[offset + i];
            count++;
        }
        drain();
        return accepted;
    }

    /** Hands the front end as much as it can take now. */
    synchronized void drain() {
        while (receiver != null && count > 0) {
            int n = Math.min(receiver.canReceive(), count);
            if (n <= 0) {
                return;
            }
            byte[] chunk = new byte[n];
            for (int i = 0; i < n; i++) {
                chunk[i] = ring[(head + i) % ring.length];
            }
            head = (head + n) % ring.length;
            count -= n;
            receiver.receive(chunk, 0, n);
        }
    }
}
