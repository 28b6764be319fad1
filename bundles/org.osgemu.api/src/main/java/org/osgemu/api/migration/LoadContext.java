package org.osgemu.api.migration;

/**
 * What an incoming migration offers the handlers that load it (the destination side). A handler
 * gets it in {@link MigrationHandler#loadSetup(LoadContext)} and may keep it until
 * {@link MigrationHandler#loadCleanup()}.
 *
 * <p>switchover-ack (QEMU's capability of that name): a handler whose
 * {@link MigrationHandler#switchoverAckNeeded()} is true holds the source back from stopping the
 * machine until it calls {@link #approveSwitchover()}, which it does once the data it must have
 * before the downtime (a device's "initial bytes") is loaded and digested. When every such handler
 * approved, the destination sends SWITCHOVER_ACK over the return path.
 */
public interface LoadContext {

    /** A context without switchover-ack: approvals are accepted and change nothing. */
    LoadContext NONE = new LoadContext() {
        @Override
        public boolean switchoverAck() {
            return false;
        }

        @Override
        public void approveSwitchover() {
        }
    };

    /**
     * Whether this incoming migration uses switchover-ack (the capability is on here; the source
     * must have it on too, or it never waits for the approval).
     */
    boolean switchoverAck();

    /**
     * Approves the switchover on behalf of the calling handler; thread-safe, so a handler may call
     * it from a thread of its own. Without switchover-ack it does nothing.
     *
     * @throws MigrationException when more approvals come than handlers need one
     */
    void approveSwitchover() throws MigrationException;
}
