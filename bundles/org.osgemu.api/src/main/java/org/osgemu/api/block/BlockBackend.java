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
}
