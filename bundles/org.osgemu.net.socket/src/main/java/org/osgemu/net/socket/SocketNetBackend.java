package org.osgemu.net.socket;

import java.io.EOFException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.atomic.AtomicLong;

import org.osgemu.api.net.NetBackend;
import org.osgemu.api.net.NetReceiver;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;

/**
 * The {@code socket} network backend: Ethernet frames over one TCP connection, each preceded by
 * its length as a 4-byte big-endian number, which is the stream framing of QEMU's
 * {@code -netdev socket,listen=|connect=}; either side may be QEMU. With {@code listen} the
 * backend accepts one peer at a time (and the next when it leaves). With {@code connect} it
 * connects while it is activated, as QEMU does at startup: a refused connection, an unknown host
 * or no answer within {@link #CONNECT_TIMEOUT} fails the activation with the netdev and the
 * address, so the launcher refuses the {@code -netdev} option. The listening side must therefore
 * be up first (QEMU and osgemu both bind it before the guest runs). When that one connection
 * ends, the link stays down and nothing reconnects, as with QEMU's socket netdev.
 *
 * <p>Socket I/O runs on two virtual threads (link: accept when listening, then read; writer), never
 * on the caller's: {@link #send} queues (beyond {@link #QUEUE_FRAMES} frames are dropped and
 * counted), and frames received wait in a queue of {@link #QUEUE_FRAMES} until the front end
 * takes them. When that queue is full the link thread stops reading the socket until the front end
 * takes frames again, so TCP flow control holds the peer back rather than frames being lost or
 * piling up: this is what keeps a flood from outside waiting, bounded, while the machine is
 * stopped (its NIC takes nothing then) and delivers it when it runs again, as QEMU's socket netdev
 * does. Only without a front end are frames beyond the queue dropped and counted. A frame length
 * of 0 or above {@link #MAX_FRAME} means the stream is out of step: the connection is closed with
 * a logged reason.
 */
@Component(immediate = true, service = NetBackend.class, configurationPid = SocketNetBackend.PID,
        configurationPolicy = ConfigurationPolicy.REQUIRE)
public final class SocketNetBackend implements NetBackend, AutoCloseable {

    /** Factory PID of the configurations. */
    public static final String PID = "osgemu.netdev.socket";
    /** The largest frame on the wire, QEMU's packet buffer size (4096 + 65536). */
    public static final int MAX_FRAME = 4096 + 65536;
    /** Frames waiting in each direction at most. */
    public static final int QUEUE_FRAMES = 256;
    /** How long {@code connect} waits for the peer to answer before the activation fails. */
    public static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);

    private static final System.Logger LOG = System.getLogger(SocketNetBackend.class.getName());

    private final String id;
    private final ServerSocketChannel server;
    /** Connect mode: the one connection made at activation; null when listening. */
    private final SocketChannel connected;
    private final ArrayDeque<byte[]> inbound = new ArrayDeque<>();
    private final BlockingQueue<byte[]> outbound = new ArrayBlockingQueue<>(QUEUE_FRAMES);
    private final Object deliveryLock = new Object();
    private final AtomicLong droppedIn = new AtomicLong();
    private final AtomicLong droppedOut = new AtomicLong();
    private final Thread link;
    private final Thread writer;
    private volatile SocketChannel peer;
    private volatile NetReceiver receiver;
    private volatile boolean closed;

    @Activate
    public SocketNetBackend(SocketNetConfig config) {
        this(required("id", config.id()), config.listen(), config.connect());
    }

    /** A backend {@code id} listening on {@code listen} or connecting to {@code connect} (one of them null). */
    public SocketNetBackend(String id, String listen, String connect) {
        this(id, listen, connect, CONNECT_TIMEOUT);
    }

    /** As {@link #SocketNetBackend(String, String, String)}, waiting at most {@code connectTimeout} for the peer. */
    SocketNetBackend(String id, String listen, String connect, Duration connectTimeout) {
        this.id = Objects.requireNonNull(id, "id");
        boolean hasListen = listen != null && !listen.isBlank();
        boolean hasConnect = connect != null && !connect.isBlank();
        if (hasListen == hasConnect) {
            throw new IllegalArgumentException(PID + " " + id + ": give exactly one of listen=[HOST]:PORT and connect=HOST:PORT");
        }
        if (hasListen) {
            InetSocketAddress at = address(id, "listen", listen, true);
            try {
                server = ServerSocketChannel.open();
                server.bind(at, 1);
            } catch (IOException e) {
                throw new UncheckedIOException(PID + " " + id + ": cannot listen on " + listen + ": " + e.getMessage(), e);
            }
            connected = null;
        } else {
            server = null;
            connected = connect(id, connect, address(id, "connect", connect, false), connectTimeout);
            peer = connected;
        }
        link = Thread.ofVirtual().name("netdev-" + id + "-link").start(this::runLink);
        writer = Thread.ofVirtual().name("netdev-" + id + "-writer").start(this::runWriter);
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public String backend() {
        return "socket";
    }

    /** The port listened on (useful with port 0), or -1 in connect mode. */
    public int localPort() {
        try {
            return server == null ? -1 : ((InetSocketAddress) server.getLocalAddress()).getPort();
        } catch (IOException e) {
            return -1;
        }
    }

    /** Whether a peer is connected now. */
    public boolean isConnected() {
        return peer != null;
    }

    /** Frames dropped because the receive queue was full and no front end was connected. */
    public long droppedReceived() {
        return droppedIn.get();
    }

    /** Frames dropped on the way out (no peer, full queue, bad length). */
    public long droppedSent() {
        return droppedOut.get();
    }

    @Override
    public boolean send(byte[] frame, int offset, int length) {
        Objects.checkFromIndexSize(offset, length, frame.length);
        if (length == 0 || length > MAX_FRAME || peer == null
                || !outbound.offer(java.util.Arrays.copyOfRange(frame, offset, offset + length))) {
            droppedOut.incrementAndGet();
            return false;
        }
        return true;
    }

    @Override
    public void setReceiver(NetReceiver receiver) {
        this.receiver = receiver;
        synchronized (inbound) {
            inbound.notifyAll(); // a link thread waiting for room looks again: without a front end it drops
        }
        deliver();
    }

    @Override
    public void acceptInput() {
        deliver();
    }

    /** Offers queued frames in order until the front end has no room; one deliverer at a time. */
    private void deliver() {
        synchronized (deliveryLock) {
            while (true) {
                NetReceiver r = receiver;
                byte[] frame;
                synchronized (inbound) {
                    frame = inbound.peek();
                }
                if (r == null || frame == null || !r.receive(frame, 0, frame.length)) {
                    return;
                }
                synchronized (inbound) {
                    inbound.poll();
                    inbound.notifyAll(); // room again: the link thread may read on
                }
            }
        }
    }

    /** Link thread: queues {@code frame}, waiting while the queue is full and a front end may take frames. */
    private void enqueue(byte[] frame) throws InterruptedIOException {
        synchronized (inbound) {
            while (inbound.size() >= QUEUE_FRAMES && receiver != null && !closed) {
                try {
                    inbound.wait(); // the socket is not read meanwhile: the peer is held back
                } catch (InterruptedException e) {
                    throw new InterruptedIOException("netdev " + id + " is closing");
                }
            }
            if (inbound.size() >= QUEUE_FRAMES) {
                droppedIn.incrementAndGet();
                return;
            }
            inbound.add(frame);
        }
        deliver();
    }

    /**
     * Link thread: reads the peer's frames until it leaves; listen mode then waits for the next,
     * connect mode goes quiet (QEMU's socket netdev does not reconnect either).
     */
    private void runLink() {
        do {
            SocketChannel s = server != null ? accept() : connected;
            if (s == null) {
                return;
            }
            peer = s;
            LOG.log(System.Logger.Level.INFO, "netdev {0}: connected to {1}", id, remote(s));
            try {
                readFrames(s);
                LOG.log(System.Logger.Level.INFO, "netdev {0}: the peer closed the connection", id);
            } catch (MalformedStream e) {
                LOG.log(System.Logger.Level.WARNING, "netdev {0}: {1}; closing the connection", id, e.getMessage());
            } catch (IOException e) {
                if (!closed) {
                    LOG.log(System.Logger.Level.WARNING, "netdev {0}: connection lost: {1}", id, e.toString());
                }
            } finally {
                peer = null;
                closeQuietly(s);
                outbound.clear();
            }
        } while (server != null && !closed);
    }

    private SocketChannel accept() {
        try {
            return server.accept();
        } catch (IOException e) {
            if (!closed) {
                LOG.log(System.Logger.Level.ERROR, "netdev {0}: accept failed: {1}", id, e.toString());
            }
            return null;
        }
    }

    /** Connects to {@code to} (given as {@code value}) or fails naming the netdev and the address. */
    private static SocketChannel connect(String id, String value, InetSocketAddress to, Duration timeout) {
        SocketChannel s = null;
        try {
            s = SocketChannel.open();
            // the channel's socket adapter is the one blocking connect that takes a timeout
            s.socket().connect(to, (int) Math.max(1, timeout.toMillis()));
            return s;
        } catch (IOException e) {
            if (s != null) {
                closeQuietly(s);
            }
            String reason = e instanceof SocketTimeoutException
                    ? "no answer within " + timeout.toMillis() + " ms" : String.valueOf(e.getMessage());
            throw new UncheckedIOException(PID + " " + id + ": cannot connect to " + value + ": " + reason, e);
        }
    }

    private void readFrames(SocketChannel s) throws IOException {
        ByteBuffer length = ByteBuffer.allocate(4);
        while (!closed) {
            length.clear();
            if (!readFully(s, length, true)) {
                return;
            }
            int n = length.getInt(0);
            if (n <= 0 || n > MAX_FRAME) {
                throw new MalformedStream("frame length " + Integer.toUnsignedLong(n) + " is not 1.." + MAX_FRAME);
            }
            ByteBuffer frame = ByteBuffer.allocate(n);
            readFully(s, frame, false);
            enqueue(frame.array());
        }
    }

    /** Fills {@code b}; false on a clean end of stream before its first byte (when {@code endOk}). */
    private static boolean readFully(SocketChannel s, ByteBuffer b, boolean endOk) throws IOException {
        while (b.hasRemaining()) {
            if (s.read(b) < 0) {
                if (endOk && b.position() == 0) {
                    return false;
                }
                throw new EOFException("the stream ends inside a frame");
            }
        }
        return true;
    }

    /** Writer thread: frames out to the current peer, each with its length. */
    private void runWriter() {
        ByteBuffer length = ByteBuffer.allocate(4);
        while (!closed) {
            byte[] frame;
            try {
                frame = outbound.take();
            } catch (InterruptedException e) {
                return;
            }
            SocketChannel s = peer;
            if (s == null) {
                droppedOut.incrementAndGet();
                continue;
            }
            length.clear();
            length.putInt(0, frame.length);
            ByteBuffer[] parts = {length, ByteBuffer.wrap(frame)};
            try {
                while (parts[1].hasRemaining()) {
                    s.write(parts);
                }
            } catch (ClosedChannelException e) {
                droppedOut.incrementAndGet();
            } catch (IOException e) {
                droppedOut.incrementAndGet();
                LOG.log(System.Logger.Level.WARNING, "netdev {0}: send failed: {1}", id, e.toString());
                closeQuietly(s); // the link thread notices and (listening) waits for the next peer
            }
        }
    }

    /** Ends both threads and closes the sockets. */
    @Override
    @Deactivate
    public void close() {
        closed = true;
        synchronized (inbound) {
            inbound.notifyAll();
        }
        if (server != null) {
            closeQuietly(server);
        }
        if (connected != null) {
            closeQuietly(connected);
        }
        SocketChannel s = peer;
        if (s != null) {
            closeQuietly(s);
        }
        link.interrupt();
        writer.interrupt();
        try {
            link.join(2000);
            writer.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static String remote(SocketChannel s) {
        try {
            return String.valueOf(s.getRemoteAddress());
        } catch (IOException e) {
            return "?";
        }
    }

    private static void closeQuietly(java.io.Closeable c) {
        try {
            c.close();
        } catch (IOException e) {
            // closing is all we wanted
        }
    }

    private static String required(String property, String value) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(PID + ": configuration property '" + property + "' is missing");
        }
        return value;
    }

    /** {@code [HOST]:PORT}; an empty host means all addresses (listen only), {@code [v6]} brackets allowed. */
    static InetSocketAddress address(String id, String property, String value, boolean listen) {
        int colon = value.lastIndexOf(':');
        String host = colon < 0 ? "" : value.substring(0, colon);
        String port = value.substring(colon + 1);
        if (colon < 0 || !port.matches("[0-9]{1,5}") || Integer.parseInt(port) > 65535) {
            throw new IllegalArgumentException(PID + " " + id + ": " + property + "='" + value + "' is not [HOST]:PORT");
        }
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        if (host.isEmpty()) {
            if (!listen) {
                throw new IllegalArgumentException(PID + " " + id + ": connect='" + value + "' needs a host");
            }
            return new InetSocketAddress(Integer.parseInt(port));
        }
        InetSocketAddress a = new InetSocketAddress(host, Integer.parseInt(port));
        if (a.isUnresolved()) {
            throw new IllegalArgumentException(PID + " " + id + ": " + property + "='" + value + "': unknown host " + host);
        }
        return a;
    }

    /** The peer broke the framing. */
    private static final class MalformedStream extends IOException {
        private static final long serialVersionUID = 1L;

        MalformedStream(String message) {
            super(message);
        }
    }
}
