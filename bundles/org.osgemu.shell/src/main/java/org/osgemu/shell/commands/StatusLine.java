package org.osgemu.shell.commands;

import org.osgemu.api.machine.RunState;

/** {@code info status}: the run state worded as QEMU's monitor words it. */
final class StatusLine {

    private StatusLine() {
    }

    /**
     * QEMU says "running" only for the running state; every other state is "paused", with the
     * state's QAPI name in brackets unless it is plain {@code paused}.
     */
    static String format(RunState state) {
        return switch (state) {
            case RUNNING -> "VM status: running";
            case PAUSED -> "VM status: paused";
            default -> "VM status: paused (" + state.qapiName() + ")";
        };
    }
}
