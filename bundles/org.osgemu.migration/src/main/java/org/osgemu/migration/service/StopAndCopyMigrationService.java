package org.osgemu.migration.service;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.channels.FileChannel;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import org.osgemu.api.machine.MachineControl;
import org.osgemu.api.machine.RunState;
import org.osgemu.api.migration.MigrationException;
import org.osgemu.api.migration.MigrationService;
import org.osgemu.migration.engine.HandlerSet;
import org.osgemu.migration.engine.SnapshotLoader;
import org.osgemu.migration.engine.SnapshotWriter;
import org.osgemu.migration.stream.MachineLayout;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;

/**
 * The {@link MigrationService}: stop-and-copy snapshots of paused machines, to and from
 * channels and files, and the {@code file:} URIs of {@code migrate} and {@code -incoming}. It
 * keeps nothing between calls: each save or load builds the machine's handlers afresh, and runs
 * on the caller's thread, so a stopping component leaves nothing behind.
 */
@Component(service = MigrationService.class, configurationPolicy = ConfigurationPolicy.IGNORE)
public final class StopAndCopyMigrationService implements MigrationService {

    private static final System.Logger LOG = System.getLogger(StopAndCopyMigrationService.class.getName());
    /** Where a save may start: the machine does not run and is not already migrating. */
    private static final Set<RunState> SAVABLE = Set.of(RunState.PAUSED, RunState.POSTMIGRATE);
    /** Where a load may start: the machine does not run. */
    private static final Set<RunState> LOADABLE = Set.of(RunState.PRELAUNCH, RunState.PAUSED, RunState.POSTMIGRATE,
            RunState.INMIGRATE);

    /** Writes a whole stream into a channel. */
    @FunctionalInterface
    private interface StreamWrite {
        long write(WritableByteChannel channel) throws IOException, MigrationException;
    }

    /** Puts a stream somewhere: a caller's channel, a file. */
    @FunctionalInterface
    private interface Destination {
        void accept(StreamWrite write) throws MigrationException;
    }

    /** Reads a whole stream into the loader. */
    @FunctionalInterface
    private interface Source {
        void readInto(SnapshotLoader loader) throws MigrationException;
    }

    @Activate
    public StopAndCopyMigrationService() {
    }

    @Override
    public void save(MachineControl machine, WritableByteChannel target) throws MigrationException {
        Objects.requireNonNull(target, "target");
        save(machine, "the channel", write -> {
            try {
                write.write(target);
            } catch (IOException e) {
                throw new MigrationException("cannot write the stream: " + e.getMessage(), e);
            }
        });
    }

    @Override
    public void save(MachineControl machine, Path file) throws MigrationException {
        Objects.requireNonNull(file, "file");
        save(machine, file.toString(), write -> SnapshotFiles.writeWhole(file, write::write));
    }

    @Override
    public void load(MachineControl machine, ReadableByteChannel source) throws MigrationException {
        Objects.requireNonNull(source, "source");
        load(machine, "the channel", loader -> {
            try {
                loader.load(source, false);
            } catch (IOException e) {
                throw new MigrationException("cannot read the stream: " + e.getMessage(), e);
            }
        });
    }

    @Override
    public void load(MachineControl machine, Path file) throws MigrationException {
        Objects.requireNonNull(file, "file");
        checkLoadable(machine);
        try (FileChannel channel = SnapshotFiles.openForReading(file)) {
            load(machine, file.toString(), loader -> {
                try {
                    loader.load(channel, true);
                } catch (IOException e) {
                    throw new MigrationException("cannot read " + file + ": " + SnapshotFiles.describe(e, file), e);
                }
            });
        } catch (IOException closing) {
            LOG.log(Level.DEBUG, "closing " + file + " failed", closing);
        }
    }

    @Override
    public void migrate(MachineControl machine, String uri) throws MigrationException {
        save(machine, MigrationUri.parse(uri).file());
    }

    @Override
    public void incoming(MachineControl machine, String uri) throws MigrationException {
        load(machine, MigrationUri.parse(uri).file());
    }

    private void save(MachineControl machine, String where, Destination destination) throws MigrationException {
        Objects.requireNonNull(machine, "machine");
        RunState from = machine.state();
        if (from == RunState.RUNNING) {
            throw new MigrationException("machine '" + machine.name() + "' is running: stop it first, a snapshot is taken of a paused machine");
        }
        if (!SAVABLE.contains(from)) {
            throw new MigrationException("machine '" + machine.name() + "' cannot be saved in state " + from.qapiName()
                    + (from == RunState.PRELAUNCH ? " (it has not started yet)" : ""));
        }
        HandlerSet handlers = HandlerSet.of(machine);
        MachineLayout layout = MachineLayout.of(machine);
        long started = System.nanoTime();
        step(machine, from, RunState.FINISH_MIGRATE);
        long[] bytes = new long[1];
        boolean written = false;
        try {
            destination.accept(channel -> bytes[0] = new SnapshotWriter(handlers, layout).write(channel));
            written = true;
        } finally {
            if (!written) {
                stepBack(machine, RunState.FINISH_MIGRATE, from);
            }
        }
        step(machine, RunState.FINISH_MIGRATE, RunState.POSTMIGRATE);
        // Not INFO: Gogo shows what a command's thread writes, and a monitor command that worked prints nothing.
        LOG.log(Level.DEBUG, () -> "machine " + machine.name() + ": saved " + bytes[0] + " bytes to " + where + " in "
                + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started) + " ms");
    }

    private void load(MachineControl machine, String where, Source source) throws MigrationException {
        RunState from = checkLoadable(machine);
        HandlerSet handlers = HandlerSet.of(machine);
        long started = System.nanoTime();
        step(machine, from, RunState.INMIGRATE);
        SnapshotLoader loader = new SnapshotLoader(machine, handlers);
        boolean loaded = false;
        try {
            source.readInto(loader);
            loaded = true;
        } finally {
            // A stream refused before it changed anything leaves a paused machine as it was; one
            // refused later leaves it in inmigrate, where it cannot run half-loaded.
            if (!loaded && !loader.touchedMachine() && from != RunState.PRELAUNCH) {
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
