package org.osgemu.device.uart16550;

import java.util.Arrays;

/** A bounded first-in first-out queue of bytes; not thread-safe (the UART's lock guards it). */
final class ByteFifo {

    private final byte[] slots;
    private int head;
    private int count;

    ByteFifo(int capacity) {
        slots = new byte[capacity];
    }

    int size() {
        return count;
    }

    boolean isEmpty() {
        return count == 0;
    }

    /** Adds {@code b}; false (and nothing added) when full. */
    boolean push(byte b) {
        if (count == slots.length) {
            return false;
        }
        slots[(head + count) % slots.length] = b;
        count++;
        return true;
    }

    /** Removes and returns the oldest byte; the FIFO must not be empty. */
    byte pop() {
        if (count == 0) {
            throw new IllegalStateException("pop from an empty FIFO");
        }
        byte b = slots[head];
        head = (head + 1) % slots.length;
        count--;
        return b;
    }

    void clear() {
        head = 0;
        count = 0;
    }

    /** The queued bytes, oldest first. */
    byte[] toArray() {
        byte[] out = new byte[count];
        for (int i = 0; i < count; i++) {
            out[i] = slots[(head + i) % slots.length];
        }
        return out;
    }

    /** Replaces the contents with {@code bytes} (at most the capacity). */
    void fill(byte[] bytes) {
        if (bytes.length > slots.length) {
            throw new IllegalArgumentException(bytes.length + " bytes do not fit a FIFO of " + slots.length);
        }
        Arrays.fill(slots, (byte) 0);
        System.arraycopy(bytes, 0, slots, 0, bytes.length);
        head = 0;
        count = bytes.length;
    }
}
