package org.osgemu.api.machine;

/** Told about machine events (QMP turns them into STOP, RESUME, RESET, SHUTDOWN events). */
public interface MachineListener {

    /** The run state changed from {@code from} to {@code to}. */
    default void stateChanged(RunState from, RunState to) {
    }

    /** The machine was reset. */
    default void reset(ShutdownCause cause) {
    }

    /** The machine shut down. */
    default void shutdown(ShutdownCause cause, int exitCode) {
    }
}
