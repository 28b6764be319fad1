package org.osgemu.migration.service;

import org.osgemu.migration.engine.MigrationStatus;

/**
 * Told about every migration of every machine (the command bundle turns this into QMP's
 * MIGRATION and MIGRATION_PASS events). Called on the migration's threads: return at once.
 */
public interface MigrationListener {

    /** The migration of {@code machine} (outgoing or incoming) is now in {@code status}. */
    void status(String machine, MigrationStatus status);

    /** An outgoing migration of {@code machine} synced its dirty bitmaps for the {@code number}-th time. */
    void pass(String machine, long number);
}
