package org.osgemu.migration.engine;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

import org.osgemu.api.block.BlockBackend;
import org.osgemu.api.machine.MachineControl;
import org.osgemu.api.machine.RunState;
import org.osgemu.api.migration.MigrationException;
import org.osgemu.api.migration.MigrationHandler;
import org.osgemu.api.migration.SectionOutput;
import org.osgemu.migration.stream.MachineLayout;
import org.osgemu.migration.stream.SectionHeader;
import org.osgemu.migration.stream.StreamCommand;
import org.osgemu.migration.transport.Connection;
import org.osgemu.migration.transport.Transports;

/**
 * One outgoing migration, run by {@link #run()} on a thread of its own (never a vCPU's), in
 * QEMU's order: connect; header and configuration; with {@code return-path}, OPEN_RETURN_PATH and
 * a PING; the live handlers' setup (START sections; the RAM blocks take every page as dirty: pass
 * 1); then, while the machine runs, precopy: the live handlers send what is dirty under the
 * bandwidth limit, and whenever the pending estimate fits what the link carries within the
 * downtime limit, the dirty bitmaps are synced (a pass) and the exact amount decides. Once it fits
 * and, with {@code switchover-ack}, the destination acknowledged, the machine stops
 * (finish-migrate), the live handlers send the rest (END sections) and every other handler its
 * FULL section (clock, CPUs, devices, the run state it had), then EOF. With a return path the
 * migration is complete when the destination says it loaded the stream (SHUT); the machine is
 * then postmigrate.
 *
 * <p>Drives ({@link BlockDrives}): a live migration flushes and inactivates the machine's block
 * backends once the stopped machine's devices are saved, before EOF (in postcopy, before the
 * package that starts the destination), so that the destination, which activates them when it has
 * the whole state, finds the images let go. A failure after that activates them again before the
 * machine goes back; when one cannot be (the destination took it), the machine stays paused rather
 * than run with a disk another process writes. A snapshot to a file flushes them at the same point
 * and keeps them ({@link BlockDrives#flushOnly()}).
 *
 * <p>A machine that does not run when the migration starts is saved at once: no precopy.
 *
 * <p>Postcopy (capability {@code postcopy-ram}, which also opens the return path and sends
 * POSTCOPY_ADVISE after setup): {@link #startPostcopy()} makes the next precopy iteration hand
 * over to {@link PostcopySource}, which stops the machine, starts the destination early and sends
 * the rest of RAM while the destination runs.
 *
 * <p>Failure (the connection breaks, the destination dies or refuses the stream, a handler cannot
 * save) and {@link #cancel()}: the connection is closed, the machine goes back to the state it had
 * before the switchover (running again if it ran), the vCPU throttle ends, and the status is
 * failed (with the reason) or cancelled.
 */
public final class OutgoingMigration implements Runnable {

    private static final System.Logger LOG = System.getLogger(OutgoingMigration.class.getName());

    /** Told about status changes and dirty-bitmap passes, on the migration's thread. */
    public interface Listener {
        void status(MigrationStatus status);

        void pass(long number);
    }

    /** Opens the connection on the migration's thread (connecting may take a while). */
    @FunctionalInterface
    public interface Opener {
        Connection open() throws MigrationException;
    }

    /** The migration was cancelled; not an error. */
    static final class Cancelled extends Exception {
        private static final long serialVersionUID = 1L;

        Cancelled() {
            super(null, null, false, false);
        }
    }

    final MachineControl machine;
    final HandlerSet handlers;
    private final Opener opener;
    private final Set<Capability> capabilities;
    final Supplier<MigrationParameters> parameters;
    final MigrationProgress progress;
    private final Listener listener;
    private final BlockDrives drives;
    /** The drives this migration inactivated: a failure activates them again. */
    private final List<BlockBackend> inactivatedDrives = new ArrayList<>();
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition wakeUp = lock.newCondition();
    final Map<MigrationHandler, SectionHeader> liveHeaders = new LinkedHashMap<>();
    volatile boolean cancelRequested;
    private volatile boolean continueRequested;
    /** migrate-start-postcopy was asked: the next iteration switches to postcopy. */
    volatile boolean postcopyRequested;
    /** migrate with resume: how to reach the destination again, taken by the paused postcopy. */
    volatile Opener resumeOpener;
    volatile Connection connection;
    volatile SourceReturnPath returnPath;
    /** The thread in {@link #run()}: a cancel interrupts a connect that may take long. */
    private volatile Thread runner;
    StreamSink sink;
    RunState stoppedFrom;
    private AutoConverge autoConverge;
    private long lastSyncNanos;
    private long dirtyPagesRate;
    final PhaseTrace trace;

    /** A migration that touches no drive. */
    public OutgoingMigration(MachineControl machine, HandlerSet handlers, Opener opener, Set<Capability> capabilities,
                             Supplier<MigrationParameters> parameters, MigrationProgress progress, Listener listener) {
        this(machine, handlers, opener, capabilities, parameters, progress, listener, BlockDrives.NONE);
    }

    /** @param drives the drives a live migration hands over to the destination, or a snapshot flushes ({@link BlockDrives#flushOnly()}) */
    public OutgoingMigration(MachineControl machine, HandlerSet handlers, Opener opener, Set<Capability> capabilities,
                             Supplier<MigrationParameters> parameters, MigrationProgress progress, Listener listener,
                             BlockDrives drives) {
        this.drives = Objects.requireNonNull(drives, "drives");
        this.machine = Objects.requireNonNull(machine, "machine");
        this.handlers = Objects.requireNonNull(handlers, "handlers");
        this.opener = Objects.requireNonNull(opener, "opener");
        this.capabilities = Set.copyOf(capabilities);
        this.parameters = Objects.requireNonNull(parameters, "parameters");
        this.progress = Objects.requireNonNull(progress, "progress");
        this.listener = Objects.requireNonNull(listener, "listener");
        this.trace = new PhaseTrace("machine " + machine.name() + ": outgoing");
        MigrationSettings.check(this.capabilities);
    }

    public MigrationProgress progress() {
        return progress;
    }

    /** Asks the migration to stop; it goes cancelling, then cancelled once the machine is back. */
    public void cancel() {
        if (progress.status().isFinal() || cancelRequested) {
            return;
        }
        cancelRequested = true;
        status(MigrationStatus.CANCELLING);
        Connection c = connection;
        Thread t = runner;
        if (c != null) {
            c.close(); // ends a blocked write or read at once
        } else if (t != null) {
            t.interrupt(); // still connecting: a blocking connect ends when its thread is interrupted
        }
        wake();
    }

    /**
     * QEMU's {@code migrate-start-postcopy}: the next precopy iteration stops the machine and
     * starts the destination early (see {@link PostcopySource}).
     *
     * @throws IllegalStateException with QEMU's message when postcopy-ram is off, or the migration
     *         is not in setup or active
     */
    public void startPostcopy() {
        if (!capabilities.contains(Capability.POSTCOPY_RAM)) {
            throw new IllegalStateException("Enable postcopy with migrate_set_capability before the start of migration");
        }
        MigrationStatus now = progress.status();
        if (now.isPostcopy()) {
            throw new IllegalStateException("Postcopy is already in progress");
        }
        if (now == MigrationStatus.NONE || now.isFinal()) {
            throw new IllegalStateException("Postcopy must be started after migration has been started (the migration is "
                    + now.qapiName() + ")");
        }
        if (now != MigrationStatus.SETUP && now != MigrationStatus.ACTIVE) {
            throw new IllegalStateException("Postcopy cannot start: the migration is " + now.qapiName()
                    + " (the switchover is under way)");
        }
        postcopyRequested = true;
        wake();
    }

    /**
     * QEMU's {@code migrate} with {@code resume}: a postcopy paused by a broken connection
     * connects again through {@code opener} and goes on.
     *
     * @throws IllegalStateException with QEMU's message when no postcopy is paused
     */
    public void resume(Opener opener) {
        Objects.requireNonNull(opener, "opener");
        if (progress.status() != MigrationStatus.POSTCOPY_PAUSED) {
            throw new IllegalStateException("Cannot resume if there is no paused migration");
        }
        resumeOpener = opener;
        wake();
    }

    /**
     * QEMU's {@code migrate-continue}: lets a migration waiting in {@code state} go on.
     *
     * @throws IllegalStateException with QEMU's message when the migration is not in that state
     */
    public void continueFrom(MigrationStatus state) {
        MigrationStatus now = progress.status();
        if (now != state) {
            throw new IllegalStateException("Migration not in expected state: " + now.qapiName());
        }
        continueRequested = true;
        wake();
    }

    @Override
    public void run() {
        runner = Thread.currentThread();
        try {
            status(MigrationStatus.SETUP);
            trace.mark("run");
            connection = opener.open();
            trace.mark("connected");
            checkAlive();
            setup();
            trace.mark("setup done");
            status(MigrationStatus.ACTIVE);
            if (machine.state() == RunState.RUNNING) {
                precopy();
            }
            if (postcopyRequested && machine.state() == RunState.RUNNING) {
                new PostcopySource(this).run();
            } else {
                switchover();
            }
            status(MigrationStatus.COMPLETED);
        } catch (Throwable t) {
            boolean cancelled = cancelRequested;
            String reason = cancelled ? null : reason(t);
            if (!cancelled) {
                LOG.log(t instanceof MigrationException || t instanceof IOException ? Level.DEBUG : Level.ERROR,
                        "machine " + machine.name() + ": migration failed: " + reason, t);
            }
            closeConnection();
            String notRestored = restoreMachine();
            if (cancelled) {
                status(MigrationStatus.CANCELLED);
            } else {
                progress.fail(notRestored == null ? reason : reason + "; " + notRestored);
                status(MigrationStatus.FAILED);
            }
        } finally {
            if (autoConverge != null) {
                autoConverge.stop();
            }
            for (MigrationHandler h : handlers.ordered()) {
                try {
                    h.cleanup();
                } catch (RuntimeException e) {
                    LOG.log(Level.WARNING, HandlerSet.describe(h) + ": cleanup after saving failed", e);
                }
            }
            closeConnection();
            runner = null;
            if (cancelRequested) {
                Thread.interrupted(); // a cancel's interrupt ends with the migration
            }
        }
    }

    private void setup() throws IOException, MigrationException, Cancelled {
        sink = new StreamSink(connection.output(), progress.transferred);
        sink.start(MachineLayout.of(machine).encode());
        boolean postcopy = capabilities.contains(Capability.POSTCOPY_RAM);
        if (capabilities.contains(Capability.RETURN_PATH) || postcopy) {
            if (!connection.hasReturnPath()) {
                throw new MigrationException("capability " + (postcopy ? "postcopy-ram" : "return-path")
                        + " needs a socket (tcp: or unix:); " + connection + " has no way back");
            }
            sink.command(StreamCommand.OPEN_RETURN_PATH, new byte[0]);
            sink.command(StreamCommand.PING, ByteBuffer.allocate(4).putInt(1).array());
            returnPath = new SourceReturnPath(connection.returnPathInput(), this::wake, machine.name(), progress.postcopyRequests);
            if (postcopy) {
                returnPath.allowPostcopy();
            }
            returnPath.start();
        }
        if (postcopy) {
            // QEMU's ADVISE: the page size summary and the target page size
            long page = org.osgemu.api.memory.RamBlock.PAGE_SIZE;
            sink.command(StreamCommand.POSTCOPY_ADVISE, ByteBuffer.allocate(16).putLong(page).putLong(page).array());
        }
        progress.total(handlers.ramBytes());
        for (MigrationHandler h : handlers.live()) {
            SectionHeader header = sink.newHeader(h);
            liveHeaders.put(h, header);
            StreamSink.SetupOutput out = sink.setup(header);
            save(h, "set up", () -> h.setup(out));
            out.finish();
            trace.mark("set up ", h);
            checkAlive();
        }
        pass(); // the RAM blocks took every page as dirty: QEMU counts that as the first sync
        sink.flush();
        progress.setupDone();
    }

    // ---- precopy ----

    private void precopy() throws IOException, MigrationException, Cancelled {
        RateLimiter limiter = new RateLimiter(() -> parameters.get().maxBandwidth(), System::nanoTime);
        if (capabilities.contains(Capability.AUTO_CONVERGE)) {
            autoConverge = new AutoConverge(machine, parameters, progress);
        }
        Map<MigrationHandler, SectionOutput> outputs = new LinkedHashMap<>();
        liveHeaders.forEach((h, header) -> outputs.put(h, sink.parts(header)));
        long pagesAtWindow = pagesSent();
        while (true) {
            checkAlive();
            if (postcopyRequested && canSwitchover()) {
                return; // QEMU starts postcopy at the next iteration once asked (and switchover-ack allows it)
            }
            long threshold = thresholdBytes(limiter);
            long pending = pendingEstimate();
            if (pending <= threshold) {
                trace.mark("sync: estimate <= threshold ", threshold);
                pending = pendingExact();
                trace.mark("synced: pending ", pending);
            }
            progress.remaining(pending);
            if (pending <= threshold && canSwitchover()) {
                return;
            }
            long before = sink.bytesWritten();
            boolean limited = iterate(outputs, limiter);
            if (!limited && sink.bytesWritten() == before) {
                // nothing to send now: wait for the next window, or less when the switchover ack arrives
                boolean could = canSwitchover();
                long idleStart = System.nanoTime();
                awaitUntil(limiter.untilWindowEnd(), () -> canSwitchover() != could || postcopyRequested);
                limiter.idle(System.nanoTime() - idleStart);
            }
            if (limiter.roll(sink.bytesWritten())) {
                trace.mark("window rolled: bytes sent ", sink.bytesWritten());
                long pages = pagesSent();
                updateRates(limiter, pages - pagesAtWindow, pending);
                pagesAtWindow = pages;
            }
        }
    }

    /**
     * Each live handler in turn sends until it has nothing more for now (QEMU serializes them
     * the same way); a spent bandwidth budget waits for the next window. Returns whether it waited
     * for the budget.
     */
    private boolean iterate(Map<MigrationHandler, SectionOutput> outputs, RateLimiter limiter)
            throws IOException, MigrationException, Cancelled {
        for (Map.Entry<MigrationHandler, SectionOutput> entry : outputs.entrySet()) {
            MigrationHandler h = entry.getKey();
            boolean done = false;
            while (!done) {
                if (limiter.exceeded(sink.bytesWritten())) {
                    trace.mark("window budget spent: bytes sent ", sink.bytesWritten());
                    sink.flush();
                    awaitUntil(limiter.untilWindowEnd(), () -> postcopyRequested);
                    return true;
                }
                if (postcopyRequested) {
                    break; // the switch to postcopy waits for no more precopy
                }
                checkAlive();
                boolean[] result = new boolean[1];
                save(h, "send", () -> result[0] = h.iterate(entry.getValue()));
                done = result[0];
            }
        }
        sink.flush();
        return false;
    }

    private long pendingEstimate() {
        long pending = 0;
        for (MigrationHandler h : handlers.live()) {
            pending += h.pendingEstimate().mustPrecopy();
        }
        return pending;
    }

    /** Syncs the RAM blocks' dirty bitmaps (a pass) and asks every live handler for the exact amount. */
    private long pendingExact() {
        long dirtiedPages = handlers.syncRam();
        long dirtied = dirtiedPages * org.osgemu.api.memory.RamBlock.PAGE_SIZE;
        long now = System.nanoTime();
        if (lastSyncNanos > 0 && now > lastSyncNanos) {
            dirtyPagesRate = dirtiedPages * 1_000_000_000L / (now - lastSyncNanos);
        }
        lastSyncNanos = now;
        pass();
        if (autoConverge != null) {
            autoConverge.synced(dirtied, sink.bytesWritten());
        }
        long pending = 0;
        for (MigrationHandler h : handlers.live()) {
            pending += (h instanceof RamBlockHandler ? h.pendingEstimate() : h.pendingExact()).mustPrecopy();
        }
        return pending;
    }

    private void pass() {
        listener.pass(progress.dirtySyncCount.incrementAndGet());
    }

    /** What the link carries within the downtime limit: the switchover threshold. */
    private long thresholdBytes(RateLimiter limiter) {
        MigrationParameters p = parameters.get();
        double bandwidth = p.availSwitchoverBandwidth() > 0 ? p.availSwitchoverBandwidth() : limiter.bandwidth();
        return (long) (bandwidth * p.downtimeLimitMillis() / 1000);
    }

    /** With switchover-ack, not before the destination acknowledged (unless the machine stopped anyway). */
    private boolean canSwitchover() {
        if (!capabilities.contains(Capability.SWITCHOVER_ACK)) {
            return true;
        }
        if (machine.state() != RunState.RUNNING) {
            return true;
        }
        SourceReturnPath rp = returnPath;
        return rp != null && rp.acked();
    }

    private void updateRates(RateLimiter limiter, long pagesInWindow, long pending) {
        MigrationParameters p = parameters.get();
        double bandwidth = p.availSwitchoverBandwidth() > 0 ? p.availSwitchoverBandwidth() : limiter.bandwidth();
        double windowSeconds = limiter.lastWindowNanos() / 1e9;
        long expectedDowntime = bandwidth > 0 ? (long) (pending * 1000 / bandwidth) : 0;
        progress.rates(expectedDowntime, (long) (pagesInWindow / windowSeconds),
                limiter.lastWindowBytes() * 8 / windowSeconds / 1e6, dirtyPagesRate);
    }

    private long pagesSent() {
        return progress.normalPages.get() + progress.zeroPages.get();
    }

    // ---- switchover ----

    private void switchover() throws IOException, MigrationException, Cancelled {
        RunState before = machine.state();
        handlers.globalState().record(before);
        prepareDrives();
        long start = System.nanoTime();
        progress.stopped();
        trace.mark("switchover");
        step(before, RunState.FINISH_MIGRATE);
        stoppedFrom = before;
        long stopped = System.nanoTime();
        trace.mark("stopped");
        if (capabilities.contains(Capability.PAUSE_BEFORE_SWITCHOVER)) {
            status(MigrationStatus.PRE_SWITCHOVER);
            awaitUntil(Long.MAX_VALUE, () -> continueRequested);
            checkAlive();
        }
        status(MigrationStatus.DEVICE);
        for (Map.Entry<MigrationHandler, SectionHeader> entry : liveHeaders.entrySet()) {
            MigrationHandler h = entry.getKey();
            StreamSink.LiveCompleteOutput out = sink.complete(entry.getValue());
            save(h, "save", () -> h.complete(out));
            out.finish();
            trace.mark("completed ", h);
        }
        for (MigrationHandler h : handlers.saved()) {
            if (!h.isLive()) {
                StreamSink.FullOutput out = sink.full(sink.newHeader(h));
                save(h, "save", () -> h.complete(out));
                out.finish(h);
                trace.mark("saved ", h);
            }
        }
        trace.mark("devices saved");
        inactivateDrives();
        trace.mark("drives inactivated");
        sink.eof();
        sink.flush();
        long sent = System.nanoTime();
        trace.mark("eof flushed");
        progress.remaining(0);
        if (returnPath != null) {
            awaitShut();
        }
        trace.mark("shut");
        connection.commit();
        progress.downtimeEnded();
        trace.mark("committed: downtime ends");
        progress.completed();
        long done = System.nanoTime();
        LOG.log(Level.DEBUG, () -> String.format("machine %s: switchover: stopping the vCPUs %d ms, sending the rest (%d bytes) %d ms, "
                + "waiting for the destination %d ms", machine.name(), (stopped - start) / 1_000_000,
                progress.snapshot().downtimeBytes(), (sent - stopped) / 1_000_000, (done - sent) / 1_000_000));
        step(RunState.FINISH_MIGRATE, RunState.POSTMIGRATE);
        stoppedFrom = null;
    }

    /** Waits until the destination says it loaded the stream (SHUT without the error flag). */
    private void awaitShut() throws MigrationException, Cancelled {
        SourceReturnPath rp = returnPath;
        awaitUntil(Long.MAX_VALUE, () -> rp.shutWithError() != null || rp.failure() != null);
        checkAlive();
        if (Boolean.TRUE.equals(rp.shutWithError())) {
            throw new MigrationException("the destination could not load the stream (it ended the return path with an "
                    + "error; its log says why)");
        }
    }

    // ---- waiting, failures ----

    /** Fails or stops the migration when it was cancelled or the return path broke. */
    void checkAlive() throws MigrationException, Cancelled {
        if (cancelRequested) {
            throw new Cancelled();
        }
        SourceReturnPath rp = returnPath;
        if (rp != null && rp.failure() != null) {
            throw new MigrationException(rp.failure());
        }
    }

    /** Waits up to {@code nanos} until {@code done}, a cancel or a broken return path. */
    void awaitUntil(long nanos, BooleanSupplier done) throws MigrationException, Cancelled {
        long deadline = nanos == Long.MAX_VALUE ? Long.MAX_VALUE : System.nanoTime() + nanos;
        lock.lock();
        try {
            while (!done.getAsBoolean()) {
                checkAlive();
                long left = deadline == Long.MAX_VALUE ? TimeUnit.SECONDS.toNanos(1) : deadline - System.nanoTime();
                if (left <= 0) {
                    return;
                }
                wakeUp.awaitNanos(left);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MigrationException("interrupted", e);
        } finally {
            lock.unlock();
        }
        checkAlive();
    }

    /** Waits up to {@code millis} for {@link #wake()} (a resume, a cancel). */
    void sleepUntilWoken(long millis) {
        lock.lock();
        try {
            wakeUp.await(millis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            lock.unlock();
        }
    }

    void wake() {
        lock.lock();
        try {
            wakeUp.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** A handler's work, with failures named after its section. */
    @FunctionalInterface
    interface Work {
        void run() throws IOException, MigrationException;
    }

    void save(MigrationHandler h, String what, Work work) throws IOException, MigrationException {
        try {
            work.run();
        } catch (MigrationException e) {
            throw new MigrationException(HandlerSet.describe(h) + ": " + e.getMessage(), e);
        } catch (IOException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new MigrationException(HandlerSet.describe(h) + ": cannot " + what + ": " + e, e);
        }
    }

    String reason(Throwable t) {
        if (t instanceof MigrationException) {
            return t.getMessage();
        }
        SourceReturnPath rp = returnPath;
        if (rp != null && rp.failure() != null) {
            return rp.failure(); // the write failed because the destination went away: the return path knows more
        }
        if (t instanceof ClosedChannelException) {
            return "Unable to write to " + connection + ": the connection was closed";
        }
        if (t instanceof IOException e) {
            return "Unable to write to " + connection + ": " + Transports.describe(e, null);
        }
        return t.toString();
    }

    void step(RunState from, RunState to) throws MigrationException {
        try {
            machine.transitionForMigration(from, to);
        } catch (IllegalStateException | UnsupportedOperationException e) {
            throw new MigrationException(e.getMessage(), e);
        }
    }

    /** Before the machine stops: see {@link BlockDrives#prepare()}. */
    void prepareDrives() {
        drives.prepare();
    }

    /**
     * The switchover let the destination have the images: flushes and inactivates the drives (the
     * machine is stopped and its devices saved, so no request is under way); a snapshot's drives
     * are only flushed (see {@link BlockDrives#switchover}).
     */
    void inactivateDrives() throws MigrationException {
        drives.switchover(inactivatedDrives);
    }

    /**
     * After a failure: the drives are taken back and the machine goes back to where it was before
     * the switchover. Returns what went wrong doing so, for the failure's reason, or null.
     */
    private String restoreMachine() {
        if (stoppedFrom == null) {
            return null;
        }
        RunState back = stoppedFrom == RunState.RUNNING ? RunState.RUNNING
                : stoppedFrom == RunState.POSTMIGRATE ? RunState.POSTMIGRATE : RunState.PAUSED;
        String problem = null;
        if (!inactivatedDrives.isEmpty()) {
            try {
                BlockDrives.activate(inactivatedDrives);
                inactivatedDrives.clear();
            } catch (MigrationException e) {
                // the destination may have taken the images and run: two writers would corrupt them
                problem = e.getMessage() + (back == RunState.RUNNING ? "; the machine stays paused" : "");
                LOG.log(Level.ERROR, "machine " + machine.name() + ": after the failed migration, " + problem);
                if (back == RunState.RUNNING) {
                    back = RunState.PAUSED;
                }
            }
        }
        try {
            machine.transitionForMigration(RunState.FINISH_MIGRATE, back);
            stoppedFrom = null;
        } catch (RuntimeException e) {
            LOG.log(Level.ERROR, "machine " + machine.name() + ": cannot return to " + back.qapiName()
                    + " after a failed migration", e);
        }
        return problem;
    }

    void closeConnection() {
        SourceReturnPath rp = returnPath;
        Connection c = connection;
        if (rp != null) {
            rp.stopping();
        }
        if (c != null) {
            c.close();
        }
        if (rp != null) {
            rp.join();
        }
    }

    void status(MigrationStatus status) {
        synchronized (progress) {
            MigrationStatus now = progress.status();
            if (now == status || (now == MigrationStatus.CANCELLING && !status.isFinal())) {
                return; // a cancelled migration stays cancelling until it is cancelled
            }
            progress.status(status);
        }
        listener.status(status);
    }
}
