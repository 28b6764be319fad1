package org.osgemu.chardev;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

import org.osgemu.api.chardev.Chardev;
import org.osgemu.api.chardev.ChardevReceiver;

/** A backend standing for the terminal: records what is written, and types what a test gives it. */
final class FakeBackend implements Chardev {

    private final ByteArrayOutputStream written = new ByteArrayOutputStream();
    private ChardevReceiver receiver;

    @Override
    public String id() {
        return "fake";
    }

    @Override
    public String backend() {
        return "fake";
    }

    @Override
    public synchronized void write(byte[] data, int offset, int length) {
        written.write(data, offset, length);
    }

    @Override
    public synchronized void setReceiver(ChardevReceiver receiver) {
        this.receiver = receiver;
    }

    synchronized ChardevReceiver receiver() {
        return receiver;
    }

    /** Types {@code text} as one read of the terminal. */
    void type(String text) {
        byte[] bytes = text.getBytes(StandardCharsets.ISO_8859_1);
        receiver().receive(bytes, 0, bytes.length);
    }

    /** What reached the terminal so far, and forgets it. */
    synchronized String takeOutput() {
        String s = written.toString(StandardCharsets.ISO_8859_1);
        written.reset();
        return s;
    }
}
