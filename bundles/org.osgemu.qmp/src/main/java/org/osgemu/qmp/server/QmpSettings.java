package org.osgemu.qmp.server;

import java.nio.file.Path;
import java.util.Locale;

/**
 * A QMP server configuration after checking.
 *
 * @param id name of the server
 * @param transport where it listens
 * @param path socket file ({@link Transport#UNIX})
 * @param host address to bind ({@link Transport#TCP})
 * @param port port to bind, 0 for any free one ({@link Transport#TCP})
 * @param machine the machine commands address, {@code ""} for the first
 * @param maxMessageBytes the largest request accepted
 * @param outboxCapacity messages queued for a client before it counts as not reading
 */
record QmpSettings(String id, Transport transport, Path path, String host, int port, String machine,
                   int maxMessageBytes, int outboxCapacity) {

    /** The ways a QMP server can be reached. */
    enum Transport { STDIO, UNIX, TCP }

    /** 1 MiB: far above any real request, far below what would hurt the heap (QEMU's limit is 64 MiB). */
    static final int DEFAULT_MAX_MESSAGE_BYTES = 1 << 20;
    static final int DEFAULT_OUTBOX_CAPACITY = 1024;
    private static final int MAX_PORT = 65535;

    /** Checks a configuration as DS delivers it (missing values read as null or 0). */
    static QmpSettings from(QmpConfig config) {
        String id = config.id();
        if (id == null || id.isBlank()) {
            throw new IllegalArgumentException("qmp: the 'id' property is missing in configuration " + QmpConfig.PID);
        }
        String machine = config.machine() == null ? "" : config.machine().strip();
        int maxMessage = config.maxMessageBytes() == 0 ? DEFAULT_MAX_MESSAGE_BYTES : config.maxMessageBytes();
        int outbox = config.outboxCapacity() == 0 ? DEFAULT_OUTBOX_CAPACITY : config.outboxCapacity();
        if (maxMessage < 1024) {
            throw new IllegalArgumentException("qmp " + id + ": maxMessageBytes " + maxMessage + " is below 1024");
        }
        if (outbox < 16) {
            throw new IllegalArgumentException("qmp " + id + ": outboxCapacity " + outbox + " is below 16");
        }
        Transport transport = transport(id, config.transport());
        return switch (transport) {
            case STDIO -> new QmpSettings(id, transport, null, null, 0, machine, maxMessage, outbox);
            case UNIX -> {
                String path = config.path();
                if (path == null || path.isBlank()) {
                    throw new IllegalArgumentException("qmp " + id + ": transport unix needs a 'path' for the socket file");
                }
                yield new QmpSettings(id, transport, Path.of(path), null, 0, machine, maxMessage, outbox);
            }
            case TCP -> {
                String host = config.host();
                if (host == null || host.isBlank()) {
                    throw new IllegalArgumentException("qmp " + id + ": transport tcp needs a 'host' to bind, e.g. 127.0.0.1");
                }
                if (config.port() < 0 || config.port() > MAX_PORT) {
                    throw new IllegalArgumentException("qmp " + id + ": port " + config.port() + " is not in 0.." + MAX_PORT);
                }
                yield new QmpSettings(id, transport, null, host, config.port(), machine, maxMessage, outbox);
            }
        };
    }

    /** A unix-socket server with the default limits (tests, embedding). */
    static QmpSettings unix(String id, Path path) {
        return new QmpSettings(id, Transport.UNIX, path, null, 0, "", DEFAULT_MAX_MESSAGE_BYTES, DEFAULT_OUTBOX_CAPACITY);
    }

    private static Transport transport(String id, String name) {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("qmp " + id + ": the 'transport' property is missing; use unix, tcp or stdio");
        }
        try {
            return Transport.valueOf(name.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("qmp " + id + ": transport '" + name + "' is not one of unix, tcp, stdio");
        }
    }

    /** Where the server listens, for messages. */
    String where() {
        return switch (transport) {
            case STDIO -> "stdio";
            case UNIX -> "unix:" + path;
            case TCP -> "tcp:" + host + ":" + port;
        };
    }

    QmpSettings withLimits(int maxMessageBytes, int outboxCapacity) {
        return new QmpSettings(id, transport, path, host, port, machine, maxMessageBytes, outboxCapacity);
    }
}
