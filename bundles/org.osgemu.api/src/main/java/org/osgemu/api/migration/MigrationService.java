package org.osgemu.api.migration;

import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Path;

import org.osgemu.api.machine.MachineControl;

/**
 * Saves a machine into a migration stream and loads one into a machine: snapshots of a paused
 * machine to channels and files, and QEMU's {@code migrate} and {@code -incoming} over
 * {@code tcp:HOST:PORT}, {@code unix:PATH} and {@code file:PATH}, live (precopy) when the machine
 * runs.
 *
 * <p>Run states follow QEMU: a save moves the machine from paused to {@code finish-migrate} and,
 * once the stream is complete, to {@code postmigrate} (from which {@code cont} resumes it); a
 * failed save puts it back where it was. A load moves it to {@code inmigrate} and, once the
 * whole stream is loaded, to {@code paused}; a load that failed after guest RAM began to change
 * leaves it in {@code inmigrate}, where it cannot run until another load succeeds, while one
 * refused before anything changed puts it back to paused.
 */
public interface MigrationService {

    /**
     * Writes the whole machine to {@code target}. The machine must be paused (or postmigrate):
     * stop it first. The channel is not closed.
     */
    void save(MachineControl machine, WritableByteChannel target) throws MigrationException;

    /** Writes the whole machine to {@code file}, which is replaced only once the stream is complete. */
    void save(MachineControl machine, Path file) throws MigrationException;

    /**
     * Loads a stream into {@code machine}, which must not run (prelaunch, paused, postmigrate or
     * inmigrate) and must have the stream's machine type, harts, RAM blocks and devices. Leaves it
     * paused. The channel is not closed.
     */
    void load(MachineControl machine, ReadableByteChannel source) throws MigrationException;

    /** Loads the stream in {@code file}; bytes after its end marker are refused. */
    void load(MachineControl machine, Path file) throws MigrationException;

    /**
     * QEMU's {@code migrate URI}, waiting for the end: {@code tcp:HOST:PORT}, {@code unix:PATH} or
     * {@code file:PATH}. A running machine is migrated live (precopy) and stops only for the
     * switchover; a paused one is saved as it is. On success the machine is postmigrate; on
     * failure it is back where it was (running or paused) and the exception says why.
     */
    void migrate(MachineControl machine, String uri) throws MigrationException;

    /**
     * QEMU's {@code migrate-incoming URI}, waiting for the end: listens on {@code tcp:HOST:PORT}
     * or {@code unix:PATH} for one source, or reads {@code file:PATH}, and loads the stream into
     * {@code machine}, which must not run. Leaves it paused.
     */
    void incoming(MachineControl machine, String uri) throws MigrationException;

    /**
     * QEMU's {@code -incoming URI}: what a launcher calls once it built {@code machine} paused.
     * {@code file:PATH} loads at once (as {@link #incoming(MachineControl, String)}) and then
     * continues the machine when {@code autostart}; {@code tcp:} and {@code unix:} start listening
     * and return, and the load goes on in the background; {@code defer} returns at once and waits
     * for QMP's {@code migrate-incoming}. A background load that succeeds runs the machine when
     * {@code autostart} and the source was running; one that fails ends the machine with exit status
     * 1 (QEMU's exit-on-error). This default loads and continues as the first case, for any URI.
     *
     * @param autostart whether the machine should run once loaded (no {@code -S})
     * @throws MigrationException when the URI is bad, the address cannot be listened on, or (for
     *         {@code file:}) the stream is refused
     */
    default void incoming(MachineControl machine, String uri, boolean autostart) throws MigrationException {
        incoming(machine, uri);
        if (autostart) {
            machine.cont();
        }
    }
}
