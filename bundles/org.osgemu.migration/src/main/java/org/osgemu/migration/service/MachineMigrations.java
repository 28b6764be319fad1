package org.osgemu.migration.service;

import java.util.EnumSet;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.function.ObjLongConsumer;

import org.osgemu.api.machine.MachineControl;
import org.osgemu.api.machine.MachineListener;
import org.osgemu.api.machine.RunState;
import org.osgemu.api.migration.MigrationException;
import org.osgemu.migration.engine.BlockDrives;
import org.osgemu.migration.engine.Capability;
import org.osgemu.migration.engine.HandlerSet;
import org.osgemu.migration.engine.MigrationProgress;
import org.osgemu.migration.engine.MigrationSettings;
import org.osgemu.migration.engine.MigrationStatus;
import org.osgemu.migration.engine.OutgoingMigration;
import org.osgemu.migration.transport.MigrationUri;
import org.osgemu.migration.transport.Transports;

/**
 * The migrations of one machine, as QEMU keeps them per process: its capabilities and parameters,
 * the outgoing migration (the last one, which {@code query-migrate} reports), the incoming one,
 * and whether {@code -incoming defer} left it waiting. Thread-safe; each migration runs on a
 * thread of its own.
 */
public final class MachineMigrations {

    private static final System.Logger LOG = System.getLogger(MachineMigrations.class.getName());

    /** Run states from which a machine may be migrated out. */
    private static final Set<RunState> MIGRATABLE = EnumSet.of(RunState.RUNNING, RunState.PAUSED, RunState.POSTMIGRATE);
    /** Run states in which a machine may take an incoming migration. */
    private static final Set<RunState> LOADABLE = EnumSet.of(RunState.PRELAUNCH, RunState.PAUSED, RunState.POSTMIGRATE,
            RunState.INMIGRATE);

    private final MachineControl machine;
    private final MigrationSettings settings = new MigrationSettings();
    private final BiConsumer<String, MigrationStatus> onStatus;
    private final ObjLongConsumer<String> onPass;
    private final BlockDrives drives;
    private OutgoingMigration outgoing;
    private Thread outgoingThread;
    private IncomingMigration incoming;
    private boolean deferred;
    /** What -incoming said about running the machine once loaded (no -S), for every migrate-incoming after; null without -incoming. */
    private Boolean launcherAutostart;

    MachineMigrations(MachineControl machine, BiConsumer<String, MigrationStatus> onStatus, ObjLongConsumer<String> onPass,
                      BlockDrives drives) {
        this.machine = machine;
        this.onStatus = onStatus;
        this.onPass = onPass;
        this.drives = drives;
        machine.addListener(contAfterMigration);
    }

    /**
     * A source continued after its migration completed (QEMU's {@code cont} in postmigrate) takes
     * its images back before its vCPUs run; this cannot refuse the {@code cont}, so a drive the
     * destination holds is logged, and the guest's writes to it fail.
     */
    private final MachineListener contAfterMigration = new MachineListener() {
        @Override
        public void stateChanged(RunState from, RunState to) {
            if (from == RunState.POSTMIGRATE && to == RunState.RUNNING) {
                try {
                    drives.activateAll();
                } catch (MigrationException e) {
                    LOG.log(System.Logger.Level.ERROR, "machine " + machine.name() + " continues after its migration, but "
                            + e.getMessage() + ": the guest's writes to it fail");
                }
            }
        }
    };

    public MachineControl machine() {
        return machine;
    }

    public MigrationSettings settings() {
        return settings;
    }

    /**
     * Whether a migration is under way, so that capabilities cannot change: an outgoing one that has
     * not ended, or an incoming one whose stream is arriving. A destination that still waits for its
     * source may change them (QEMU's way of setting switchover-ack on a destination).
     */
    public synchronized boolean busy() {
        return (outgoing != null && !outgoing.progress().status().isFinal())
                || (incoming != null && (incoming.status() == MigrationStatus.ACTIVE || incoming.status().isPostcopy()));
    }

    /**
     * QMP's {@code migrate}: starts migrating to {@code uri} on a thread of its own and returns it.
     *
     * @throws MigrationException with QEMU's wording when another migration runs, the machine is
     *         not in a state to migrate, the URI is bad or the machine has a part that cannot migrate
     */
    public synchronized OutgoingMigration startOutgoing(String uri) throws MigrationException {
        if (outgoing != null && !outgoing.progress().status().isFinal()) {
            throw new MigrationException("There's a migration process in progress");
        }
        RunState state = machine.state();
        if (state == RunState.INMIGRATE || (incoming != null && !incoming.status().isFinal())) {
            throw new MigrationException("Guest is waiting for an incoming migration");
        }
        if (!MIGRATABLE.contains(state)) {
            throw new MigrationException("machine '" + machine.name() + "' cannot be migrated in state " + state.qapiName()
                    + (state == RunState.PRELAUNCH ? " (it has not started yet)" : ""));
        }
        MigrationUri target = MigrationUri.parse(uri);
        if (target.transport() == MigrationUri.Transport.DEFER) {
            throw new MigrationException("'defer' is only for -incoming and migrate-incoming; give tcp:HOST:PORT, unix:PATH or file:PATH");
        }
        Set<Capability> capabilities = settings.capabilities();
        if (capabilities.contains(Capability.RETURN_PATH) && !target.hasReturnPath()) {
            throw new MigrationException("capability return-path needs a socket (tcp: or unix:); " + target + " has no way back");
        }
        if (capabilities.contains(Capability.POSTCOPY_RAM) && !target.hasReturnPath()) {
            throw new MigrationException("capability postcopy-ram needs a socket (tcp: or unix:) for its page requests; "
                    + target + " has no way back");
        }
        MigrationProgress progress = new MigrationProgress();
        // a snapshot of a paused machine to a file is resumed by whoever loads it; anything else carries the run state
        boolean withGlobalState = state == RunState.RUNNING || target.transport() != MigrationUri.Transport.FILE;
        HandlerSet handlers = HandlerSet.of(machine, progress, withGlobalState);
        // a live migration hands the images over to the destination; a file's snapshot flushes them and keeps them here
        BlockDrives handedOver = target.transport() == MigrationUri.Transport.FILE ? drives.flushOnly() : drives;
        String name = machine.name();
        OutgoingMigration migration = new OutgoingMigration(machine, handlers, () -> Transports.connect(target),
                capabilities, settings::parameters, progress, new OutgoingMigration.Listener() {
                    @Override
                    public void status(MigrationStatus status) {
                        onStatus.accept(name, status);
                    }

                    @Override
                    public void pass(long number) {
                        onPass.accept(name, number);
                    }
                }, handedOver);
        outgoing = migration;
        outgoingThread = Thread.ofPlatform().name("migration-" + name).daemon(true).start(migration);
        return migration;
    }

    /** Waits for the outgoing migration started last to end; returns it, or null when there was none. */
    public OutgoingMigration awaitOutgoing() throws InterruptedException {
        Thread thread;
        OutgoingMigration migration;
        synchronized (this) {
            thread = outgoingThread;
            migration = outgoing;
        }
        if (thread != null) {
            thread.join();
        }
        return migration;
    }

    /**
     * QMP's {@code migrate_cancel}: no effect without an outgoing migration that runs.
     *
     * @throws MigrationException with QEMU's message in postcopy, which cannot be undone (the
     *         destination runs the guest)
     */
    public void cancel() throws MigrationException {
        OutgoingMigration migration;
        synchronized (this) {
            migration = outgoing;
        }
        if (migration != null && migration.progress().status().isPostcopy()) {
            throw new MigrationException("Postcopy migration in progress, cannot cancel.");
        }
        if (migration != null) {
            migration.cancel();
        }
    }

    /** QMP's {@code migrate-start-postcopy}, with QEMU's refusals. */
    public void startPostcopy() throws MigrationException {
        OutgoingMigration migration;
        synchronized (this) {
            migration = outgoing;
        }
        if (!settings.has(Capability.POSTCOPY_RAM) && (migration == null || migration.progress().status().isFinal())) {
            throw new MigrationException("Enable postcopy with migrate_set_capability before the start of migration");
        }
        if (migration == null) {
            throw new MigrationException("Postcopy must be started after migration has been started");
        }
        try {
            migration.startPostcopy();
        } catch (IllegalStateException e) {
            throw new MigrationException(e.getMessage(), e);
        }
    }

    /** QMP's {@code migrate} with {@code resume}: a paused postcopy connects to {@code uri} again. */
    public void resumeOutgoing(String uri) throws MigrationException {
        OutgoingMigration migration;
        synchronized (this) {
            migration = outgoing;
        }
        if (migration == null || migration.progress().status() != MigrationStatus.POSTCOPY_PAUSED) {
            throw new MigrationException("Cannot resume if there is no paused migration");
        }
        MigrationUri target = MigrationUri.parse(uri);
        if (!target.hasReturnPath()) {
            throw new MigrationException("postcopy recovery needs a socket (tcp: or unix:); " + target + " has no way back");
        }
        try {
            migration.resume(() -> Transports.connect(target));
        } catch (IllegalStateException e) {
            throw new MigrationException(e.getMessage(), e);
        }
    }

    /** QMP's {@code migrate-recover}: a destination whose postcopy is paused listens on {@code uri} for the source. */
    public void recoverIncoming(String uri) throws MigrationException {
        IncomingMigration in;
        synchronized (this) {
            in = incoming;
        }
        if (in == null) {
            throw new MigrationException("Migrate recover can only be run when postcopy is paused.");
        }
        MigrationUri source = MigrationUri.parse(uri);
        if (!source.hasReturnPath()) {
            throw new MigrationException("postcopy recovery needs a socket (tcp: or unix:); " + source + " has no way back");
        }
        in.recover(source);
    }

    /** The TCP port migrate-recover listens on (useful after tcp:HOST:0), or -1. */
    public synchronized int recoverPort() {
        return incoming == null ? -1 : incoming.recoverPort();
    }

    /** QMP's {@code migrate-continue}. */
    public void continueFrom(MigrationStatus state) {
        OutgoingMigration migration;
        synchronized (this) {
            migration = outgoing;
        }
        if (migration == null) {
            throw new IllegalStateException("Migration not in expected state: " + MigrationStatus.NONE.qapiName());
        }
        migration.continueFrom(state);
    }

    /** The progress of the last outgoing migration, or null. */
    public synchronized MigrationProgress outgoingProgress() {
        return outgoing == null ? null : outgoing.progress();
    }

    /** The status and error of the incoming migration, or null when there was none. */
    public synchronized IncomingStatus incomingStatus() {
        if (incoming == null) {
            return deferred ? new IncomingStatus(MigrationStatus.NONE, null) : null;
        }
        return new IncomingStatus(incoming.status(), incoming.error());
    }

    /** The TCP port the incoming migration listens on (useful after tcp:HOST:0), or -1. */
    public synchronized int incomingPort() {
        return incoming == null ? -1 : incoming.port();
    }

    /** The status of an incoming migration, for query-migrate on the destination. */
    public record IncomingStatus(MigrationStatus status, String error) {}

    /** {@code -incoming defer}: the machine waits in inmigrate for {@code migrate-incoming}, and runs afterwards when {@code autostart}. */
    synchronized void defer(boolean autostart) throws MigrationException {
        toInmigrate();
        deferred = true;
        launcherAutostart = autostart;
    }

    /** QMP's {@code migrate-incoming}: starts loading from {@code uri} in the background. */
    public void migrateIncoming(String uri, boolean exitOnError) throws MigrationException {
        startIncoming(uri, exitOnError, null);
    }

    /** Waits up to {@code millis} for the incoming migration to end; true when it ended (or there is none). */
    public boolean awaitIncoming(long millis) throws InterruptedException {
        IncomingMigration in;
        synchronized (this) {
            in = incoming;
        }
        return in == null || in.await(millis);
    }

    /**
     * Starts an incoming migration from {@code uri} in the background: listening starts (or the
     * file opens) before this returns, so an address in use is reported here.
     *
     * @param autostart whether to run the machine once loaded; null: as {@code -incoming} said (-S or not), else not
     */
    synchronized IncomingMigration startIncoming(String uri, boolean exitOnError, Boolean autostart) throws MigrationException {
        if (incoming != null && !incoming.status().isFinal()) {
            throw new MigrationException("The incoming migration has already been started");
        }
        if (outgoing != null && !outgoing.progress().status().isFinal()) {
            throw new MigrationException("There's a migration process in progress");
        }
        MigrationUri source = MigrationUri.parse(uri);
        if (source.transport() == MigrationUri.Transport.DEFER) {
            throw new MigrationException("'defer' is an -incoming option; migrate-incoming needs tcp:HOST:PORT, unix:PATH or file:PATH");
        }
        RunState state = machine.state();
        if (!LOADABLE.contains(state)) {
            throw new MigrationException("machine '" + machine.name() + "' is " + state.qapiName()
                    + ": an incoming migration needs a machine that does not run (prelaunch, paused, postmigrate or inmigrate)");
        }
        Transports.Listener listener = Transports.listen(source);
        try {
            toInmigrate();
        } catch (MigrationException e) {
            listener.close();
            throw e;
        }
        boolean run = autostart != null ? autostart : Boolean.TRUE.equals(launcherAutostart);
        String name = machine.name();
        IncomingMigration migration = new IncomingMigration(machine, listener, () -> settings.has(Capability.SWITCHOVER_ACK),
                () -> settings.has(Capability.POSTCOPY_RAM), exitOnError, run, status -> onStatus.accept(name, status), drives);
        incoming = migration;
        deferred = false;
        migration.start();
        return migration;
    }

    private void toInmigrate() throws MigrationException {
        RunState state = machine.state();
        if (state == RunState.INMIGRATE) {
            return;
        }
        if (!LOADABLE.contains(state)) {
            throw new MigrationException("machine '" + machine.name() + "' is " + state.qapiName()
                    + ": an incoming migration needs a machine that does not run");
        }
        try {
            machine.transitionForMigration(state, RunState.INMIGRATE);
        } catch (IllegalStateException | UnsupportedOperationException e) {
            throw new MigrationException(e.getMessage(), e);
        }
    }

    /** Ends whatever runs: the component goes away. */
    void close() {
        machine.removeListener(contAfterMigration);
        OutgoingMigration migration;
        Thread thread;
        IncomingMigration in;
        synchronized (this) {
            migration = outgoing;
            thread = outgoingThread;
            in = incoming;
        }
        if (migration != null) {
            migration.cancel();
        }
        if (thread != null) {
            try {
                thread.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (in != null) {
            in.close();
        }
    }
}
