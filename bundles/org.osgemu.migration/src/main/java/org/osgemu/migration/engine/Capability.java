package org.osgemu.migration.engine;

/** The migration capabilities osgemu takes, as QEMU's {@code MigrationCapability} names them. */
public enum Capability {
    /** The destination answers over the connection's other direction (needed by switchover-ack). */
    RETURN_PATH("return-path"),
    /**
     * Postcopy: after migrate-start-postcopy the destination runs before all RAM arrived and asks
     * for missing pages over the return path (opened whatever return-path says); on both sides.
     */
    POSTCOPY_RAM("postcopy-ram"),
    /** The source stops the machine only after the destination acknowledged it may. */
    SWITCHOVER_ACK("switchover-ack"),
    /** Throttle the vCPUs while the guest dirties memory faster than the link carries it. */
    AUTO_CONVERGE("auto-converge"),
    /** Emit the MIGRATION and MIGRATION_PASS events. */
    EVENTS("events"),
    /** Wait in pre-switchover (machine stopped, before the device state goes) for migrate-continue. */
    PAUSE_BEFORE_SWITCHOVER("pause-before-switchover");

    private final String qapiName;

    Capability(String qapiName) {
        this.qapiName = qapiName;
    }

    public String qapiName() {
        return qapiName;
    }

    /** The capability named {@code name} in QMP, or null. */
    public static Capability ofQapiName(String name) {
        for (Capability c : values()) {
            if (c.qapiName.equals(name)) {
                return c;
            }
        }
        return null;
    }
}
