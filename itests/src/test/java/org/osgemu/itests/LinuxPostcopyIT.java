package org.osgemu.itests;

/**
 * {@link PostcopyIT} with the Linux test guest ({@link LinuxMigrationGuest}): a booted Linux whose
 * dirtymem program rewrites 64 MiB moves in postcopy, then again with the link cut and the
 * migration recovered; dirtymem goes on at the destination without a restart and with every
 * checksum right (and the shared disk's writes all land, once the guest has one).
 */
public class LinuxPostcopyIT extends PostcopyIT {

    @Override
    protected MigrationGuest guest() {
        return new LinuxMigrationGuest();
    }
}
