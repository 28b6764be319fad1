package org.osgemu.migration.service;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.channels.FileChannel;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import org.osgemu.api.block.BlockBackend;
import org.osgemu.api.machine.MachineControl;
import org.osgemu.api.machine.RunState;
import org.osgemu.api.migration.MigrationException;
import org.osgemu.api.migration.MigrationService;
import org.osgemu.migration.engine.BlockDrives;
import org.osgemu.migration.engine.HandlerSet;
import org.osgemu.migration.engine.IncomingLoader;
import org.osgemu.migration.engine.MigrationParameters;
import org.osgemu.migration.engine.MigrationProgress;
import org.osgemu.migration.engine.MigrationStatus;
import org.osgemu.migration.engine.OutgoingMigration;
import org.osgemu.migration.transport.Connection;
import org.osgemu.migration.transport.MigrationUri;
import org.osgemu.migration.transport.Transports;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;

/**
 * The {@link MigrationService}: live (precopy) migration over tcp, unix sockets and files, and
 * stop-and-copy snapshots to and from channels. Each machine's migrations, capabilities and
 * parameters live in a {@link MachineMigrations}, by machine name; every migration runs on a
 * thread of its own, and a deactivated component cancels what runs and stops listening.
 *
 * <p>Drives: the service tracks every {@link BlockBackend}; a machine's drives are those whose
 * service property {@code machine} names it, and those without the property (the launcher sets it;
 * a process runs one machine from its command line). A live migration hands them over (see
 * {@link BlockDrives}); a snapshot flushes them before its stream ends; loading a state activates them.
 */
@Component(service = {MigrationService.class, MigrationControl.class}, configurationPolicy = ConfigurationPolicy.IGNORE)
public final class PrecopyMigrationService implements MigrationService, MigrationControl {

    private static final System.Logger LOG = System.getLogger(PrecopyMigrationService.class.getName());
    /** Where a snapshot save may start: the machine does not run and is not already migrating. */
    private static final Set<RunState> SAVABLE = Set.of(RunState.PAUSED, RunState.POSTMIGRATE);
    /** Where a snapshot load may start: the machine does not run. */
    private static final Set<RunState> LOADABLE = Set.of(RunState.PRELAUNCH, RunState.PAUSED, RunState.POSTMIGRATE,
            RunState.INMIGRATE);

    private final Map<String, MachineMigrations> machines = new ConcurrentHashMap<>();
    private final List<MigrationListener> listeners = new CopyOnWriteArrayList<>();
    /** Every block backend, with the machine it names (empty: any machine). */
    private final Map<BlockBackend, String> drives = new ConcurrentHashMap<>();

    @Activate
    public PrecopyMigrationService() {
    }

    /** Cancels every outgoing migration, stops every incoming one; public for tests that make the service with new. */
    @Deactivate
    public void deactivate() {
        machines.values().forEach(MachineMigrations::close);
        machines.clear();
    }

    /** A block backend came up; {@code properties} may name its machine. Public for tests that make the service with new. */
    @Reference(service = BlockBackend.class, cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    public void addDrive(BlockBackend drive, Map<String, Object> properties) {
        Object machine = properties.get("machine");
        drives.put(drive, machine == null ? "" : machine.toString());
    }

    /** A block backend went away. */
    public void removeDrive(BlockBackend drive) {
        drives.remove(drive);
    }

    /** The drives of the machine named {@code machine}, as they are when asked. */
    private BlockDrives drivesOf(String machine) {
        return new BlockDrives(() -> drives.entrySet().stream()
                .filter(e -> e.getValue().isEmpty() || e.getValue().equals(machine))
                .map(Map.Entry::getKey)
                .toList());
    }

    @Override
    public MachineMigrations of(MachineControl machine) {
        Objects.requireNonNull(machine, "machine");
        MachineMigrations m = machines.compute(machine.name(),
                (name, known) -> known != null && known.machine() == machine ? known : replace(known, machine));
        return m;
    }

    private MachineMigrations replace(MachineMigrations old, MachineControl machine) {
        if (old != null) {
            old.close(); // a new machine of the same name: the old one is gone
        }
        return new MachineMigrations(machine, this::status, this::pass, drivesOf(machine.name()));
    }

    @Override
    public void addListener(MigrationListener listener) {
        listeners.add(Objects.requireNonNull(listener, "listener"));
    }

    @Override
    public void removeListener(MigrationListener listener) {
        listeners.remove(listener);
    }

    private void status(String machine, MigrationStatus status) {
        for (MigrationListener l : listeners) {
            try {
                l.status(machine, status);
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "migration listener " + l + " failed", e);
            }
        }
    }

    private void pass(String machine, long number) {
        for (MigrationListener l : listeners) {
            try {
                l.pass(machine, number);
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "migration listener " + l + " failed", e);
            }
        }
    }

    // ---- QEMU's migrate and -incoming ----

    @Override
    public void migrate(MachineControl machine, String uri) throws MigrationException {
        MachineMigrations migrations = of(machine);
        OutgoingMigration migration = migrations.startOutgoing(uri);
        try {
            migrations.awaitOutgoing();
        } catch (InterruptedException e) {
            migration.cancel();
            Thread.currentThread().interrupt();
            throw new MigrationException("interrupted while migrating to " + uri, e);
        }
        MigrationProgress progress = migration.progress();
        if (progress.status() == MigrationStatus.CANCELLED) {
            throw new MigrationException("migration to " + uri + " was cancelled");
        }
        if (progress.status() != MigrationStatus.COMPLETED) {
            throw new MigrationException(progress.error() == null ? "migration to " + uri + " failed" : progress.error());
        }
    }

    @Override
    public void incoming(MachineControl machine, String uri) throws MigrationException {
        MigrationUri source = MigrationUri.parse(uri);
        if (source.transport() == MigrationUri.Transport.FILE) {
            load(machine, source.path());
            return;
        }
        IncomingMigration migration = of(machine).startIncoming(uri, false, false);
        try {
            while (!migration.await(1_000)) {
                if (machine.state() == RunState.SHUTDOWN) {
                    migration.close();
                }
            }
        } catch (InterruptedException e) {
            migration.close();
            Thread.currentThread().interrupt();
            throw new MigrationException("interrupted while waiting for a migration on " + uri, e);
        }
        if (migration.status() != MigrationStatus.COMPLETED) {
            throw new MigrationException(migration.error() == null ? "no migration arrived on " + uri : migration.error());
        }
    }

    @Override
    public void incoming(MachineControl machine, String uri, boolean autostart) throws MigrationException {
        MigrationUri source = MigrationUri.parse(uri);
        switch (source.transport()) {
            case FILE -> {
                load(machine, source.path());
                if (autostart) {
                    machine.cont();
                }
            }
            case DEFER -> of(machine).defer(autostart);
            case TCP, UNIX -> of(machine).startIncoming(uri, true, autostart);
        }
    }

    // ---- snapshots ----

    @Override
    public void save(MachineControl machine, WritableByteChannel target) throws MigrationException {
        Objects.requireNonNull(target, "target");
        save(machine, Connection.writingTo(target, "the channel"));
    }

    @Override
    public void save(MachineControl machine, Path file) throws MigrationException {
        Objects.requireNonNull(file, "file");
        checkSavable(machine);
        save(machine, Transports.connect(MigrationUri.parse("file:" + file)));
    }

    private void save(MachineControl machine, Connection connection) throws MigrationException {
        checkSavable(machine);
        MigrationProgress progress = new MigrationProgress();
        HandlerSet handlers = HandlerSet.of(machine, progress, false);
        long started = System.nanoTime();
        OutgoingMigration save = new OutgoingMigration(machine, handlers, () -> connection, Set.of(),
                () -> MigrationParameters.DEFAULTS, progress, new OutgoingMigration.Listener() {
                    @Override public void status(MigrationStatus status) { }
                    @Override public void pass(long number) { }
                }, drivesOf(machine.name()).flushOnly());
        save.run();
        if (progress.status() != MigrationStatus.COMPLETED) {
            throw new MigrationException(progress.error() == null ? "the save was cancelled" : progress.error());
        }
        // Not INFO: Gogo shows what a command's thread writes, and a monitor command that worked prints nothing.
        LOG.log(Level.DEBUG, () -> "machine " + machine.name() + ": saved " + progress.snapshot().transferred() + " bytes to "
                + connection + " in " + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started) + " ms");
    }

    private static void checkSavable(MachineControl machine) throws MigrationException {
        Objects.requireNonNull(machine, "machine");
        RunState from = machine.state();
        if (from == RunState.RUNNING) {
            throw new MigrationException("machine '" + machine.name() + "' is running: stop it first, a snapshot is taken of a paused machine");
        }
        if (!SAVABLE.contains(from)) {
            throw new MigrationException("machine '" + machine.name() + "' cannot be saved in state " + from.qapiName()
                    + (from == RunState.PRELAUNCH ? " (it has not started yet)" : ""));
        }
    }

    @Override
    public void load(MachineControl machine, ReadableByteChannel source) throws MigrationException {
        Objects.requireNonNull(source, "source");
        load(machine, "the channel", source, false);
    }

    @Override
    public void load(MachineControl machine, Path file) throws MigrationException {
        Objects.requireNonNull(file, "file");
        checkLoadable(machine);
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            load(machine, file.toString(), channel, true);
        } catch (IOException e) {
            throw new MigrationException("cannot read " + file + ": " + Transports.describe(e, file), e);
        }
    }

    private void load(MachineControl machine, String where, ReadableByteChannel channel, boolean endsAtEof)
            throws MigrationException {
        RunState from = checkLoadable(machine);
        HandlerSet handlers = HandlerSet.of(machine);
        long started = System.nanoTime();
        step(machine, from, RunState.INMIGRATE);
        // a snapshot that an -incoming file: machine loads finds its drives opened inactive
        IncomingLoader loader = new IncomingLoader(machine, handlers, false, null, null, drivesOf(machine.name()));
        boolean loaded = false;
        try {
            loader.load(channel, endsAtEof);
            loaded = true;
        } catch (IOException e) {
            throw new MigrationException("cannot read " + where + ": " + Transports.describe(e, null), e);
        } finally {
            // A stream refused before it changed anything leaves a paused machine as it was; one
            // refused later leaves it in inmigrate, where it cannot run half-loaded.
            if (!loaded && !loader.touchedMachine() && from != RunState.PRELAUNCH && from != RunState.INMIGRATE) {
                stepBack(machine, RunState.INMIGRATE, RunState.PAUSED);
            }
        }
        step(machine, RunState.INMIGRATE, RunState.PAUSED);
        LOG.log(Level.DEBUG, () -> "machine " + machine.name() + ": loaded from " + where + " in "
                + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started) + " ms");
    }

    private static RunState checkLoadable(MachineControl machine) throws MigrationException {
        Objects.requireNonNull(machine, "machine");
        RunState state = machine.state();
        if (!LOADABLE.contains(state)) {
            throw new MigrationException("machine '" + machine.name() + "' is " + state.qapiName()
                    + ": an incoming migration needs a machine that does not run (prelaunch, paused, postmigrate or inmigrate)");
        }
        return state;
    }

    private static void step(MachineControl machine, RunState from, RunState to) throws MigrationException {
        try {
            machine.transitionForMigration(from, to);
        } catch (IllegalStateException | UnsupportedOperationException e) {
            throw new MigrationException(e.getMessage(), e);
        }
    }

    /** Undoes a step after a failure; a second failure is logged, the first one is what the caller hears. */
    private static void stepBack(MachineControl machine, RunState from, RunState to) {
        try {
            machine.transitionForMigration(from, to);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "machine " + machine.name() + ": cannot return to " + to.qapiName()
                    + " after a failed migration", e);
        }
    }
}
