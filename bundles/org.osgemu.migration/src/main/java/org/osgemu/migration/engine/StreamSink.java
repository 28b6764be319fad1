package org.osgemu.migration.engine;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.channels.Channels;
import java.nio.channels.WritableByteChannel;
import java.util.concurrent.atomic.AtomicLong;

import org.osgemu.api.migration.MigrationException;
import org.osgemu.api.migration.MigrationHandler;
import org.osgemu.api.migration.SectionOutput;
import org.osgemu.api.migration.SectionType;
import org.osgemu.migration.stream.SectionHeader;
import org.osgemu.migration.stream.StreamCommand;
import org.osgemu.migration.stream.StreamFormat;
import org.osgemu.migration.stream.StreamWriter;

/**
 * The saving side of a stream: numbers the sections in order of first appearance and gives each
 * handler phase its {@link SectionOutput}, which turns payloads into sections of the right type.
 * Used by one thread. Every byte written is added to {@code transferred}.
 */
final class StreamSink {

    private final StreamWriter out;
    private final AtomicLong transferred;
    /** What {@code transferred} held when this sink began (a resumed connection counts on). */
    private final long base;
    private int nextSectionId;
    /** For a package's sink: the bytes it wrote. */
    private ByteArrayOutputStream packageBytes;

    StreamSink(WritableByteChannel channel, AtomicLong transferred) {
        this.out = new StreamWriter(channel);
        this.transferred = transferred;
        this.base = transferred.get();
    }

    /**
     * A sink for a package (PACKAGED): its sections are numbered on from this stream's; its bytes
     * go nowhere until {@link #closePackage} hands them over.
     */
    StreamSink openPackage() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        StreamSink p = new StreamSink(Channels.newChannel(bytes), new AtomicLong());
        p.nextSectionId = nextSectionId;
        p.packageBytes = bytes;
        return p;
    }

    /** The bytes of {@code p}, whose section numbers count in this stream from now on. */
    byte[] closePackage(StreamSink p) throws IOException {
        p.flush();
        nextSectionId = p.nextSectionId;
        return p.packageBytes.toByteArray();
    }

    /** Writes a package's bytes after its PACKAGED command. */
    void raw(byte[] bytes) throws IOException {
        out.writeRaw(bytes);
        count();
    }

    /** A resumed postcopy connection begins with the header alone (the configuration was checked before). */
    void resumeHeader() throws IOException {
        out.writeHeader();
        count();
    }

    long bytesWritten() {
        return out.bytesWritten();
    }

    void start(byte[] configuration) throws IOException {
        out.writeHeader();
        out.writeConfiguration(configuration);
        count();
    }

    void command(StreamCommand command, byte[] payload) throws IOException {
        out.writeCommand(command, payload);
        count();
    }

    void eof() throws IOException {
        out.writeEof();
        count();
    }

    void flush() throws IOException {
        out.flush();
    }

    SectionHeader newHeader(MigrationHandler h) {
        return new SectionHeader(nextSectionId++, h.idString(), h.instanceId(), h.version(), h.label());
    }

    private void write(SectionType type, SectionHeader header, byte[] payload) throws IOException {
        out.writeSection(type, header, payload);
        count();
    }

    private void count() {
        transferred.set(base + out.bytesWritten());
    }

    /** Setup of a live handler: the first payload is the START section, later ones PART; none sends an empty START. */
    SetupOutput setup(SectionHeader header) {
        return new SetupOutput(header);
    }

    /** Iteration of a live handler: every payload a PART section. */
    SectionOutput parts(SectionHeader header) {
        return new LimitedOutput(header) {
            @Override
            void accept(byte[] payload) throws IOException {
                write(SectionType.PART, header, payload);
            }
        };
    }

    /** Completion of a live handler: every payload a PART but the last, which is the END (empty if none). */
    LiveCompleteOutput complete(SectionHeader header) {
        return new LiveCompleteOutput(header);
    }

    /** A handler that is not live: exactly one payload, the FULL section. */
    FullOutput full(SectionHeader header) {
        return new FullOutput(header);
    }

    /** Takes payloads up to the stream's limit. */
    private abstract static class LimitedOutput implements SectionOutput {
        final SectionHeader header;

        LimitedOutput(SectionHeader header) {
            this.header = header;
        }

        @Override
        public int maxPayload() {
            return StreamFormat.MAX_PAYLOAD;
        }

        @Override
        public final void send(byte[] payload) throws IOException {
            if (payload.length > StreamFormat.MAX_PAYLOAD) {
                throw new IllegalArgumentException("a payload of " + payload.length + " bytes exceeds the limit of "
                        + StreamFormat.size(StreamFormat.MAX_PAYLOAD) + " per section");
            }
            accept(payload);
        }

        /** Takes a payload the handler may reuse once this returns: written at once, or copied when held back. */
        abstract void accept(byte[] payload) throws IOException;
    }

    final class SetupOutput extends LimitedOutput {
        private boolean started;

        SetupOutput(SectionHeader header) {
            super(header);
        }

        @Override
        void accept(byte[] payload) throws IOException {
            write(started ? SectionType.PART : SectionType.START, header, payload);
            started = true;
        }

        void finish() throws IOException {
            if (!started) {
                accept(new byte[0]);
            }
        }
    }

    final class LiveCompleteOutput extends LimitedOutput {
        private byte[] held;

        LiveCompleteOutput(SectionHeader header) {
            super(header);
        }

        @Override
        void accept(byte[] payload) throws IOException {
            if (held != null) {
                write(SectionType.PART, header, held);
            }
            // the handler may reuse its buffer: keep a copy, in the same array when the size is
            // the same (a RAM block's full chunks), so the downtime allocates no garbage per section
            if (held != null && held.length == payload.length) {
                System.arraycopy(payload, 0, held, 0, payload.length);
            } else {
                held = payload.clone();
            }
        }

        void finish() throws IOException {
            write(SectionType.END, header, held == null ? new byte[0] : held);
        }
    }

    final class FullOutput extends LimitedOutput {
        private boolean sent;

        FullOutput(SectionHeader header) {
            super(header);
        }

        @Override
        void accept(byte[] payload) throws IOException {
            if (sent) {
                throw new IllegalStateException("sent a second payload; a handler that is not live sends one FULL section");
            }
            write(SectionType.FULL, header, payload);
            sent = true;
        }

        void finish(MigrationHandler h) throws MigrationException {
            if (!sent) {
                throw new MigrationException(HandlerSet.describe(h) + ": sent nothing; a handler that is not live sends one FULL section");
            }
        }
    }
}
