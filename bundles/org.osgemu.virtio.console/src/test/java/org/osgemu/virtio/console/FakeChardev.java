package org.osgemu.virtio.console;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;

import org.osgemu.api.chardev.Chardev;
import org.osgemu.api.chardev.ChardevReceiver;

/** A backend that records output and feeds typed input only as fast as the front end takes it. */
final class FakeChardev implements Chardev {

    private final ByteArrayOutputStream output = new ByteArrayOutputStream();
    private final ArrayDeque<Byte> input = new ArrayDeque<>();
    ChardevReceiver receiver;

    @Override public String id() { return "con0"; }
    @Override public String backend() { return "fake"; }

    @Override
    public synchronized void write(byte[] data, int offset, int length) {
        output.write(data, offset, length);
    }

    @Override
    public synchronized void setReceiver(ChardevReceiver receiver) {
        this.receiver = receiver;
        deliver();
    }

    @Override
    public synchronized void acceptInput() {
        deliver();
    }

    /** Queues {@code text} as input and delivers what the front end can take now. */
    synchronized void type(String text) {
        for (byte b : text.getBytes(StandardCharsets.ISO_8859_1)) {
            input.add(b);
        }
        deliver();
    }

    synchronized int held() {
        return input.size();
    }

    synchronized String output() {
        return output.toString(StandardCharsets.ISO_8859_1);
    }

    private void deliver() {
        while (receiver != null && !input.isEmpty()) {
            int n = Math.min(receiver.canReceive(), input.size());
            if (n <= 0) {
                return;
            }
            byte[] chunk = new byte[n];
            for (int i = 0; i < n; i++) {
                chunk[i] = input.poll();
            }
            receiver.receive(chunk, 0, n);
        }
    }
}
