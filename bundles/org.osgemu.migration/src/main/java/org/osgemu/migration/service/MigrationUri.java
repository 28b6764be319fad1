package org.osgemu.migration.service;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Set;

import org.osgemu.api.migration.MigrationException;

/**
 * A migration URI as QEMU's {@code migrate} and {@code -incoming} take it: {@code file:PATH}
 * works; the transports QEMU also has ({@code tcp:}, {@code unix:}, {@code fd:}, {@code exec:},
 * {@code rdma:}, {@code vsock:}) are recognized and refused as not supported yet.
 *
 * @param transport the part before the first colon
 * @param address the rest
 */
record MigrationUri(String transport, String address) {

    /** Transports of QEMU that osgemu does not have yet. */
    private static final Set<String> LATER = Set.of("tcp", "unix", "fd", "exec", "rdma", "vsock");
    private static final String EXAMPLE = "file:/tmp/vm.snapshot";

    static MigrationUri parse(String uri) throws MigrationException {
        if (uri == null || uri.isBlank()) {
            throw new MigrationException("empty migration URI; give e.g. " + EXAMPLE);
        }
        int colon = uri.indexOf(':');
        if (colon <= 0) {
            throw new MigrationException("'" + uri + "' names no transport; give e.g. " + EXAMPLE);
        }
        return new MigrationUri(uri.substring(0, colon), uri.substring(colon + 1));
    }

    /** The file of a {@code file:} URI; any other transport is refused. */
    Path file() throws MigrationException {
        if (LATER.contains(transport)) {
            throw new MigrationException("transport '" + transport + ":' is not supported yet; only file:PATH is (e.g. "
                    + EXAMPLE + ")");
        }
        if (!transport.equals("file")) {
            throw new MigrationException("unknown transport '" + transport + ":' in '" + transport + ":" + address
                    + "'; give e.g. " + EXAMPLE);
        }
        if (address.isEmpty()) {
            throw new MigrationException("file: needs a path, e.g. " + EXAMPLE);
        }
        if (address.contains(",offset=")) {
            throw new MigrationException("file:" + address + ": the offset= option is not supported yet");
        }
        try {
            return Path.of(address);
        } catch (InvalidPathException e) {
            throw new MigrationException("file:" + address + ": not a valid path: " + e.getReason());
        }
    }
}
