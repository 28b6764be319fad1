package org.osgemu.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import org.junit.Test;

/**
 * {@link LiveMigrationIT} with the Linux test guest ({@link LinuxMigrationGuest}): a booted Linux
 * whose dirtymem program rewrites 64 MiB moves over TCP, a unix socket and to a deferred
 * destination, and with switchover-ack and the bigstate device; dirtymem goes on at the
 * destination without a restart and with every checksum right. With the shared disk, its
 * diskwriter program goes on writing it, and the host finds every write in the disk file.
 */
public class LinuxLiveMigrationIT extends LiveMigrationIT {

    @Override
    protected MigrationGuest guest() {
        return new LinuxMigrationGuest();
    }

    @Override
    protected MigrationGuest bigstateGuest() {
        return new LinuxMigrationGuest("-device", "bigstate,id=big0,size=32M,index-rounds=64");
    }

    /**
     * Linux cannot read the bigstate device: it has no driver for it, and the test kernel has no
     * /dev/mem (CONFIG_DEVMEM is off) for a program to reach its registers. Here the test shows
     * that the device's state loads (a bad one is refused, naming the section) and that the
     * switchover waits for its ack with Linux running; the bare-metal guest checks its contents.
     */
    @Override
    protected void assertTheGuestCheckedTheBigstateDevice(Osgemu source) {
    }

    @Test
    public void aDiskSharedByBothSidesKeepsEveryWriteTheGuestMadeBeforeAndAfterTheMove() throws Exception {
        try (MigrationPair pair = MigrationPair.start(new LinuxMigrationGuest(32))) {
            String uri = "unix:" + pair.socket("disk.sock");
            MigrationPair.Destination destination = pair.destination(uri);

            pair.sourceQmp.ok("{\"execute\": \"migrate\", \"arguments\": {\"uri\": \"" + uri + "\"}}");

            assertEquals(pair.sourceQmp.queryMigrate(), "completed", pair.sourceQmp.awaitMigration(180, "completed", "failed"));
            goesOn(pair, destination);
        } // closing checks the disk file, written by both sides, once both ended
    }

    @Test
    public void aLineTypedOnTheDestinationAsSoonAsTheSourceSaysCompletedReachesItsShellWhole() throws Exception {
        try (MigrationPair pair = MigrationPair.start(guest())) {
            String uri = "unix:" + pair.socket("console.sock");
            MigrationPair.Destination destination = pair.destination(uri);
            pair.sourceQmp.ok("{\"execute\": \"migrate\", \"arguments\": {\"uri\": \"" + uri + "\"}}");
            assertEquals(pair.sourceQmp.queryMigrate(), "completed", pair.sourceQmp.awaitMigration(180, "completed", "failed"));

            destination.vm().type("echo typed-$((6*7))");

            assertTrue("the shell's answer; console:\n" + destination.vm().stdout(), destination.vm().awaitOutput("typed-42", 60));
        }
    }
}
