package org.osgemu.core.machine;

import static org.osgemu.api.machine.RunState.FINISH_MIGRATE;
import static org.osgemu.api.machine.RunState.INMIGRATE;

import org.osgemu.api.machine.RunState;

/**
 * The run-state changes a migration may make, after the migration rows of QEMU's run-state
 * transition table, and what each does to the machine besides naming the new state.
 */
enum MigrationStep {
    /** Running to finish-migrate (a live source's switchover): vCPUs and clock stop first. */
    STOP_AND_SAVE,
    /** Prelaunch to inmigrate: reset and vCPU threads started, held until the machine runs. */
    START_HELD,
    /** Finish-migrate back to running (a live source whose migration failed). */
    RESUME,
    /** Only the state changes: the vCPUs do not run before or after. */
    CHANGE;

    /** The step from {@code from} to {@code to}, or null when a migration may not make it. */
    static MigrationStep of(RunState from, RunState to) {
        return switch (to) {
            case FINISH_MIGRATE -> switch (from) {
                case RUNNING -> STOP_AND_SAVE;
                case PAUSED, POSTMIGRATE -> CHANGE;
                default -> null;
            };
            case POSTMIGRATE -> from == FINISH_MIGRATE ? CHANGE : null;
            case RUNNING -> from == FINISH_MIGRATE ? RESUME : null;
            case INMIGRATE -> switch (from) {
                case PRELAUNCH -> START_HELD;
                case PAUSED, POSTMIGRATE, INMIGRATE -> CHANGE;
                default -> null;
            };
            case PAUSED -> from == FINISH_MIGRATE || from == INMIGRATE ? CHANGE : null;
            default -> null;
        };
    }
}
