package org.osgemu.api.migration;

/**
 * A migration that cannot go on: a stream that is not ours, truncated or corrupt, a stream
 * from another machine layout, a machine in the wrong run state, a transport that fails. The
 * message is one line for a person and names where it went wrong: the section (id string and
 * instance) and, for device state, the field, e.g.
 * {@code section 'clint' (clint0): checksum mismatch}.
 */
public class MigrationException extends Exception {
    private static final long serialVersionUID = 1L;

    public MigrationException(String message) {
        super(message);
    }

    public MigrationException(String message, Throwable cause) {
        super(message, cause);
    }
}
