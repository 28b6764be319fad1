package org.osgemu.shell.monitor;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.osgemu.api.chardev.UnixSocketFile;

/**
 * A monitor on a unix or TCP socket: one virtual thread accepts, one virtual thread serves each
 * client, so several clients are served at once. It binds only the configured address. A unix
 * socket file it created is deleted when it closes; a stale one left by a crash is replaced,
 * but a live socket or any other file at the path is refused.
 */
final class SocketListener implements MonitorEndpoint {

    private static final System.Logger LOG = System.getLogger(SocketListener.class.getName());

    private final MonitorSettings settings;
    private final MonitorConnection connection;
    private final ServerSocketChannel server;
    private final Path socketFile;
    private final Set<SocketChannel> clients = ConcurrentHashMap.newKeySet();
    private final Set<Thread> workers = ConcurrentHashMap.newKeySet();
    private final Thread acceptor;
    private volatile boolean closing;

    private SocketListener(MonitorSettings settings, MonitorConnection connection, ServerSocketChannel server,
                           Path socketFile) {
        this.settings = settings;
        this.connection = connection;
        this.server = server;
        this.socketFile = socketFile;
        this.acceptor = Thread.ofVirtual().name("osgemu-monitor-" + settings.id() + "-accept").unstarted(this::acceptLoop);
    }

    /** Binds the socket of {@code settings} and starts accepting clients. */
    static SocketListener open(MonitorSettings settings, MonitorConnection connection) throws IOException {
        ServerSocketChannel server;
        Path socketFile = null;
        if (settings.transport() == MonitorSettings.Transport.UNIX) {
            socketFile = settings.path();
            removeStaleSocket(settings);
            server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
            bind(server, UnixDomainSocketAddress.of(socketFile), settings);
        } else {
            InetSocketAddress address = new InetSocketAddress(settings.host(), settings.port());
            if (address.isUnresolved()) {
                throw new MonitorConfigException("monitor " + settings.id() + ": host '" + settings.host()
                        + "' does not resolve to an address");
            }
            server = ServerSocketChannel.open();
            bind(server, address, settings);
        }
        SocketListener listener = new SocketListener(settings, connection, server, socketFile);
        listener.acceptor.start();
        return listener;
    }

    /** The bound address (for TCP port 0, the port that was picked). */
    SocketAddress localAddress() throws IOException {
        return server.getLocalAddress();
    }

    private static void bind(ServerSocketChannel server, SocketAddress address, MonitorSettings settings)
            throws IOException {
        try {
            if (!(address instanceof UnixDomainSocketAddress)) {
                server.setOption(StandardSocketOptions.SO_REUSEADDR, true); // rebind at once after a restart
            }
            if (address instanceof UnixDomainSocketAddress unix) {
                UnixSocketFile.bindListening(server, unix.getPath()); // clients that see the path can connect
            } else {
                server.bind(address);
            }
        } catch (IOException e) {
            server.close();
            throw new IOException("monitor " + settings.id() + ": cannot listen on " + settings.where() + ": " + e, e);
        }
    }

    /** Removes a socket file a crashed process left behind (QEMU replaces it too). */
    private static void removeStaleSocket(MonitorSettings settings) throws IOException {
        try {
            UnixSocketFile.removeStale(settings.path(), "monitor " + settings.id());
        } catch (IllegalArgumentException e) {
            throw new MonitorConfigException(e.getMessage());
        }
    }

    private void acceptLoop() {
        while (!closing) {
            SocketChannel client;
            try {
                client = server.accept();
            } catch (ClosedChannelException e) {
                return;
            } catch (IOException e) {
                if (!closing) {
                    LOG.log(Level.WARNING, "monitor {0}: accept on {1} failed, no more clients: {2}",
                            settings.id(), settings.where(), e.toString());
                }
                return;
            }
            clients.add(client);
            Thread worker = Thread.ofVirtual().name("osgemu-monitor-" + settings.id() + "-client")
                    .unstarted(() -> serve(client));
            workers.add(worker);
            worker.start();
            if (closing) {
                closeQuietly(client); // close() may have swept the set before this client joined it
            }
        }
    }

    private void serve(SocketChannel client) {
        try (client) {
            connection.serve(Channels.newInputStream(client), Channels.newOutputStream(client));
        } catch (IOException e) {
            // The client went away or we are closing: nothing to tell anyone.
        } finally {
            clients.remove(client);
            workers.remove(Thread.currentThread());
        }
    }

    @Override
    public void close() {
        closing = true;
        closeQuietly(server);
        MonitorEndpoint.end(acceptor);
        clients.forEach(SocketListener::closeQuietly);
        workers.forEach(MonitorEndpoint::end);
        if (socketFile != null) {
            try {
                Files.deleteIfExists(socketFile);
            } catch (IOException e) {
                LOG.log(Level.WARNING, "monitor {0}: cannot remove socket file {1}: {2}",
                        settings.id(), socketFile, e.toString());
            }
        }
    }

    private static void closeQuietly(AutoCloseable closeable) {
        try {
            closeable.close();
        } catch (Exception e) {
            // Closing is best effort; the channel is unusable either way.
        }
    }
}
