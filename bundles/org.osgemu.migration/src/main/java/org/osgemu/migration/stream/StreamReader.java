package org.osgemu.migration.stream;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

import org.osgemu.api.migration.MigrationException;
import org.osgemu.api.migration.SectionType;

/**
 * Reads a migration stream record by record and checks its framing: the header, the one
 * configuration section, each section's checksum, the numbering of sections and the order of
 * START, PART and END. What the sections mean (which handler, which version) is the loader's
 * business. Every refusal names where it happened: the section, or the record after which the
 * stream went wrong, and for a truncated stream how far it got.
 */
public final class StreamReader {

    /** A record after the configuration: a section or a command. */
    public sealed interface StreamRecord permits RawSection, RawCommand {
    }

    /** One section whose framing and checksum are verified. */
    public record RawSection(SectionType type, SectionHeader header, ByteBuffer payload, long offset) implements StreamRecord {

        /** How messages name the section. */
        public String describe() {
            return header.describe();
        }
    }

    /** A command whose framing, length and checksum are verified. */
    public record RawCommand(StreamCommand command, ByteBuffer payload, long offset) implements StreamRecord {
    }

    /** What a START section opened, and whether its END came. */
    private static final class LiveSection {
        final SectionHeader header;
        boolean ended;

        LiveSection(SectionHeader header) {
            this.header = header;
        }
    }

    private StreamInput in;
    private final Map<Integer, LiveSection> live;
    /** The reader of the stream a package came in, which takes over its numbering at the package's end; else null. */
    private final StreamReader outer;
    private int nextSectionId;
    /** The last record read completely, for messages about what follows it. */
    private String lastRecord = "the stream header";

    public StreamReader(ReadableByteChannel channel) {
        this.in = new StreamInput(channel);
        this.live = new HashMap<>();
        this.outer = null;
    }

    private StreamReader(byte[] packageBytes, StreamReader outer) {
        this.in = new StreamInput(java.nio.channels.Channels.newChannel(new java.io.ByteArrayInputStream(packageBytes)));
        this.live = outer.live;
        this.outer = outer;
        this.nextSectionId = outer.nextSectionId;
        this.lastRecord = "the start of a package (after " + outer.lastRecord + ")";
    }

    /**
     * After a PACKAGED command: reads its {@code length} bytes whole and returns a reader of the
     * records in them, numbered on from this stream's sections; its {@link #next()} returns null
     * at the package's end.
     */
    public StreamReader readPackage(int length) throws MigrationException, IOException {
        if (length < 0 || length > StreamFormat.MAX_PACKAGE) {
            throw new MigrationException("command PACKAGED: a package of " + Integer.toUnsignedString(length)
                    + " bytes exceeds the limit of " + StreamFormat.size(StreamFormat.MAX_PACKAGE));
        }
        try {
            byte[] bytes = in.readBytes(length);
            return new StreamReader(bytes, this);
        } catch (StreamInput.Truncated e) {
            throw new MigrationException("stream truncated in a package after " + e.got + " of its " + length + " bytes");
        }
    }

    /**
     * Postcopy recovery: goes on reading from {@code channel}, a new connection that starts with
     * a header, keeping which sections are open and how they are numbered.
     */
    public void continueOn(ReadableByteChannel channel) {
        this.in = new StreamInput(channel);
        this.lastRecord = "the header of a resumed connection";
    }

    /** Bytes read so far. */
    public long offset() {
        return in.offset();
    }

    /** Where reading got to, for messages: {@code after section 'ram' (block ...), at stream offset N}. */
    public String where() {
        return "after " + lastRecord + ", at stream offset " + in.offset();
    }

    /** Reads and checks the magic number and the format version; returns the version. */
    public int readHeader() throws MigrationException, IOException {
        try {
            int magic = in.readInt();
            if (magic != StreamFormat.MAGIC) {
                throw new MigrationException(String.format(
                        "not an osgemu migration stream: it begins with 0x%08x, not 0x%08x (\"OSGM\")", magic, StreamFormat.MAGIC));
            }
            int version = in.readInt();
            if (version < StreamFormat.OLDEST_READABLE_VERSION || version > StreamFormat.VERSION) {
                throw new MigrationException("stream format version " + Integer.toUnsignedString(version)
                        + ", this build reads versions " + StreamFormat.OLDEST_READABLE_VERSION + " to " + StreamFormat.VERSION);
            }
            return version;
        } catch (StreamInput.Truncated e) {
            throw new MigrationException("stream truncated in its header after " + in.offset()
                    + " bytes: not an osgemu migration stream");
        }
    }

    /** Reads the configuration section, which must come right after the header; returns its payload. */
    public ByteBuffer readConfiguration() throws MigrationException, IOException {
        in.restartChecksum();
        long start = in.offset();
        int length = 0;
        try {
            int kind = in.readU8();
            if (kind != StreamFormat.KIND_CONFIGURATION) {
                throw new MigrationException(String.format(
                        "configuration: missing; the stream has record kind 0x%02x at offset %d where it belongs", kind, start));
            }
            length = in.readInt();
            if (length < 0 || length > StreamFormat.MAX_CONFIGURATION) {
                throw new MigrationException("configuration: length " + Integer.toUnsignedString(length)
                        + " exceeds the limit of " + StreamFormat.size(StreamFormat.MAX_CONFIGURATION) + " (corrupt stream?)");
            }
            byte[] payload = in.readBytes(length);
            verifyChecksum("configuration");
            lastRecord = "the configuration section";
            return ByteBuffer.wrap(payload).asReadOnlyBuffer();
        } catch (StreamInput.Truncated e) {
            throw new MigrationException("stream truncated in the configuration section after "
                    + (in.offset() - start) + " bytes" + (length > 0 ? " of its " + length + "-byte payload and checksum" : ""));
        }
    }

    /** The next section or command, or null at the EOF marker. */
    public StreamRecord next() throws MigrationException, IOException {
        long start = in.offset();
        in.restartChecksum();
        int kind = in.readU8OrEnd();
        if (kind < 0 && outer != null) {
            outer.nextSectionId = nextSectionId; // the package ended: its sections count in the stream
            return null;
        }
        if (kind < 0) {
            throw new MigrationException("stream truncated after " + lastRecord + ": no EOF marker");
        }
        if (kind == StreamFormat.KIND_EOF && outer != null) {
            throw new MigrationException("an EOF marker inside a package (after " + lastRecord + ")");
        }
        if (kind == StreamFormat.KIND_EOF) {
            return null;
        }
        if (kind == StreamFormat.KIND_COMMAND) {
            return command(start);
        }
        SectionType type = SectionType.ofCode(kind);
        if (type == null) {
            throw new MigrationException(String.format("unknown record kind 0x%02x at stream offset %d (after %s)",
                    kind, start, lastRecord));
        }
        String where = "a " + type + " section at stream offset " + start + " (after " + lastRecord + ")";
        SectionHeader header;
        try {
            header = type.namesHandler() ? readNamingHeader(where) : headerOfOpenSection(in.readInt(), type, where);
        } catch (StreamInput.Truncated e) {
            throw new MigrationException("stream truncated in the header of " + where);
        }
        String name = header.describe();
        int length = 0;
        try {
            length = in.readInt();
            if (length < 0 || length > StreamFormat.MAX_PAYLOAD) {
                throw new MigrationException(name + ": payload length " + Integer.toUnsignedString(length)
                        + " exceeds the limit of " + StreamFormat.size(StreamFormat.MAX_PAYLOAD) + " (corrupt stream?)");
            }
        } catch (StreamInput.Truncated e) {
            throw new MigrationException("stream truncated in the header of " + name);
        }
        byte[] payload;
        try {
            payload = in.readBytes(length);
        } catch (StreamInput.Truncated e) {
            throw new MigrationException("stream truncated in " + name + " after " + e.got + " of its " + length + " payload bytes");
        }
        verifyChecksum(name);
        checkOrder(type, header, name);
        lastRecord = name;
        return new RawSection(type, header, ByteBuffer.wrap(payload).asReadOnlyBuffer(), start);
    }

    private RawCommand command(long start) throws MigrationException, IOException {
        String where = "a command at stream offset " + start + " (after " + lastRecord + ")";
        int code;
        int length;
        try {
            code = in.readU16();
            length = in.readU16();
        } catch (StreamInput.Truncated e) {
            throw new MigrationException("stream truncated in the header of " + where);
        }
        StreamCommand command = StreamCommand.ofCode(code);
        if (command == null) {
            throw new MigrationException(String.format("%s: unknown command 0x%04x (this build knows %s)", where, code,
                    java.util.Arrays.toString(StreamCommand.values())));
        }
        String name = "command " + command;
        if (!command.accepts(length)) {
            throw new MigrationException(name + " at stream offset " + start + ": field length is " + length
                    + (command.length() >= 0 ? ", the command always has " + command.length()
                    : ", more than " + StreamFormat.MAX_COMMAND_PAYLOAD));
        }
        byte[] payload;
        try {
            payload = in.readBytes(length);
        } catch (StreamInput.Truncated e) {
            throw new MigrationException("stream truncated in " + name + " after " + e.got + " of its " + length + " payload bytes");
        }
        verifyChecksum(name);
        lastRecord = name;
        return new RawCommand(command, ByteBuffer.wrap(payload).asReadOnlyBuffer(), start);
    }

    /**
     * After the EOF marker of a stream that must end there (a file): refuses anything that follows,
     * which would be a stream written over a longer one, or two streams run together.
     */
    public void expectEnd() throws MigrationException, IOException {
        long eofAt = in.offset() - 1;
        long extra = in.skipToEnd(1L << 40);
        if (extra > 0) {
            throw new MigrationException(extra + " byte(s) follow the EOF marker at offset " + eofAt
                    + " (a longer stream overwritten, or two streams run together?)");
        }
    }

    private SectionHeader readNamingHeader(String where) throws IOException, StreamInput.Truncated, MigrationException {
        int sectionId = in.readInt();
        int idLength = in.readU8();
        if (idLength == 0) {
            throw new MigrationException(where + ": the id string is empty");
        }
        String idString = new String(in.readBytes(idLength), StandardCharsets.UTF_8);
        int instanceId = in.readInt();
        int version = in.readInt();
        String label = new String(in.readBytes(in.readU8()), StandardCharsets.UTF_8);
        try {
            return new SectionHeader(sectionId, idString, instanceId, version, label);
        } catch (IllegalArgumentException e) {
            throw new MigrationException(where + ": " + e.getMessage());
        }
    }

    /** The START header a PART or END continues; checked against the checksum before it is trusted. */
    private SectionHeader headerOfOpenSection(int sectionId, SectionType type, String where) throws MigrationException {
        LiveSection section = live.get(sectionId);
        if (section == null) {
            throw new MigrationException(where + ": continues section id " + Integer.toUnsignedString(sectionId)
                    + ", which no START section opened (corrupt stream?)");
        }
        return section.header;
    }

    private void verifyChecksum(String name) throws IOException, MigrationException {
        int computed = in.checksum();
        int stored;
        try {
            stored = in.readIntUnchecked();
        } catch (StreamInput.Truncated e) {
            throw new MigrationException("stream truncated in " + name + ": its checksum is missing");
        }
        if (stored != computed) {
            throw new MigrationException(String.format("%s: checksum mismatch (the stream says 0x%08x, its bytes give 0x%08x)",
                    name, stored, computed));
        }
    }

    private void checkOrder(SectionType type, SectionHeader header, String name) throws MigrationException {
        if (type.namesHandler()) {
            if (header.sectionId() != nextSectionId) {
                throw new MigrationException(name + ": section id " + Integer.toUnsignedString(header.sectionId())
                        + ", expected " + nextSectionId + " (sections are numbered in order of appearance)");
            }
            nextSectionId++;
            if (type == SectionType.START) {
                live.put(header.sectionId(), new LiveSection(header));
            }
            return;
        }
        LiveSection section = live.get(header.sectionId());
        if (section.ended) {
            throw new MigrationException(name + ": a " + type + " section after its END section");
        }
        section.ended = type == SectionType.END;
    }
}
