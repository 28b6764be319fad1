package org.osgemu.itests;

import static org.junit.Assert.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** Test helper: a client of osgemu's human monitor on a unix socket; one command, the text before the next prompt. */
final class Monitor implements AutoCloseable {
    private static final String PROMPT = "(osgemu) ";
    private final SocketChannel channel;
    private final BufferedReader in;
    private final OutputStream out;

    private Monitor(SocketChannel channel) {
        this.channel = channel;
        this.in = new BufferedReader(new InputStreamReader(Channels.newInputStream(channel), StandardCharsets.UTF_8));
        this.out = Channels.newOutputStream(channel);
    }

    static Monitor connect(Path socket) throws Exception {
        return connect(socket, 60);
    }

    /** Connects once the socket exists (waiting up to {@code seconds}) and reads the greeting. */
    static Monitor connect(Path socket, long seconds) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (!Files.exists(socket) && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX);
        channel.connect(UnixDomainSocketAddress.of(socket));
        Monitor monitor = new Monitor(channel);
        assertTrue(monitor.untilPrompt().contains("osgemu monitor"));
        return monitor;
    }

    String command(String command) throws Exception {
        out.write((command + "\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
        return untilPrompt();
    }

    private String untilPrompt() throws Exception {
        StringBuilder sb = new StringBuilder();
        int c;
        while ((c = in.read()) >= 0) {
            sb.append((char) c);
            if (sb.toString().endsWith(PROMPT)) {
                return sb.substring(0, sb.length() - PROMPT.length());
            }
        }
        return sb.toString();
    }

    @Override
    public void close() throws Exception {
        channel.close();
    }
}
