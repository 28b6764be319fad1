package org.osgemu.api.migration;

import java.nio.ByteBuffer;
import java.util.Objects;

/**
 * One section as a loading handler gets it: its checksum and framing are already verified, and
 * the version is within what the handler loads.
 *
 * @param type START, PART, END or FULL
 * @param version the version its START or FULL section announced
 * @param payload the handler's bytes, read-only and big-endian, positioned at the start
 */
public record Section(SectionType type, int version, ByteBuffer payload) {

    public Section {
        Objects.requireNonNull(type, "type");
        payload = Objects.requireNonNull(payload, "payload").asReadOnlyBuffer();
    }
}
