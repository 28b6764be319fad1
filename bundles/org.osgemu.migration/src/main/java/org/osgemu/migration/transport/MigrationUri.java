package org.osgemu.migration.transport;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Set;

import org.osgemu.api.migration.MigrationException;

/**
 * A migration URI as QEMU's {@code migrate} and {@code -incoming} take it: {@code tcp:HOST:PORT}
 * (HOST a name, an IPv4 address, an IPv6 address in brackets, or empty for every address when
 * listening and this host when connecting), {@code unix:PATH}, {@code file:PATH}, and for
 * {@code -incoming} only {@code defer}. QEMU's other transports ({@code fd:}, {@code exec:},
 * {@code rdma:}, {@code vsock:}) are recognized and refused as not supported.
 *
 * @param transport which transport
 * @param text the URI as given, for messages
 * @param host the host of a tcp URI, else null
 * @param port the port of a tcp URI, else -1
 * @param path the path of a unix or file URI, else null
 */
public record MigrationUri(Transport transport, String text, String host, int port, Path path) {

    /** The transports osgemu has. */
    public enum Transport { TCP, UNIX, FILE, DEFER }

    private static final Set<String> UNSUPPORTED = Set.of("fd", "exec", "rdma", "vsock", "channels");
    private static final String EXAMPLES = "tcp:HOST:PORT, unix:PATH or file:PATH";

    /** Parses {@code uri}, naming what is wrong with it. */
    public static MigrationUri parse(String uri) throws MigrationException {
        if (uri == null || uri.isBlank()) {
            throw new MigrationException("empty migration URI; give " + EXAMPLES);
        }
        if (uri.equals("defer")) {
            return new MigrationUri(Transport.DEFER, uri, null, -1, null);
        }
        int colon = uri.indexOf(':');
        if (colon <= 0) {
            throw new MigrationException("'" + uri + "' names no transport; give " + EXAMPLES);
        }
        String transport = uri.substring(0, colon);
        String address = uri.substring(colon + 1);
        return switch (transport) {
            case "tcp" -> tcp(uri, address);
            case "unix" -> new MigrationUri(Transport.UNIX, uri, null, -1, path(uri, address, "unix"));
            case "file" -> {
                if (address.contains(",offset=")) {
                    throw new MigrationException(uri + ": the offset= option is not supported");
                }
                yield new MigrationUri(Transport.FILE, uri, null, -1, path(uri, address, "file"));
            }
            default -> throw new MigrationException(UNSUPPORTED.contains(transport)
                    ? "transport '" + transport + ":' is not supported; give " + EXAMPLES
                    : "unknown transport '" + transport + ":' in '" + uri + "'; give " + EXAMPLES);
        };
    }

    private static MigrationUri tcp(String uri, String address) throws MigrationException {
        if (address.contains(",")) {
            throw new MigrationException(uri + ": options after the port (" + address.substring(address.indexOf(','))
                    + ") are not supported");
        }
        String host;
        String port;
        if (address.startsWith("[")) {
            int close = address.indexOf("]:");
            if (close < 0) {
                throw new MigrationException(uri + ": an IPv6 address in brackets must be followed by :PORT");
            }
            host = address.substring(1, close);
            port = address.substring(close + 2);
        } else {
            int colon = address.lastIndexOf(':');
            if (colon < 0 || address.indexOf(':') != colon) {
                throw new MigrationException(uri + ": give tcp:HOST:PORT (an IPv6 address goes in brackets)");
            }
            host = address.substring(0, colon);
            port = address.substring(colon + 1);
        }
        int number;
        try {
            number = Integer.parseInt(port);
        } catch (NumberFormatException e) {
            throw new MigrationException(uri + ": port '" + port + "' is not a number");
        }
        if (number < 0 || number > 65535) {
            throw new MigrationException(uri + ": port " + number + " is not in 0..65535");
        }
        return new MigrationUri(Transport.TCP, uri, host, number, null);
    }

    private static Path path(String uri, String address, String transport) throws MigrationException {
        if (address.isEmpty()) {
            throw new MigrationException(transport + ": needs a path, e.g. " + transport + ":/tmp/vm." + (transport.equals("file") ? "snapshot" : "sock"));
        }
        try {
            return Path.of(address);
        } catch (InvalidPathException e) {
            throw new MigrationException(uri + ": not a valid path: " + e.getReason());
        }
    }

    /** Whether the transport can carry a return path (a socket). */
    public boolean hasReturnPath() {
        return transport == Transport.TCP || transport == Transport.UNIX;
    }

    @Override
    public String toString() {
        return text;
    }
}
