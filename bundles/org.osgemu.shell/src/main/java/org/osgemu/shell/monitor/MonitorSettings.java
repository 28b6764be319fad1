package org.osgemu.shell.monitor;

import java.nio.file.Path;
import java.util.Locale;

/**
 * A monitor configuration after checking: what {@link MonitorServer} opens.
 *
 * @param id name of the monitor
 * @param transport where it listens
 * @param path socket file ({@link Transport#UNIX} only)
 * @param host address to bind ({@link Transport#TCP} only)
 * @param port port to bind, 0 for any free one ({@link Transport#TCP} only)
 */
record MonitorSettings(String id, Transport transport, Path path, String host, int port) {

    /** The ways a monitor can be reached. */
    enum Transport { STDIO, UNIX, TCP }

    private static final int MAX_PORT = 65535;

    /** Checks a configuration as DS delivers it (missing values read as null or 0). */
    static MonitorSettings from(MonitorConfig config) {
        String id = config.id();
        if (id == null || id.isBlank()) {
            throw new MonitorConfigException("monitor: the 'id' property is missing in configuration " + MonitorConfig.PID);
        }
        Transport transport = transport(id, config.transport());
        return switch (transport) {
            case STDIO -> stdio(id);
            case UNIX -> {
                String path = config.path();
                if (path == null || path.isBlank()) {
                    throw new MonitorConfigException("monitor " + id + ": transport unix needs a 'path' for the socket file");
                }
                yield unix(id, Path.of(path));
            }
            case TCP -> {
                String host = config.host();
                if (host == null || host.isBlank()) {
                    throw new MonitorConfigException("monitor " + id + ": transport tcp needs a 'host' to bind, e.g. 127.0.0.1");
                }
                yield tcp(id, host, config.port());
            }
        };
    }

    static MonitorSettings stdio(String id) {
        return new MonitorSettings(id, Transport.STDIO, null, null, 0);
    }

    static MonitorSettings unix(String id, Path path) {
        return new MonitorSettings(id, Transport.UNIX, path, null, 0);
    }

    static MonitorSettings tcp(String id, String host, int port) {
        if (port < 0 || port > MAX_PORT) {
            throw new MonitorConfigException("monitor " + id + ": port " + port + " is not in 0.." + MAX_PORT);
        }
        return new MonitorSettings(id, Transport.TCP, null, host, port);
    }

    private static Transport transport(String id, String name) {
        if (name == null || name.isBlank()) {
            throw new MonitorConfigException("monitor " + id + ": the 'transport' property is missing; use stdio, unix or tcp");
        }
        try {
            return Transport.valueOf(name.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new MonitorConfigException("monitor " + id + ": transport '" + name + "' is not one of stdio, unix, tcp");
        }
    }

    /** Where the monitor listens, for messages: {@code stdio}, {@code unix:/run/m.sock}, {@code tcp:127.0.0.1:4444}. */
    String where() {
        return switch (transport) {
            case STDIO -> "stdio";
            case UNIX -> "unix:" + path;
            case TCP -> "tcp:" + host + ":" + port;
        };
    }
}
