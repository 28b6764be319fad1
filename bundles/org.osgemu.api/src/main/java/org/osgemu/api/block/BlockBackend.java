package org.osgemu.api.block;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * A block backend ({@code -drive}): a fixed-size array of bytes that devices read and write at
 * byte offsets, such as a raw image file. Services carry the property {@link #ID}; front ends
 * (virtio-blk) select theirs with a target filter such as {@code (id=hd0)}.
 *
 * <p>Every method may block on host I/O: front ends call them from worker threads, never from a
 * vCPU thread. Implementations are safe for concurrent use. A request outside
 * {@code [0, size())} is refused with an {@link IOException} and changes nothing; a write
 * completes only when its bytes reached the backend (the host's page cache for a file), and
 * {@link #flush()} makes every completed write durable.
 *
 * <p>Activation (QEMU's inactive images): a backend is <em>active</em> when it may write its
 * image, and then holds whatever keeps other processes from writing it at once (a host file lock).
 * A live migration hands the image over between two processes that open the same file: the
 * destination opens it inactive (no lock, no writes) and {@link #activateImage() activates} it once the
 * machine's state arrived; the source {@link #inactivateImage() inactivates} it at the switchover, and
 * activates it again when the migration fails and the guest runs on there. Reads work either way;
 * writes, discards and write-zeroes of an inactive backend are refused with an {@link IOException}.
 * Backends that hold no lock keep the defaults: always active, inactivation only flushes. (The
 * methods are not called {@code activate}: Declarative Services would take such a method of a
 * backend component for its activation method and call it when the component starts.)
 */
public interface BlockBackend {

    /** Service property: the backend id ({@code -drive ...,id=}). */
    String ID = "id";

    /** The backend id. */
    String id();

    /** Size in bytes, fixed while the backend lives. */
    long size();

    /** Whether writes, discards and write-zeroes are refused ({@code readonly=on}). */
    boolean isReadOnly();

    /**
     * Whether {@link #discard(long, long)} gives space back ({@code discard=unmap}); when false,
     * front ends do not offer discard to the guest and {@code discard} does nothing.
     */
    boolean supportsDiscard();

    /** Fills {@code dst} (all its remaining bytes) from {@code offset} on. */
    void read(long offset, ByteBuffer dst) throws IOException;

    /** Writes all remaining bytes of {@code src} at {@code offset}. */
    void write(long offset, ByteBuffer src) throws IOException;

    /** Makes every completed write durable (fsync). */
    void flush() throws IOException;

    /**
     * Tells the backend that {@code [offset, offset+length)} is no longer needed; what those bytes
     * read afterwards is unspecified (zeroes or the old data).
     */
    void discard(long offset, long length) throws IOException;

    /** Makes {@code [offset, offset+length)} read as zeroes; {@code mayUnmap} allows giving space back. */
    void writeZeroes(long offset, long length, boolean mayUnmap) throws IOException;

    /**
     * Flushes every completed write, then lets go of the image: the lock is released, and writes
     * are refused until {@link #activateImage()}. Does nothing more when already inactive.
     *
     * @throws IOException when the flush fails; the backend then stays active
     */
    default void inactivateImage() throws IOException {
        flush();
    }

    /**
     * Takes the image back for writing: takes the lock. Does nothing when already active.
     *
     * @throws IOException when another process holds the image; the message names the drive and the
     *         file, and the backend stays inactive
     */
    default void activateImage() throws IOException {
    }

    /** Whether the backend may write its image (see {@link #inactivateImage()}); true unless inactivated. */
    default boolean isImageActive() {
        return true;
    }
}
