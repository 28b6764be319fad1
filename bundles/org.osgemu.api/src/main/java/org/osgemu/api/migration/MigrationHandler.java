package org.osgemu.api.migration;

import java.io.IOException;

/**
 * One part of a machine's state in a migration stream (QEMU's {@code SaveVMHandlers}): guest RAM,
 * a device, a CPU, the virtual clock. A handler is named in the stream by an id string, an instance
 * id and a label, and versioned; the destination matches the sections it reads to its own
 * handlers by id string and instance, and refuses a label that differs (another device).
 *
 * <p>Source: {@link #setup} (live handlers only, machine may run), {@link #iterate} and the
 * pending estimates (live only, machine runs), then {@link #complete} with the machine stopped,
 * then {@link #cleanup}, also after a failure. A stop-and-copy save calls setup and complete only.
 *
 * <p>Destination, machine stopped throughout: {@link #loadSetup}, {@link #load} for each section
 * of this handler as it arrives, {@link #loadComplete} once the whole stream was read and checked
 * (handlers are completed in priority order, highest first), then {@link #loadCleanup}, also
 * after a failure. A handler should touch the machine in {@code load} only where it must (RAM
 * pages, too large to hold back) and otherwise keep what it read until {@code loadComplete}, so a
 * stream refused at its end leaves the machine's devices as they were.
 *
 * <p>Errors: a handler's {@link MigrationException} message says what is wrong inside its data
 * ({@code field ier: ...}, {@code page offset 0x... beyond the block size 0x...}); the engine
 * puts the section's name in front.
 */
public interface MigrationHandler {

    /** Priority of ordinary devices. */
    int PRIORITY_DEFAULT = 0;

    /** The id string of its sections, e.g. {@code ram}, {@code ns16550a}; 1 to 255 bytes of UTF-8. */
    String idString();

    /** Tells apart handlers with the same id string (QEMU's instance id). */
    int instanceId();

    /** Which instance, for people and as a check: a device id, a RAM block name, {@code cpu0}; up to 255 bytes. */
    String label();

    /** The version saved, and the newest loaded. */
    int version();

    /** The oldest version still loaded. */
    default int minimumVersion() {
        return version();
    }

    /** Higher priorities are saved and completed first on load (the clock before devices that arm timers on it). */
    default int priority() {
        return PRIORITY_DEFAULT;
    }

    /** Whether the handler sends START, PART... and END sections (RAM); otherwise one FULL section. */
    default boolean isLive() {
        return false;
    }

    /**
     * Whether the handler waits for its destination side to approve the switchover (QEMU's
     * switchover-ack); asked on the destination, which then expects one
     * {@link LoadContext#approveSwitchover()} from this handler.
     */
    default boolean switchoverAckNeeded() {
        return false;
    }

    // ---- source ----

    /** Live handlers: begins (starts dirty tracking) and sends the first data; the first payload is the START section. */
    default void setup(SectionOutput out) throws IOException, MigrationException {
    }

    /**
     * Live handlers, while the machine may run: sends a chunk, as much as {@code out} takes in
     * one go; returns {@code true} when nothing more is pending now.
     */
    default boolean iterate(SectionOutput out) throws IOException, MigrationException {
        return true;
    }

    /** A cheap estimate of what is left to send. */
    default PendingBytes pendingEstimate() {
        return PendingBytes.NONE;
    }

    /** The exact amount left to send (may sync dirty bitmaps); called when the estimate looks small. */
    default PendingBytes pendingExact() {
        return pendingEstimate();
    }

    /** With the machine stopped: sends everything left (see {@link SectionOutput} for the section types). */
    void complete(SectionOutput out) throws IOException, MigrationException;

    /** Releases what the save used; called after success and failure, even without setup. */
    default void cleanup() {
    }

    // ---- destination ----

    /** Prepares to receive. */
    default void loadSetup() throws MigrationException {
    }

    /**
     * Prepares to receive, with what the incoming migration offers (the switchover approval of
     * {@link LoadContext}); the engine calls this one. The default calls {@link #loadSetup()}.
     */
    default void loadSetup(LoadContext context) throws MigrationException {
        loadSetup();
    }

    /** Takes one section of this handler; refuses data it cannot take with a message naming the field. */
    void load(Section section) throws MigrationException;

    /** The whole stream was read and checked: applies what was held back. */
    default void loadComplete() throws MigrationException {
    }

    /** Releases what the load used; called after success and failure. */
    default void loadCleanup() {
    }
}
