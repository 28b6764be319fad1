package org.osgemu.migration.engine;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.channels.WritableByteChannel;
import java.util.LinkedHashMap;
import java.util.Map;

import org.osgemu.api.migration.MigrationException;
import org.osgemu.api.migration.MigrationHandler;
import org.osgemu.api.migration.SectionOutput;
import org.osgemu.api.migration.SectionType;
import org.osgemu.migration.stream.MachineLayout;
import org.osgemu.migration.stream.SectionHeader;
import org.osgemu.migration.stream.StreamFormat;
import org.osgemu.migration.stream.StreamWriter;

/**
 * Writes a stop-and-copy stream of a stopped machine, in QEMU's order: header, configuration,
 * the START sections of the live handlers (setup), their remaining PART sections and END
 * (complete), one FULL section per other handler, the EOF marker. Section ids are given in order
 * of first appearance. Live precopy will add iterations between setup and complete.
 */
public final class SnapshotWriter {

    private static final System.Logger LOG = System.getLogger(SnapshotWriter.class.getName());

    /** A handler's work in one phase. */
    @FunctionalInterface
    private interface Phase {
        void run() throws IOException, MigrationException;
    }

    private final HandlerSet handlers;
    private final MachineLayout layout;
    private StreamWriter out;
    private int nextSectionId;

    public SnapshotWriter(HandlerSet handlers, MachineLayout layout) {
        this.handlers = handlers;
        this.layout = layout;
    }

    /**
     * Writes the whole stream to {@code channel} and flushes it; returns its length in bytes.
     *
     * @throws MigrationException when a handler cannot save, naming its section
     * @throws IOException when the channel fails
     */
    public long write(WritableByteChannel channel) throws MigrationException, IOException {
        out = new StreamWriter(channel);
        try {
            out.writeHeader();
            out.writeConfiguration(layout.encode());
            Map<MigrationHandler, SectionHeader> live = new LinkedHashMap<>();
            for (MigrationHandler h : handlers.ordered()) {
                if (h.isLive()) {
                    SectionHeader header = newHeader(h);
                    live.put(h, header);
                    SetupOutput setup = new SetupOutput(header);
                    run(h, "set up", () -> h.setup(setup));
                    setup.finish();
                }
            }
            for (Map.Entry<MigrationHandler, SectionHeader> entry : live.entrySet()) {
                MigrationHandler h = entry.getKey();
                LiveCompleteOutput complete = new LiveCompleteOutput(entry.getValue());
                run(h, "save", () -> h.complete(complete));
                complete.finish();
            }
            for (MigrationHandler h : handlers.ordered()) {
                if (!h.isLive()) {
                    FullOutput full = new FullOutput(newHeader(h));
                    run(h, "save", () -> h.complete(full));
                    full.finish(h);
                }
            }
            out.writeEof();
            out.flush();
            return out.bytesWritten();
        } finally {
            for (MigrationHandler h : handlers.ordered()) {
                try {
                    h.cleanup();
                } catch (RuntimeException e) {
                    LOG.log(Level.WARNING, HandlerSet.describe(h) + ": cleanup after saving failed", e);
                }
            }
        }
    }

    private SectionHeader newHeader(MigrationHandler h) {
        return new SectionHeader(nextSectionId++, h.idString(), h.instanceId(), h.version(), h.label());
    }

    private static void run(MigrationHandler h, String what, Phase phase) throws IOException, MigrationException {
        try {
            phase.run();
        } catch (MigrationException e) {
            throw new MigrationException(HandlerSet.describe(h) + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            throw new MigrationException(HandlerSet.describe(h) + ": cannot " + what + ": " + e, e);
        }
    }

    /** Takes payloads up to the stream's limit. */
    private abstract class LimitedOutput implements SectionOutput {
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
            accept(payload.clone());
        }

        abstract void accept(byte[] payload) throws IOException;
    }

    /** Setup: the first payload is the START section, any later one a PART; none sends an empty START. */
    private final class SetupOutput extends LimitedOutput {
        private boolean started;

        SetupOutput(SectionHeader header) {
            super(header);
        }

        @Override
        void accept(byte[] payload) throws IOException {
            out.writeSection(started ? SectionType.PART : SectionType.START, header, payload);
            started = true;
        }

        void finish() throws IOException {
            if (!started) {
                accept(new byte[0]);
            }
        }
    }

    /** Completion of a live handler: every payload a PART but the last, which is the END (empty if none). */
    private final class LiveCompleteOutput extends LimitedOutput {
        private byte[] held;

        LiveCompleteOutput(SectionHeader header) {
            super(header);
        }

        @Override
        void accept(byte[] payload) throws IOException {
            if (held != null) {
                out.writeSection(SectionType.PART, header, held);
            }
            held = payload;
        }

        void finish() throws IOException {
            out.writeSection(SectionType.END, header, held == null ? new byte[0] : held);
        }
    }

    /** A handler that is not live: exactly one payload, the FULL section. */
    private final class FullOutput extends LimitedOutput {
        private boolean sent;

        FullOutput(SectionHeader header) {
            super(header);
        }

        @Override
        void accept(byte[] payload) throws IOException {
            if (sent) {
                throw new IllegalStateException("sent a second payload; a handler that is not live sends one FULL section");
            }
            out.writeSection(SectionType.FULL, header, payload);
            sent = true;
        }

        void finish(MigrationHandler h) throws MigrationException {
            if (!sent) {
                throw new MigrationException(HandlerSet.describe(h) + ": sent nothing; a handler that is not live sends one FULL section");
            }
        }
    }
}
