package org.osgemu.migration.engine;

import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * The capabilities and parameters of one machine's migrations, as {@code migrate-set-capabilities}
 * and {@code migrate-set-parameters} leave them. A migration reads the capabilities once when it
 * starts and the parameters again in each rate-limit window, so a new {@code max-bandwidth}
 * applies at once, as in QEMU. Thread-safe.
 */
public final class MigrationSettings {

    private final EnumSet<Capability> capabilities = EnumSet.noneOf(Capability.class);
    private volatile MigrationParameters parameters = MigrationParameters.DEFAULTS;

    /** The capabilities that are on. */
    public synchronized Set<Capability> capabilities() {
        return EnumSet.copyOf(capabilities.isEmpty() ? EnumSet.noneOf(Capability.class) : capabilities);
    }

    public synchronized boolean has(Capability capability) {
        return capabilities.contains(capability);
    }

    /**
     * Turns capabilities on and off together, after checking the combination as QEMU's
     * {@code migrate_caps_check} does; nothing changes when it is refused.
     *
     * @throws IllegalArgumentException with QEMU's message for a combination it refuses
     */
    public synchronized void setCapabilities(Map<Capability, Boolean> changes) {
        EnumSet<Capability> next = EnumSet.copyOf(capabilities.isEmpty() ? EnumSet.noneOf(Capability.class) : capabilities);
        changes.forEach((capability, on) -> {
            if (on) {
                next.add(capability);
            } else {
                next.remove(capability);
            }
        });
        check(next);
        capabilities.clear();
        capabilities.addAll(next);
    }

    /** Refuses capability sets QEMU refuses. */
    static void check(Set<Capability> capabilities) {
        if (capabilities.contains(Capability.SWITCHOVER_ACK) && !capabilities.contains(Capability.RETURN_PATH)) {
            throw new IllegalArgumentException("Capability 'switchover-ack' requires capability 'return-path'");
        }
    }

    public MigrationParameters parameters() {
        return parameters;
    }

    /** Changes parameters; the change is checked whole and refused whole. */
    public synchronized void updateParameters(UnaryOperator<MigrationParameters> change) {
        parameters = change.apply(parameters);
    }
}
