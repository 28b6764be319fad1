package org.osgemu.api.machine;

/** Run states of a machine, named as QEMU's QAPI {@code RunState} values. */
public enum RunState {
    PRELAUNCH("prelaunch"),
    RUNNING("running"),
    PAUSED("paused"),
    INMIGRATE("inmigrate"),
    POSTMIGRATE("postmigrate"),
    FINISH_MIGRATE("finish-migrate"),
    SHUTDOWN("shutdown"),
    INTERNAL_ERROR("internal-error");

    private final String qapiName;

    RunState(String qapiName) {
        this.qapiName = qapiName;
    }

    /** The name QMP uses. */
    public String qapiName() {
        return qapiName;
    }
}
