package org.osgemu.api.memory;

import java.lang.foreign.MemorySegment;

/**
 * A block of guest RAM, off-heap, with one dirty bitmap per {@link DirtyClient}.
 *
 * <p>Writers that bypass {@link AddressSpace} (a CPU's fast path, DMA) must call
 * {@link #markDirty(long, long)} for what they write. Pages are {@link #PAGE_SIZE} bytes.
 */
public interface RamBlock {

    /** Size of the pages that dirty tracking works on. */
    int PAGE_SIZE = 4096;

    /** Name of the block, e.g. {@code riscv.virt.ram}, as migration streams name it. */
    String name();

    /** Size in bytes. */
    long size();

    /** The backing memory, little-endian guest layout. */
    MemorySegment segment();

    /** Marks {@code [offset, offset+length)} dirty for every client. */
    void markDirty(long offset, long length);

    /** Whether the page holding {@code offset} is dirty for {@code client}. */
    boolean isDirty(DirtyClient client, long offset);

    /** Tests and clears the dirty bit of the page holding {@code offset} for {@code client}. */
    boolean testAndClearDirty(DirtyClient client, long offset);

    /** Number of pages dirty for {@code client}. */
    long dirtyPageCount(DirtyClient client);
}
