package org.osgemu.migration.engine;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.osgemu.api.machine.RunState;
import org.osgemu.api.migration.MigrationException;
import org.osgemu.api.migration.MigrationHandler;
import org.osgemu.api.migration.SectionOutput;
import org.osgemu.migration.stream.ReturnPath;
import org.osgemu.migration.stream.StreamCommand;
import org.osgemu.migration.stream.StreamFormat;
import org.osgemu.migration.transport.Connection;

/**
 * The source's postcopy, after {@code migrate-start-postcopy}, in QEMU's order: the machine stops
 * (finish-migrate); the RAM blocks sync once more and send what the destination must take as
 * absent (POSTCOPY_RAM_DISCARD: every page still to send); POSTCOPY_LISTEN; then a PACKAGED
 * command with the FULL sections of every other handler (clock, CPUs, devices, run state) and
 * POSTCOPY_RUN, which the destination reads whole, loads and runs (the drives are inactivated just
 * before the package goes, so that the destination can activate them before it runs). From then on the status is
 * postcopy-active and the pages left go in the background at {@code max-postcopy-bandwidth} (0: no
 * limit), while page requests from the return path go first, each page once. When every page went,
 * each block's END section and EOF follow, and the destination's SHUT completes the migration: the
 * machine is postmigrate. The downtime reported is from the stop to the package sent.
 *
 * <p>A broken connection (a write fails, the return path ends) pauses: status postcopy-paused,
 * the machine stays stopped, every page keeps its sent or unsent state, and
 * {@link OutgoingMigration#resume} connects again: status postcopy-recover, a header and
 * POSTCOPY_RESUME; the destination answers with its received bitmap (RECV_BITMAP per block) and
 * RESUME_ACK; every page it lacks is to send again; back to postcopy-active. A destination that
 * never comes back leaves the source paused for good, as in QEMU: the guest's state is split
 * between the two, and neither side alone can go on.
 */
final class PostcopySource {

    private static final System.Logger LOG = System.getLogger(PostcopySource.class.getName());
    /** Discard runs per POSTCOPY_RAM_DISCARD record (12 bytes each after the block's name). */
    private static final int RUN_BYTES = 12;

    private final OutgoingMigration m;
    private final Map<String, RamBlockHandler> blocks = new LinkedHashMap<>();
    private final Map<RamBlockHandler, SectionOutput> outputs = new LinkedHashMap<>();

    PostcopySource(OutgoingMigration migration) {
        this.m = migration;
        for (MigrationHandler h : m.handlers.live()) {
            if (h instanceof RamBlockHandler ram) {
                blocks.put(ram.blockName(), ram);
            }
        }
    }

    void run() throws IOException, MigrationException, OutgoingMigration.Cancelled {
        if (m.liveHeaders.keySet().stream().anyMatch(h -> !(h instanceof RamBlockHandler))) {
            throw new MigrationException("postcopy: a live handler other than RAM takes part (a live device cannot be postcopied)");
        }
        RunState before = m.machine.state();
        m.handlers.globalState().record(before);
        m.prepareDrives();
        m.progress.stopped();
        m.step(before, RunState.FINISH_MIGRATE);
        m.stoppedFrom = before;
        long stopped = System.nanoTime();
        m.handlers.syncRam();
        m.progress.remaining(pendingBytes());
        sendDiscards();
        m.sink.command(StreamCommand.POSTCOPY_LISTEN, new byte[0]);
        byte[] pkg = devicePackage();
        m.inactivateDrives();
        m.sink.command(StreamCommand.PACKAGED, ByteBuffer.allocate(4).putInt(pkg.length).array());
        m.sink.raw(pkg);
        m.sink.flush();
        // the destination may run from here on: there is no way back to running here
        m.stoppedFrom = null;
        m.progress.downtimeEnded();
        m.progress.postcopyStarted();
        LOG.log(Level.DEBUG, () -> String.format("machine %s: postcopy started: %d page(s) left, package of %d bytes, %d ms after the stop",
                m.machine.name(), pendingBytes() / org.osgemu.api.memory.RamBlock.PAGE_SIZE, pkg.length,
                (System.nanoTime() - stopped) / 1_000_000));
        m.status(MigrationStatus.POSTCOPY_ACTIVE);
        while (true) {
            try {
                pushPages();
                finish();
                break;
            } catch (IOException | MigrationException broken) {
                if (m.cancelRequested) {
                    throw new OutgoingMigration.Cancelled();
                }
                pause(m.reason(broken));
            }
        }
        m.connection.commit();
        m.progress.completed();
        m.step(RunState.FINISH_MIGRATE, RunState.POSTMIGRATE);
    }

    private long pendingBytes() {
        return blocks.values().stream().mapToLong(RamBlockHandler::pagesToSend).sum() * org.osgemu.api.memory.RamBlock.PAGE_SIZE;
    }

    /** POSTCOPY_RAM_DISCARD records: each block's pages still to send, as runs. */
    private void sendDiscards() throws IOException {
        for (RamBlockHandler ram : blocks.values()) {
            byte[] name = ram.blockName().getBytes(StandardCharsets.UTF_8);
            int perRecord = (StreamFormat.MAX_COMMAND_PAYLOAD - 1 - name.length) / RUN_BYTES;
            List<long[]> runs = ram.discardRuns();
            for (int i = 0; i < runs.size(); i += perRecord) {
                List<long[]> part = runs.subList(i, Math.min(runs.size(), i + perRecord));
                ByteBuffer b = ByteBuffer.allocate(1 + name.length + part.size() * RUN_BYTES);
                b.put((byte) name.length).put(name);
                for (long[] run : part) {
                    b.putLong(run[0] * org.osgemu.api.memory.RamBlock.PAGE_SIZE).putInt((int) run[1]);
                }
                m.sink.command(StreamCommand.POSTCOPY_RAM_DISCARD, b.array());
            }
        }
    }

    /** The FULL sections of every handler that is not live, then POSTCOPY_RUN, as one package. */
    private byte[] devicePackage() throws IOException, MigrationException {
        StreamSink pkg = m.sink.openPackage();
        for (MigrationHandler h : m.handlers.saved()) {
            if (!h.isLive()) {
                StreamSink.FullOutput out = pkg.full(pkg.newHeader(h));
                m.save(h, "save", () -> h.complete(out));
                out.finish(h);
            }
        }
        pkg.command(StreamCommand.POSTCOPY_RUN, new byte[0]);
        byte[] bytes = m.sink.closePackage(pkg);
        if (bytes.length > StreamFormat.MAX_PACKAGE) {
            throw new MigrationException("postcopy: the device state takes " + bytes.length + " bytes, more than a package holds ("
                    + StreamFormat.size(StreamFormat.MAX_PACKAGE) + ")");
        }
        return bytes;
    }

    /** Sends every page left: requested ones first, the others in the background under the postcopy bandwidth. */
    private void pushPages() throws IOException, MigrationException, OutgoingMigration.Cancelled {
        outputs.clear();
        for (RamBlockHandler ram : blocks.values()) {
            outputs.put(ram, m.sink.parts(m.liveHeaders.get(ram)));
        }
        RateLimiter limiter = new RateLimiter(() -> m.parameters.get().maxPostcopyBandwidth(), System::nanoTime);
        while (pendingBytes() > 0) {
            m.checkAlive();
            if (serveRequests()) {
                continue;
            }
            if (limiter.exceeded(m.sink.bytesWritten())) {
                m.sink.flush();
                m.awaitUntil(limiter.untilWindowEnd(), this::requestWaiting);
            } else {
                for (Map.Entry<RamBlockHandler, SectionOutput> e : outputs.entrySet()) {
                    if (e.getKey().pagesToSend() > 0) {
                        m.save(e.getKey(), "send", () -> e.getKey().iterate(e.getValue()));
                        break;
                    }
                }
                m.sink.flush();
            }
            limiter.roll(m.sink.bytesWritten());
            m.progress.remaining(pendingBytes());
        }
        serveRequests(); // late requests for pages in flight need nothing, but are counted
        m.progress.remaining(0);
    }

    private boolean requestWaiting() {
        SourceReturnPath rp = m.returnPath;
        return rp != null && rp.hasRequest();
    }

    /** Sends the pages asked for, at once and whatever the bandwidth limit; true when there were any. */
    private boolean serveRequests() throws IOException, MigrationException {
        SourceReturnPath rp = m.returnPath;
        boolean any = false;
        ReturnPath.PageRequest r;
        while (rp != null && (r = rp.nextRequest()) != null) {
            any = true;
            RamBlockHandler ram = blocks.get(r.block());
            if (ram == null) {
                throw new MigrationException("return path: a page request for RAM block '" + r.block() + "', which this machine lacks");
            }
            if (Long.compareUnsigned(r.offset(), ram.size()) >= 0 || r.length() > ram.size()) {
                throw new MigrationException(String.format("return path: a page request at 0x%x (+0x%x) beyond RAM block %s of 0x%x bytes",
                        r.offset(), r.length(), r.block(), ram.size()));
            }
            ReturnPath.PageRequest request = r;
            m.save(ram, "send a requested page", () -> ram.sendRequested(outputs.get(ram), request.offset(), request.length()));
        }
        if (any) {
            m.sink.flush();
        }
        return any;
    }

    /** Every block's END section, EOF, and the destination's SHUT. */
    private void finish() throws IOException, MigrationException, OutgoingMigration.Cancelled {
        for (RamBlockHandler ram : blocks.values()) {
            m.sink.complete(m.liveHeaders.get(ram)).finish();
        }
        m.sink.eof();
        m.sink.flush();
        SourceReturnPath rp = m.returnPath;
        m.awaitUntil(Long.MAX_VALUE, () -> rp.shutWithError() != null);
        if (Boolean.TRUE.equals(rp.shutWithError())) {
            throw new MigrationException("the destination could not load the end of the stream (it ended the return path with an error)");
        }
    }

    /**
     * The connection broke: postcopy-paused until {@code migrate ... resume} brings a new one on
     * which the destination says what it has; a failed attempt pauses again.
     */
    private void pause(String why) throws OutgoingMigration.Cancelled {
        LOG.log(Level.WARNING, "machine " + m.machine.name() + ": postcopy paused: " + why);
        m.closeConnection();
        m.status(MigrationStatus.POSTCOPY_PAUSED);
        while (true) {
            OutgoingMigration.Opener opener = awaitResume();
            m.resumeOpener = null;
            m.status(MigrationStatus.POSTCOPY_RECOVER);
            try {
                reconnect(opener);
                m.status(MigrationStatus.POSTCOPY_ACTIVE);
                return;
            } catch (IOException | MigrationException e) {
                if (m.cancelRequested) {
                    throw new OutgoingMigration.Cancelled();
                }
                LOG.log(Level.WARNING, "machine " + m.machine.name() + ": postcopy recovery failed: " + m.reason(e));
                m.closeConnection();
                m.status(MigrationStatus.POSTCOPY_PAUSED);
            }
        }
    }

    private OutgoingMigration.Opener awaitResume() throws OutgoingMigration.Cancelled {
        while (true) {
            if (m.cancelRequested) {
                throw new OutgoingMigration.Cancelled();
            }
            OutgoingMigration.Opener opener = m.resumeOpener;
            if (opener != null) {
                return opener;
            }
            m.sleepUntilWoken(1_000);
        }
    }

    /** A new connection: header, POSTCOPY_RESUME; the destination's bitmaps decide what is left to send. */
    private void reconnect(OutgoingMigration.Opener opener) throws IOException, MigrationException, OutgoingMigration.Cancelled {
        Connection c = opener.open();
        m.connection = c;
        if (!c.hasReturnPath()) {
            throw new MigrationException("postcopy recovery needs a socket (tcp: or unix:); " + c + " has no way back");
        }
        m.sink = new StreamSink(c.output(), m.progress.transferred);
        m.sink.resumeHeader();
        m.sink.command(StreamCommand.POSTCOPY_RESUME, new byte[0]);
        m.sink.flush();
        SourceReturnPath rp = new SourceReturnPath(c.returnPathInput(), m::wake, m.machine.name(), m.progress.postcopyRequests);
        rp.allowPostcopy();
        m.returnPath = rp;
        rp.start();
        m.awaitUntil(Long.MAX_VALUE, rp::resumeAcked);
        for (RamBlockHandler ram : blocks.values()) {
            long[] present = new long[ram.bitmapWords()];
            for (ReturnPath.ReceivedBitmap part : rp.bitmaps(ram.blockName())) {
                ByteBuffer bits = ByteBuffer.wrap(part.bits()).order(java.nio.ByteOrder.LITTLE_ENDIAN);
                if (part.firstPage() % 64 != 0 || part.bits().length % 8 != 0) {
                    throw new MigrationException("return path: RECV_BITMAP of block " + ram.blockName() + " from page "
                            + part.firstPage() + " is not aligned to 64 pages");
                }
                for (int w = (int) (part.firstPage() / 64); bits.hasRemaining() && w < present.length; w++) {
                    present[w] = bits.getLong();
                }
            }
            ram.resumeFrom(present);
        }
        m.progress.remaining(pendingBytes());
        LOG.log(Level.DEBUG, () -> "machine " + m.machine.name() + ": postcopy resumed on " + c + ", "
                + pendingBytes() / org.osgemu.api.memory.RamBlock.PAGE_SIZE + " page(s) left");
    }
}
