package org.osgemu.net.socket;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.annotation.Annotation;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.osgemu.api.net.NetReceiver;

/** The socket backend on loopback: framing both ways, against itself and against a plain TCP peer. */
class SocketNetBackendTest {

    private final List<AutoCloseable> open = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable c : open.reversed()) c.close();
    }

    private <T extends AutoCloseable> T track(T c) {
        open.add(c);
        return c;
    }

    /** A front end that takes frames while {@code accepting}. */
    static final class Recorder implements NetReceiver {
        final BlockingQueue<byte[]> frames = new LinkedBlockingQueue<>();
        volatile boolean accepting = true;

        @Override
        public boolean receive(byte[] frame, int offset, int length) {
            if (!accepting) return false;
            frames.add(java.util.Arrays.copyOfRange(frame, offset, offset + length));
            return true;
        }

        byte[] next() throws InterruptedException {
            byte[] f = frames.poll(5, TimeUnit.SECONDS);
            if (f == null) throw new AssertionError("no frame arrived");
            return f;
        }
    }

    private static void await(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) throw new AssertionError("condition not reached in 5 s");
            Thread.sleep(5);
        }
    }

    private static byte[] frame(int length, int seed) {
        byte[] f = new byte[length];
        for (int i = 0; i < length; i++) f[i] = (byte) (seed + i);
        return f;
    }

    @Test
    void twoBackendsExchangeFramesBothWays() throws Exception {
        SocketNetBackend a = track(new SocketNetBackend("a", "127.0.0.1:0", null));
        SocketNetBackend b = track(new SocketNetBackend("b", null, "127.0.0.1:" + a.localPort()));
        Recorder ra = new Recorder();
        Recorder rb = new Recorder();
        a.setReceiver(ra);
        b.setReceiver(rb);
        await(() -> a.isConnected() && b.isConnected());

        for (int i = 0; i < 20; i++) {
            assertTrue(a.send(frame(60 + i, i), 0, 60 + i));
        }
        for (int i = 0; i < 20; i++) {
            assertArrayEquals(frame(60 + i, i), rb.next(), "frame " + i + " in order");
        }
        byte[] jumbo = frame(9000, 3);
        b.send(jumbo, 0, jumbo.length);
        assertArrayEquals(jumbo, ra.next());
    }

    @Test
    void aFrameFromAPlainTcpPeerInQemuFramingArrives() throws Exception {
        SocketNetBackend backend = track(new SocketNetBackend("n0", "127.0.0.1:0", null));
        Recorder r = new Recorder();
        backend.setReceiver(r);
        try (Socket peer = new Socket(InetAddress.getLoopbackAddress(), backend.localPort())) {
            DataOutputStream out = new DataOutputStream(peer.getOutputStream());
            byte[] f = frame(42, 9);
            out.writeInt(42); // 4-byte big-endian length, then the frame
            out.write(f);
            out.flush();
            assertArrayEquals(f, r.next());

            await(backend::isConnected);
            backend.send(new byte[] {1, 2, 3}, 0, 3);
            DataInputStream in = new DataInputStream(peer.getInputStream());
            assertEquals(3, in.readInt());
            byte[] got = new byte[3];
            in.readFully(got);
            assertArrayEquals(new byte[] {1, 2, 3}, got);
        }
    }

    @Test
    void aMalformedLengthClosesTheConnectionAndTheNextPeerIsAccepted() throws Exception {
        SocketNetBackend backend = track(new SocketNetBackend("n0", "127.0.0.1:0", null));
        Recorder r = new Recorder();
        backend.setReceiver(r);
        try (Socket bad = new Socket(InetAddress.getLoopbackAddress(), backend.localPort())) {
            new DataOutputStream(bad.getOutputStream()).writeInt(SocketNetBackend.MAX_FRAME + 1);
            bad.setSoTimeout(5000);
            assertEquals(-1, bad.getInputStream().read(), "the backend hung up");
        }
        try (Socket zero = new Socket(InetAddress.getLoopbackAddress(), backend.localPort())) {
            new DataOutputStream(zero.getOutputStream()).writeInt(0);
            zero.setSoTimeout(5000);
            assertEquals(-1, zero.getInputStream().read(), "a zero length is refused too");
        }
        try (Socket good = new Socket(InetAddress.getLoopbackAddress(), backend.localPort())) {
            DataOutputStream out = new DataOutputStream(good.getOutputStream());
            out.writeInt(2);
            out.write(new byte[] {7, 8});
            assertArrayEquals(new byte[] {7, 8}, r.next());
        }
        assertTrue(r.frames.isEmpty());
    }

    @Test
    void aFullQueueHoldsThePeerBackAndEveryFrameComesOnceTheFrontEndTakesThemAgain() throws Exception {
        SocketNetBackend backend = track(new SocketNetBackend("n0", "127.0.0.1:0", null));
        Recorder r = new Recorder();
        r.accepting = false; // a stopped machine's NIC takes nothing
        backend.setReceiver(r);
        int total = 8192; // 64 MiB: more than the socket buffers on both sides can hold
        AtomicInteger written = new AtomicInteger();
        try (Socket peer = new Socket(InetAddress.getLoopbackAddress(), backend.localPort())) {
            Thread flood = Thread.ofVirtual().start(() -> {
                try {
                    DataOutputStream out = new DataOutputStream(new BufferedOutputStream(peer.getOutputStream()));
                    for (int i = 0; i < total; i++) {
                        out.writeInt(8192);
                        out.write(frame(8192, i));
                        written.incrementAndGet();
                    }
                    out.flush();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
            int stalledAt = awaitStall(written);
            assertTrue(stalledAt < total, "the peer wrote everything although nothing was taken");
            assertEquals(0, backend.droppedReceived(), "frames were dropped instead of holding the peer back");

            r.accepting = true;
            backend.acceptInput();
            for (int i = 0; i < total; i++) {
                assertArrayEquals(frame(8192, i), r.next(), "frame " + i + " in order");
            }
            flood.join(10_000);
            assertEquals(total, written.get());
            assertEquals(0, backend.droppedReceived());
        }
    }

    /** Waits until {@code counter} stopped moving for 300 ms; returns where it stopped. */
    private static int awaitStall(AtomicInteger counter) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        int last = -1;
        while (System.nanoTime() < deadline) {
            int now = counter.get();
            if (now == last) {
                return now;
            }
            last = now;
            Thread.sleep(300);
        }
        throw new AssertionError("the peer never stopped writing: " + counter.get() + " frames");
    }

    @Test
    void withoutAFrontEndFramesBeyondTheQueueAreDroppedAndCounted() throws Exception {
        SocketNetBackend backend = track(new SocketNetBackend("n0", "127.0.0.1:0", null));
        int sent = SocketNetBackend.QUEUE_FRAMES + 5;
        try (Socket peer = new Socket(InetAddress.getLoopbackAddress(), backend.localPort())) {
            DataOutputStream out = new DataOutputStream(peer.getOutputStream());
            for (int i = 0; i < sent; i++) {
                out.writeInt(1);
                out.write(i);
            }
            out.flush();
            await(() -> backend.droppedReceived() == 5);
            Recorder r = new Recorder();
            backend.setReceiver(r);
            assertEquals(SocketNetBackend.QUEUE_FRAMES, r.frames.size());
            assertEquals(0, r.next()[0], "the oldest frames were kept");
        }
    }

    @Test
    void connectingWhereNobodyListensFailsTheActivationNamingTheNetdevAndAddress() throws Exception {
        int port;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort();
        }
        long start = System.nanoTime();
        UncheckedIOException e = assertThrows(UncheckedIOException.class,
                () -> track(new SocketNetBackend(config("n0", null, "127.0.0.1:" + port))));
        assertEquals("osgemu.netdev.socket n0: cannot connect to 127.0.0.1:" + port + ": Connection refused", e.getMessage());
        assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(2), "a refusal is reported at once, not retried");
        assertTrue(Thread.getAllStackTraces().keySet().stream().noneMatch(t -> t.getName().startsWith("netdev-n0")),
                "a refused backend leaves no thread behind");
    }

    @Test
    void anUnknownHostIsRefusedAtActivation() {
        assertMessage("connect='no-such-host.invalid:1234': unknown host no-such-host.invalid",
                () -> new SocketNetBackend(config("n0", null, "no-such-host.invalid:1234")));
    }

    @Test
    void aPeerThatDoesNotAnswerInTimeIsRefused() throws Exception {
        // a listener that never accepts, its backlog filled: the kernel drops further handshakes
        try (ServerSocket deaf = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            UncheckedIOException refused = null;
            for (int i = 0; i < 8 && refused == null; i++) {
                try {
                    track(new SocketNetBackend("n" + i, null, "127.0.0.1:" + deaf.getLocalPort(), Duration.ofMillis(300)));
                } catch (UncheckedIOException e) {
                    refused = e;
                }
            }
            assertTrue(refused != null, "every connection beyond the backlog was taken");
            assertTrue(refused.getMessage().endsWith(": cannot connect to 127.0.0.1:" + deaf.getLocalPort() + ": no answer within 300 ms"),
                    refused.getMessage());
        }
    }

    @Test
    void whenThePeerLeavesTheConnectingSideGoesQuietAndDoesNotReconnect() throws Exception {
        SocketNetBackend server = new SocketNetBackend("s", "127.0.0.1:0", null);
        int port = server.localPort();
        SocketNetBackend client = track(new SocketNetBackend("c", null, "127.0.0.1:" + port));
        assertTrue(client.isConnected(), "connected once the activation returns");
        await(server::isConnected);
        server.close();
        await(() -> !client.isConnected());
        assertFalse(client.send(new byte[60], 0, 60), "frames are dropped while the link is down");

        try (ServerSocket again = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            again.setSoTimeout(1000);
            assertThrows(SocketTimeoutException.class, again::accept, "the client connected again");
        }
        assertFalse(client.isConnected());
    }

    @Test
    void withoutAPeerFramesAreDroppedNotQueued() {
        SocketNetBackend backend = track(new SocketNetBackend("n0", "127.0.0.1:0", null));
        assertFalse(backend.send(new byte[60], 0, 60));
        assertEquals(1, backend.droppedSent());
    }

    @Test
    void badConfigurationsNameThePropertyAndValue() throws Exception {
        assertMessage("exactly one of listen", () -> new SocketNetBackend(config("n0", null, null)));
        assertMessage("exactly one of listen", () -> new SocketNetBackend(config("n0", ":1", "127.0.0.1:2")));
        assertMessage("listen='1234' is not [HOST]:PORT", () -> new SocketNetBackend(config("n0", "1234", null)));
        assertMessage("connect='h:70000' is not [HOST]:PORT", () -> new SocketNetBackend(config("n0", null, "h:70000")));
        assertMessage("connect=':80' needs a host", () -> new SocketNetBackend(config("n0", null, ":80")));
        assertMessage("'id' is missing", () -> new SocketNetBackend(config(null, ":0", null)));
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            assertMessage("cannot listen on 127.0.0.1:" + taken.getLocalPort(),
                    () -> new SocketNetBackend(config("n0", "127.0.0.1:" + taken.getLocalPort(), null)));
        }
    }

    @Test
    void closeEndsTheThreadsAndFreesThePort() throws Exception {
        SocketNetBackend backend = new SocketNetBackend("n0", "127.0.0.1:0", null);
        int port = backend.localPort();
        backend.close();
        try (ServerSocket again = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            assertEquals(port, again.getLocalPort());
        }
        assertTrue(Thread.getAllStackTraces().keySet().stream().noneMatch(t -> t.getName().startsWith("netdev-n0")));
    }

    private static void assertMessage(String expected, org.junit.jupiter.api.function.Executable action) {
        RuntimeException e = assertThrows(RuntimeException.class, action);
        assertTrue(e.getMessage().contains(expected), e.getMessage() + " should say " + expected);
        assertTrue(e.getMessage().startsWith("osgemu.netdev.socket"), e.getMessage());
    }

    private static SocketNetConfig config(String id, String listen, String connect) {
        return new SocketNetConfig() {
            @Override public Class<? extends Annotation> annotationType() { return SocketNetConfig.class; }
            @Override public String id() { return id; }
            @Override public String listen() { return listen; }
            @Override public String connect() { return connect; }
        };
    }
}
