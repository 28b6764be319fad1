package org.osgemu.chardev;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

import org.osgemu.api.chardev.ChardevReceiver;

/** A front end with a FIFO of settable room that records what it received. */
final class FakeReceiver implements ChardevReceiver {

    private final ByteArrayOutputStream received = new ByteArrayOutputStream();
    private int room;
    private int overruns;

    FakeReceiver(int room) {
        this.room = room;
    }

    @Override
    public synchronized int canReceive() {
        return room;
    }

    @Override
    public synchronized void receive(byte[] data, int offset, int length) {
        if (length > room) {
            overruns++;
        }
        received.write(data, offset, length);
        room -= Math.min(room, length);
    }

    /** The guest read {@code n} bytes: that much room again. */
    synchronized void free(int n) {
        room += n;
    }

    synchronized String received() {
        return received.toString(StandardCharsets.ISO_8859_1);
    }

    synchronized int overruns() {
        return overruns;
    }
}
