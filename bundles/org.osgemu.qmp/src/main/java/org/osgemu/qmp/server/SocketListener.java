package org.osgemu.qmp.server;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.util.function.Consumer;

import org.osgemu.api.chardev.UnixSocketFile;

/**
 * The listening socket of a QMP server (unix or TCP) and its accepting thread. It binds only
 * the configured address. A unix socket file it created is deleted when it closes; a stale one
 * left by a crash is replaced, but a live socket or any other file at the path is refused.
 */
final class SocketListener implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(SocketListener.class.getName());

    private final QmpSettings settings;
    private final ServerSocketChannel server;
    private final Thread acceptor;
    private volatile boolean closing;

    private SocketListener(QmpSettings settings, ServerSocketChannel server, Consumer<SocketChannel> onClient) {
        this.settings = settings;
        this.server = server;
        this.acceptor = Thread.ofVirtual().name("osgemu-qmp-" + settings.id() + "-accept")
                .unstarted(() -> acceptLoop(onClient));
    }

    /** Binds the socket of {@code settings} and hands every accepted client to {@code onClient}. */
    static SocketListener open(QmpSettings settings, Consumer<SocketChannel> onClient) throws IOException {
        ServerSocketChannel server;
        if (settings.transport() == QmpSettings.Transport.UNIX) {
            UnixSocketFile.removeStale(settings.path(), "qmp " + settings.id());
            server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
            bind(server, UnixDomainSocketAddress.of(settings.path()), settings);
        } else {
            InetSocketAddress address = new InetSocketAddress(settings.host(), settings.port());
            if (address.isUnresolved()) {
                throw new IllegalArgumentException("qmp " + settings.id() + ": host '" + settings.host()
                        + "' does not resolve to an address");
            }
            server = ServerSocketChannel.open();
            server.setOption(StandardSocketOptions.SO_REUSEADDR, true); // rebind at once after a restart
            bind(server, address, settings);
        }
        SocketListener listener = new SocketListener(settings, server, onClient);
        listener.acceptor.start();
        return listener;
    }

    SocketAddress localAddress() throws IOException {
        return server.getLocalAddress();
    }

    private static void bind(ServerSocketChannel server, SocketAddress address, QmpSettings settings) throws IOException {
        try {
            if (address instanceof UnixDomainSocketAddress unix) {
                UnixSocketFile.bindListening(server, unix.getPath()); // clients that see the path can connect
            } else {
                server.bind(address);
            }
        } catch (IOException e) {
            server.close();
            throw new IOException("qmp " + settings.id() + ": cannot listen on " + settings.where() + ": " + e, e);
        }
    }

    private void acceptLoop(Consumer<SocketChannel> onClient) {
        while (!closing) {
            try {
                onClient.accept(server.accept());
            } catch (ClosedChannelException e) {
                return;
            } catch (IOException e) {
                if (!closing) {
                    LOG.log(Level.WARNING, "qmp {0}: accept on {1} failed, no more clients: {2}",
                            settings.id(), settings.where(), e.toString());
                }
                return;
            }
        }
    }

    /** Stops accepting, ends the accepting thread and removes the socket file. */
    @Override
    public void close() {
        closing = true;
        try {
            server.close();
        } catch (IOException e) {
            // the channel is unusable either way
        }
        try {
            acceptor.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (settings.path() != null) {
            try {
                Files.deleteIfExists(settings.path());
            } catch (IOException e) {
                LOG.log(Level.WARNING, "qmp {0}: cannot remove socket file {1}: {2}", settings.id(), settings.path(), e.toString());
            }
        }
    }
}
