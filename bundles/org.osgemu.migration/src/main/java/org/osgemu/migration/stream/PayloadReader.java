package org.osgemu.migration.stream;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

import org.osgemu.api.migration.MigrationException;

/**
 * Reads the fields of a section payload (big-endian) and refuses a payload that ends inside a
 * field or goes on after the last one, naming the field.
 */
public final class PayloadReader {

    private final ByteBuffer payload;

    public PayloadReader(ByteBuffer payload) {
        this.payload = payload.duplicate();
    }

    /** Offset of the next byte in the payload. */
    public int position() {
        return payload.position();
    }

    public int remaining() {
        return payload.remaining();
    }

    public int u8(String field) throws MigrationException {
        need(1, field);
        return payload.get() & 0xFF;
    }

    /** An unsigned 32-bit field that must fit an {@code int} (counts, sizes). */
    public int u32(String field) throws MigrationException {
        need(4, field);
        int v = payload.getInt();
        if (v < 0) {
            throw new MigrationException("field " + field + ": " + Integer.toUnsignedString(v) + " is out of range");
        }
        return v;
    }

    public long u64(String field) throws MigrationException {
        need(8, field);
        return payload.getLong();
    }

    /** A name: one length byte, then that many bytes of UTF-8. */
    public String name(String field) throws MigrationException {
        int length = u8(field);
        need(length, field);
        byte[] bytes = new byte[length];
        payload.get(bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    /** Skips {@code length} bytes that the caller reads through {@link #position()}; returns where they start. */
    public int skip(int length, String field) throws MigrationException {
        need(length, field);
        int at = payload.position();
        payload.position(at + length);
        return at;
    }

    /** Refuses bytes after the last field. */
    public void expectEnd() throws MigrationException {
        if (payload.hasRemaining()) {
            throw new MigrationException(payload.remaining() + " byte(s) left over after the last field, at payload byte "
                    + payload.position());
        }
    }

    private void need(int bytes, String field) throws MigrationException {
        if (payload.remaining() < bytes) {
            throw new MigrationException("field " + field + ": the payload ends inside it, at byte " + payload.limit());
        }
    }
}
