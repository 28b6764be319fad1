package org.osgemu.migration.engine;

/**
 * The states of a migration as QEMU's QAPI {@code MigrationStatus} names them. A source goes
 * setup, active, (pre-switchover,) device, completed, or ends failed or cancelled (through
 * cancelling); a destination goes setup, active, completed or failed. In postcopy both go
 * postcopy-active, and with a broken connection postcopy-paused, then postcopy-recover once
 * recovery starts, back to postcopy-active, and on to completed.
 */
public enum MigrationStatus {
    NONE("none"),
    SETUP("setup"),
    CANCELLING("cancelling"),
    CANCELLED("cancelled"),
    ACTIVE("active"),
    POSTCOPY_ACTIVE("postcopy-active"),
    POSTCOPY_PAUSED("postcopy-paused"),
    POSTCOPY_RECOVER("postcopy-recover"),
    COMPLETED("completed"),
    FAILED("failed"),
    COLO("colo"),
    PRE_SWITCHOVER("pre-switchover"),
    DEVICE("device"),
    WAIT_UNPLUG("wait-unplug");

    private final String qapiName;

    MigrationStatus(String qapiName) {
        this.qapiName = qapiName;
    }

    /** The name QMP uses. */
    public String qapiName() {
        return qapiName;
    }

    /** Whether a migration in this state has ended (or never began). */
    public boolean isFinal() {
        return this == NONE || this == COMPLETED || this == FAILED || this == CANCELLED;
    }

    /** Whether postcopy runs: the destination has the guest, the source cannot take it back. */
    public boolean isPostcopy() {
        return this == POSTCOPY_ACTIVE || this == POSTCOPY_PAUSED || this == POSTCOPY_RECOVER;
    }

    /** The status named {@code name} in QMP, or null. */
    public static MigrationStatus ofQapiName(String name) {
        for (MigrationStatus s : values()) {
            if (s.qapiName.equals(name)) {
                return s;
            }
        }
        return null;
    }
}
