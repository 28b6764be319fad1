package org.osgemu.qmp.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * A QMP client for tests: sends raw bytes, reads the server's CR LF-terminated lines on a
 * thread of its own, and hands back each message as a Jackson tree (with the raw line).
 */
public final class QmpClient implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonNode CLOSED = JSON.createObjectNode().put("closed", true);

    private final SocketChannel channel;
    private final BlockingQueue<JsonNode> messages = new LinkedBlockingQueue<>();
    private final List<String> rawLines = new ArrayList<>();
    private final Thread reader;

    private QmpClient(SocketChannel channel) {
        this.channel = channel;
        this.reader = Thread.ofVirtual().start(this::readLoop);
    }

    public static QmpClient connect(Path socket) throws IOException {
        SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX);
        channel.connect(UnixDomainSocketAddress.of(socket));
        return new QmpClient(channel);
    }

    /** Connects, reads the greeting and negotiates. */
    public static QmpClient negotiated(Path socket) throws Exception {
        QmpClient client = connect(socket);
        client.next(); // greeting
        JsonNode answer = client.execute("{\"execute\": \"qmp_capabilities\"}");
        if (!answer.has("return")) {
            throw new IllegalStateException("negotiation failed: " + answer);
        }
        return client;
    }

    private void readLoop() {
        try (InputStream in = new java.io.BufferedInputStream(Channels.newInputStream(channel))) {
            ByteArrayOutputStream line = new ByteArrayOutputStream();
            int b;
            while ((b = in.read()) >= 0) {
                line.write(b);
                if (b == '\n') {
                    String text = line.toString(StandardCharsets.UTF_8);
                    line.reset();
                    synchronized (rawLines) {
                        rawLines.add(text);
                    }
                    messages.add(JSON.readTree(text));
                }
            }
        } catch (IOException e) {
            // closed
        }
        messages.add(CLOSED);
    }

    public void send(String text) throws IOException {
        send(text.getBytes(StandardCharsets.UTF_8));
    }

    public void send(byte[] bytes) throws IOException {
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        while (buffer.hasRemaining()) {
            channel.write(buffer);
        }
    }

    /** Sends a request and returns the next message that is not an event. */
    public JsonNode execute(String request) throws Exception {
        send(request);
        return nextResponse();
    }

    /** The next message that is not an event (events read meanwhile are dropped). */
    public JsonNode nextResponse() throws Exception {
        while (true) {
            JsonNode message = next();
            if (!message.has("event")) {
                return message;
            }
        }
    }

    /** The next event named {@code name} (other messages read meanwhile are dropped). */
    public JsonNode nextEvent(String name) throws Exception {
        while (true) {
            JsonNode message = next();
            if (message.has("closed")) {
                throw new IllegalStateException("connection closed while waiting for event " + name);
            }
            if (name.equals(message.path("event").asText())) {
                return message;
            }
        }
    }

    /** The next message, waiting up to 10 s. */
    public JsonNode next() throws Exception {
        return next(Duration.ofSeconds(10));
    }

    public JsonNode next(Duration timeout) throws Exception {
        JsonNode message = messages.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
        if (message == null) {
            throw new IllegalStateException("no message within " + timeout);
        }
        return message;
    }

    /** The next message if one arrives within {@code timeout}, else null. */
    public JsonNode poll(Duration timeout) throws InterruptedException {
        return messages.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Whether the server has closed the connection (waits up to {@code timeout}). */
    public boolean awaitClosed(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            JsonNode message = messages.poll(50, TimeUnit.MILLISECONDS);
            if (message != null && message.has("closed")) {
                return true;
            }
        }
        return false;
    }

    public List<String> rawLines() {
        synchronized (rawLines) {
            return List.copyOf(rawLines);
        }
    }

    @Override
    public void close() throws IOException {
        channel.close();
        try {
            reader.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
