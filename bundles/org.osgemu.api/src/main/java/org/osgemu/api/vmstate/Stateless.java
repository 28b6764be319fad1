package org.osgemu.api.vmstate;

/**
 * Declares that a device has no state to migrate: everything it does follows from its
 * configuration and from what other parts of the machine hold (a register that only triggers an
 * action, such as a test finisher, has nothing to carry over). A machine migrates or saves a
 * snapshot only when each of its devices either describes its state ({@link Migratable}, or is a
 * {@link org.osgemu.api.migration.MigrationHandler} itself) or implements this interface; any other
 * device blocks the migration (QEMU's migration blocker of an unmigratable device), and the refusal
 * names it. A device that implements both is migrated through {@link Migratable}.
 */
public interface Stateless {
}
