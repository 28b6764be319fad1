package org.osgemu.migration.service;

import org.osgemu.api.machine.MachineControl;

/**
 * The migration service as this bundle's commands use it: each machine's migrations, capabilities
 * and parameters, and the listeners for events. Registered beside
 * {@link org.osgemu.api.migration.MigrationService} by the same component; private to the bundle.
 */
public interface MigrationControl {

    /** The migrations of {@code machine} (created on first use, kept by machine name). */
    MachineMigrations of(MachineControl machine);

    void addListener(MigrationListener listener);

    void removeListener(MigrationListener listener);
}
