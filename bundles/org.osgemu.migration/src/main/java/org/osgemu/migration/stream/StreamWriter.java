package org.osgemu.migration.stream;

import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.WritableByteChannel;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32C;

import org.osgemu.api.migration.SectionType;

/**
 * Writes a migration stream: the header, the configuration section, sections framed with their
 * payload length and a CRC32C over header and payload, and the EOF marker. The layout is the one
 * {@link StreamReader} reads and {@code docs/migration-stream.md} describes.
 */
public final class StreamWriter {

    private final CountingOutput counter;
    private final DataOutputStream out;

    /** Writes to {@code channel}, which is neither flushed nor closed before {@link #flush()}. */
    public StreamWriter(WritableByteChannel channel) {
        this.counter = new CountingOutput(new BufferedOutputStream(Channels.newOutputStream(channel), 1 << 16));
        this.out = new DataOutputStream(counter);
    }

    /** Bytes written so far. */
    public long bytesWritten() {
        return counter.count;
    }

    public void writeHeader() throws IOException {
        out.writeInt(StreamFormat.MAGIC);
        out.writeInt(StreamFormat.VERSION);
    }

    public void writeConfiguration(byte[] payload) throws IOException {
        if (payload.length > StreamFormat.MAX_CONFIGURATION) {
            throw new IllegalArgumentException("configuration of " + payload.length + " bytes exceeds the limit of "
                    + StreamFormat.size(StreamFormat.MAX_CONFIGURATION));
        }
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        DataOutputStream h = new DataOutputStream(head);
        h.writeByte(StreamFormat.KIND_CONFIGURATION);
        h.writeInt(payload.length);
        writeChecksummed(head.toByteArray(), payload);
    }

    /**
     * Writes one section. START and FULL sections carry all of {@code header}; PART and END only
     * its section id.
     */
    public void writeSection(SectionType type, SectionHeader header, byte[] payload) throws IOException {
        if (payload.length > StreamFormat.MAX_PAYLOAD) {
            throw new IllegalArgumentException(header.describe() + ": payload of " + payload.length
                    + " bytes exceeds the limit of " + StreamFormat.size(StreamFormat.MAX_PAYLOAD));
        }
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        DataOutputStream h = new DataOutputStream(head);
        h.writeByte(type.code());
        h.writeInt(header.sectionId());
        if (type.namesHandler()) {
            writeName(h, header.idString());
            h.writeInt(header.instanceId());
            h.writeInt(header.version());
            writeName(h, header.label());
        }
        h.writeInt(payload.length);
        writeChecksummed(head.toByteArray(), payload);
    }

    /** Writes a command record: kind, u16 command, u16 length, payload, checksum. */
    public void writeCommand(StreamCommand command, byte[] payload) throws IOException {
        if (!command.accepts(payload.length)) {
            throw new IllegalArgumentException("command " + command + " cannot carry " + payload.length + " payload bytes");
        }
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        DataOutputStream h = new DataOutputStream(head);
        h.writeByte(StreamFormat.KIND_COMMAND);
        h.writeShort(command.code());
        h.writeShort(payload.length);
        writeChecksummed(head.toByteArray(), payload);
    }

    /** Writes bytes as they are: the records of a package, written by another writer. */
    public void writeRaw(byte[] bytes) throws IOException {
        out.write(bytes);
    }

    public void writeEof() throws IOException {
        out.writeByte(StreamFormat.KIND_EOF);
    }

    /** Pushes everything written to the channel. */
    public void flush() throws IOException {
        out.flush();
    }

    private void writeChecksummed(byte[] head, byte[] payload) throws IOException {
        CRC32C crc = new CRC32C();
        crc.update(head);
        crc.update(payload);
        out.write(head);
        out.write(payload);
        out.writeInt((int) crc.getValue());
    }

    private static void writeName(DataOutputStream h, String name) throws IOException {
        byte[] bytes = name.getBytes(StandardCharsets.UTF_8);
        h.writeByte(bytes.length); // SectionHeader keeps names within 255 bytes
        h.write(bytes);
    }

    /** Counts what passes through. */
    private static final class CountingOutput extends OutputStream {
        private final OutputStream target;
        long count;

        CountingOutput(OutputStream target) {
            this.target = target;
        }

        @Override
        public void write(int b) throws IOException {
            target.write(b);
            count++;
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            target.write(b, off, len);
            count += len;
        }

        @Override
        public void flush() throws IOException {
            target.flush();
        }
    }
}
