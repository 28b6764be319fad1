package org.osgemu.migration.engine;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;

import org.osgemu.api.block.BlockBackend;
import org.osgemu.api.migration.MigrationException;

/**
 * The block backends of one machine, as a live migration hands them over between two processes
 * that open the same image files (QEMU's inactive images): the source flushes and inactivates them
 * at the switchover, once its devices are saved and before the stream's end reaches the destination,
 * and activates them again when the migration fails and its guest goes on; the destination
 * activates them once the state arrived, before its vCPUs run. A snapshot to a file only flushes
 * them at that point ({@link #flushOnly()}), as QEMU flushes every drive when a migration
 * completes: the snapshot then goes with disk images that hold every write the guest saw complete,
 * while the same process keeps the images (it runs on or quits).
 */
public final class BlockDrives {

    private static final System.Logger LOG = System.getLogger(BlockDrives.class.getName());

    /** No drives at all: a machine without any. */
    public static final BlockDrives NONE = new BlockDrives(List::of);

    private final Supplier<? extends Collection<BlockBackend>> drives;
    /** Whether the switchover lets the images go (a live migration) or only flushes them (a snapshot). */
    private final boolean handOver;

    /** @param drives the machine's backends as they are now (asked at each hand-over) */
    public BlockDrives(Supplier<? extends Collection<BlockBackend>> drives) {
        this(drives, true);
    }

    private BlockDrives(Supplier<? extends Collection<BlockBackend>> drives, boolean handOver) {
        this.drives = Objects.requireNonNull(drives, "drives");
        this.handOver = handOver;
    }

    /** The same drives for a snapshot: the switchover flushes them and keeps them active. */
    public BlockDrives flushOnly() {
        return new BlockDrives(drives, false);
    }

    /**
     * At the switchover, once the stopped machine's devices are saved and before the stream's end:
     * flushes every active drive and, unless {@link #flushOnly()}, inactivates it, adding each to
     * {@code inactivated} (those that were inactive already stay out: a failure gives back only what
     * this took). A drive that cannot be flushed fails the switchover, named in the message; the
     * caller then {@link #activate(Collection) activates} {@code inactivated} again.
     */
    void switchover(List<BlockBackend> inactivated) throws MigrationException {
        if (!handOver) {
            flushAll();
            return;
        }
        for (BlockBackend drive : List.copyOf(drives.get())) {
            if (!drive.isImageActive()) {
                continue;
            }
            try {
                drive.inactivateImage();
                inactivated.add(drive);
            } catch (IOException | RuntimeException e) {
                throw new MigrationException("drive " + drive.id() + ": cannot flush and inactivate it for the switchover: "
                        + e.getMessage(), e);
            }
        }
    }

    private void flushAll() throws MigrationException {
        for (BlockBackend drive : List.copyOf(drives.get())) {
            if (!drive.isImageActive()) {
                continue; // inactivating flushed it, and nothing wrote since
            }
            try {
                drive.flush();
            } catch (IOException | RuntimeException e) {
                throw new MigrationException("drive " + drive.id() + ": cannot flush it for the snapshot: " + e.getMessage(), e);
            }
        }
    }

    /**
     * Looks the drives up once while the machine still runs: the first look-up links the code
     * behind it (a stream over the machine's backends, milliseconds when cold), which would
     * otherwise count in the downtime. The hand-over itself looks them up again, so a drive
     * added meanwhile is not missed.
     */
    void prepare() {
        drives.get();
    }

    /** Activates every drive that is not active, as {@link #activate(Collection)} does. */
    public void activateAll() throws MigrationException {
        activate(drives.get());
    }

    /**
     * Activates each of {@code drives} that is not active. When one cannot be (another process
     * holds its image), those this call activated are inactivated again, so that the process
     * holding the images keeps them all, and the failure names the drive.
     */
    static void activate(Collection<BlockBackend> drives) throws MigrationException {
        List<BlockBackend> activated = new ArrayList<>();
        for (BlockBackend drive : List.copyOf(drives)) {
            if (drive.isImageActive()) {
                continue;
            }
            try {
                drive.activateImage();
                activated.add(drive);
            } catch (IOException | RuntimeException e) {
                for (BlockBackend back : activated) {
                    try {
                        back.inactivateImage();
                    } catch (IOException | RuntimeException again) {
                        LOG.log(Level.WARNING, "drive " + back.id() + ": cannot let it go again after drive " + drive.id()
                                + " failed to activate", again);
                    }
                }
                throw new MigrationException("drive " + drive.id() + ": cannot activate it: " + e.getMessage(), e);
            }
        }
    }
}
