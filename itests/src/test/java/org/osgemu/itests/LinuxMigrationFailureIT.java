package org.osgemu.itests;

/**
 * {@link MigrationFailureIT} with the Linux test guest ({@link LinuxMigrationGuest}): after each
 * failed migration the source's Linux goes on, its dirtymem and diskwriter programs without a
 * restart and with every checksum right, and the shared disk file holds every write.
 */
public class LinuxMigrationFailureIT extends MigrationFailureIT {

    @Override
    protected MigrationGuest guest() {
        return new LinuxMigrationGuest();
    }
}
