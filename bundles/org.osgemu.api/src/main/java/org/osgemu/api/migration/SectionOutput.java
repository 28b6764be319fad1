package org.osgemu.api.migration;

import java.io.IOException;

/**
 * Where a saving handler puts its data: each {@link #send} becomes one section of the stream,
 * framed and checksummed by the engine. The engine chooses the section type from the phase: in
 * {@link MigrationHandler#setup setup} the first payload goes out as START and later ones as PART;
 * in {@link MigrationHandler#iterate iterate} as PART; in {@link MigrationHandler#complete complete}
 * a live handler's payloads go out as PART except the last, which is END, and a handler that is
 * not live must send exactly one payload, which goes out as FULL.
 */
public interface SectionOutput {

    /** The largest payload one section may carry; a handler splits larger data over several sends. */
    int maxPayload();

    /**
     * Sends {@code payload} (at most {@link #maxPayload()} bytes) as one section. The engine is done
     * with the array when this returns (it wrote or copied it): the handler may fill it again.
     */
    void send(byte[] payload) throws IOException;
}
