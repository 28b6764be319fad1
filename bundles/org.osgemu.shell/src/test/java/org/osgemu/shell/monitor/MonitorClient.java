package org.osgemu.shell.monitor;

import java.io.IOException;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;

/** A test client: sends lines, reads until an expected ending or the end of the stream. */
final class MonitorClient implements AutoCloseable {

    private final SocketChannel channel;
    private final StringBuilder received = new StringBuilder();

    MonitorClient(SocketAddress address) throws IOException {
        channel = SocketChannel.open(address);
    }

    void send(String line) throws IOException {
        channel.write(ByteBuffer.wrap((line + "\n").getBytes(StandardCharsets.UTF_8)));
    }

    /** Everything received up to and including {@code ending}; fails if the stream ends first. */
    String readUntil(String ending) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(4096);
        while (received.indexOf(ending) < 0) {
            buffer.clear();
            if (channel.read(buffer) < 0) {
                throw new IOException("stream ended before '" + ending + "'; got: " + received);
            }
            received.append(new String(buffer.array(), 0, buffer.position(), StandardCharsets.UTF_8));
        }
        int end = received.indexOf(ending) + ending.length();
        String text = received.substring(0, end);
        received.delete(0, end);
        return text;
    }

    /** Whether the server closed the stream (reads until then). */
    boolean readsEndOfStream() throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(4096);
        while (true) {
            buffer.clear();
            if (channel.read(buffer) < 0) {
                return true;
            }
        }
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
