package org.osgemu.api.migration;

import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Path;

import org.osgemu.api.machine.MachineControl;

/**
 * Saves a machine into a migration stream and loads one into a machine. Today this is
 * stop-and-copy (a snapshot of a paused machine); live migration over sockets will come behind
 * the same {@link #migrate} and {@link #incoming} entry points.
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
     * QEMU's {@code migrate URI}: {@code file:PATH} saves as {@link #save(MachineControl, Path)};
     * other transports ({@code tcp:}, {@code unix:}) are refused as not supported yet.
     */
    void migrate(MachineControl machine, String uri) throws MigrationException;

    /**
     * QEMU's {@code -incoming URI} and {@code migrate-incoming}: {@code file:PATH} loads as
     * {@link #load(MachineControl, Path)}; other transports are refused as not supported yet.
     */
    void incoming(MachineControl machine, String uri) throws MigrationException;
}
