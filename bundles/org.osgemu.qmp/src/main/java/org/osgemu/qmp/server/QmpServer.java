package org.osgemu.qmp.server;

import java.io.IOException;
import java.io.InputStream;
import java.lang.System.Logger.Level;
import java.net.SocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import org.osgemu.api.command.CommandEventListener;
import org.osgemu.api.command.CommandRegistry;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.Designate;

/**
 * A QMP server, one per {@value QmpConfig#PID} factory configuration: listens on a unix socket,
 * a TCP socket or stdio and serves every client with a {@link QmpSession} of its own over the
 * {@link CommandRegistry}, several at once. Events of the machine it serves go to every client
 * that finished negotiating. Deactivation gives queued output a moment to leave (so the answer
 * to {@code quit} and the {@code SHUTDOWN} event reach the client before the process ends),
 * then closes every connection and ends every thread.
 */
@Component(configurationPid = QmpConfig.PID, configurationPolicy = ConfigurationPolicy.REQUIRE, service = {})
@Designate(ocd = QmpConfig.class, factory = true)
public final class QmpServer {

    private static final System.Logger LOG = System.getLogger(QmpServer.class.getName());
    private static final Path OWN_STDIN = Path.of("/proc/self/fd/0");
    private static final long FINAL_DRAIN_MILLIS = 1000;
    private static final long JOIN_MILLIS = 2000;

    private final QmpSettings settings;
    private final CommandRegistry registry;
    private final CommandEventListener events = this::event;
    private final Set<QmpSession> sessions = ConcurrentHashMap.newKeySet();
    private final Set<Thread> readers = ConcurrentHashMap.newKeySet();
    private final AtomicInteger clientNumbers = new AtomicInteger();
    private final SocketListener listener;
    private volatile boolean closing;

    @Activate
    public QmpServer(QmpConfig config, @Reference CommandRegistry registry) throws IOException {
        this(QmpSettings.from(config), registry);
    }

    QmpServer(QmpSettings settings, CommandRegistry registry) throws IOException {
        this.settings = settings;
        this.registry = registry;
        registry.addEventListener(events);
        try {
            if (settings.transport() == QmpSettings.Transport.STDIO) {
                listener = null;
                startStdio();
            } else {
                listener = SocketListener.open(settings, this::serve);
            }
        } catch (IOException | RuntimeException e) {
            registry.removeEventListener(events);
            throw e;
        }
    }

    /** The bound address (for TCP port 0, the port that was picked); null for stdio. */
    SocketAddress localAddress() throws IOException {
        return listener == null ? null : listener.localAddress();
    }

    /** The clients connected now. */
    int clientCount() {
        return sessions.size();
    }

    private void serve(SocketChannel client) {
        boolean offerOob = true; // QEMU offers oob on monitors with an I/O thread, as its socket monitors are
        start(new QmpSession("osgemu-qmp-" + settings.id() + "-" + clientNumbers.incrementAndGet(),
                new QmpProtocol(registry, settings.machine(), offerOob), Channels.newInputStream(client),
                Channels.newOutputStream(client), client, settings.outboxCapacity(), () -> { }));
    }

    /** Serves the process's stdin and stdout; like QEMU's {@code -qmp stdio}, without the {@code oob} capability. */
    private void startStdio() throws IOException {
        InputStream in;
        AutoCloseable input;
        try {
            FileChannel channel = FileChannel.open(OWN_STDIN, StandardOpenOption.READ);
            in = Channels.newInputStream(channel); // closing this channel wakes the reader; the process's stdin stays open
            input = channel;
        } catch (IOException | UnsupportedOperationException e) {
            in = System.in;
            input = () -> { };
        }
        start(new QmpSession("osgemu-qmp-" + settings.id() + "-stdio", new QmpProtocol(registry, settings.machine(), false),
                in, System.out, input, settings.outboxCapacity(), () -> { }));
    }

    private void start(QmpSession session) {
        Thread reader = Thread.ofVirtual().name(session.name()).unstarted(() -> {
            try {
                session.run(settings.maxMessageBytes());
            } finally {
                sessions.remove(session);
                readers.remove(Thread.currentThread());
            }
        });
        sessions.add(session);
        readers.add(reader);
        reader.start();
        if (closing) {
            session.close(); // close() may have swept the set before this session joined it
        }
    }

    private void event(String machine, String event, Map<String, Object> data, Instant timestamp) {
        if (!settings.machine().isEmpty() && !settings.machine().equals(machine)) {
            return;
        }
        Map<String, Object> time = new LinkedHashMap<>();
        time.put("seconds", timestamp.getEpochSecond());
        time.put("microseconds", (long) (timestamp.getNano() / 1000));
        Map<String, Object> message = new LinkedHashMap<>();
        message.put("timestamp", time);
        message.put("event", event);
        if (!data.isEmpty()) {
            message.put("data", data);
        }
        byte[] bytes = Json.message(message);
        for (QmpSession session : sessions) {
            session.deliverEvent(bytes);
        }
    }

    /** Lets queued output leave, then closes every connection and the listener and ends their threads. */
    @Deactivate
    public void close() {
        closing = true;
        registry.removeEventListener(events);
        if (listener != null) {
            listener.close();
        }
        List<QmpSession> all = List.copyOf(sessions);
        long deadline = System.nanoTime() + FINAL_DRAIN_MILLIS * 1_000_000;
        for (QmpSession session : all) {
            session.drain(Math.max(0, (deadline - System.nanoTime()) / 1_000_000));
        }
        all.forEach(QmpSession::close);
        all.forEach(session -> session.awaitWriter(JOIN_MILLIS));
        for (Thread reader : List.copyOf(readers)) {
            try {
                reader.join(JOIN_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (reader.isAlive()) {
                LOG.log(Level.WARNING, "qmp {0}: client thread {1} still running after close", settings.id(), reader.getName());
            }
        }
    }
}
