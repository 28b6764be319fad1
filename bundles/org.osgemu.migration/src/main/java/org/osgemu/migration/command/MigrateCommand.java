package org.osgemu.migration.command;

import java.util.Objects;
import java.util.function.Supplier;

import org.osgemu.api.machine.MachineControl;
import org.osgemu.api.machine.RunState;
import org.osgemu.api.migration.MigrationException;
import org.osgemu.api.migration.MigrationService;

/**
 * What the monitor commands {@code migrate URI} and {@code migrate_incoming URI} do, apart from
 * any shell: a snapshot of the paused machine to {@code file:PATH}, and loading one into it. A
 * running machine is refused rather than stopped behind the user's back: QEMU would migrate it
 * live, which osgemu cannot do yet, so the user stops it and decides what happens after.
 *
 * <p>Results are returned as text (null when there is nothing to say, as QEMU's monitor prints
 * nothing for a command that worked); mistakes throw {@link IllegalArgumentException} or
 * {@link IllegalStateException} with one line that says what to do.
 */
public final class MigrateCommand {

    /** The answer when no machine is running. */
    static final String NO_MACHINE = "no machine is running";

    private final MigrationService migration;
    private final Supplier<MachineControl> machines;

    /** @param machines the machine the commands act on, or null when there is none */
    public MigrateCommand(MigrationService migration, Supplier<MachineControl> machines) {
        this.migration = Objects.requireNonNull(migration, "migration");
        this.machines = Objects.requireNonNull(machines, "machines");
    }

    /** {@code migrate file:PATH}: writes the paused machine to PATH; it is then postmigrate. */
    public String migrate(String... args) {
        String uri = oneUri("migrate", args);
        MachineControl machine = machines.get();
        if (machine == null) {
            return NO_MACHINE;
        }
        if (machine.state() == RunState.RUNNING) {
            throw new IllegalStateException("migrate: stop the machine first (stop), then migrate " + uri);
        }
        try {
            migration.migrate(machine, uri);
        } catch (MigrationException e) {
            throw new IllegalStateException("migrate: " + e.getMessage(), e);
        }
        return null;
    }

    /** {@code migrate_incoming file:PATH}: loads PATH into the machine, which must not run; it is then paused. */
    public String migrateIncoming(String... args) {
        String uri = oneUri("migrate_incoming", args);
        MachineControl machine = machines.get();
        if (machine == null) {
            return NO_MACHINE;
        }
        if (machine.state() == RunState.RUNNING) {
            throw new IllegalStateException("migrate_incoming: stop the machine first (stop), then migrate_incoming " + uri);
        }
        try {
            migration.incoming(machine, uri);
        } catch (MigrationException e) {
            throw new IllegalStateException("migrate_incoming: " + e.getMessage(), e);
        }
        return null;
    }

    private static String oneUri(String command, String[] args) {
        if (args.length != 1 || args[0].isBlank()) {
            throw new IllegalArgumentException(command + ": give one URI, e.g. " + command + " file:/tmp/vm.snapshot");
        }
        if (args[0].startsWith("-")) {
            throw new IllegalArgumentException(command + ": option " + args[0] + " is not supported; give one URI, e.g. "
                    + command + " file:/tmp/vm.snapshot");
        }
        return args[0];
    }
}
