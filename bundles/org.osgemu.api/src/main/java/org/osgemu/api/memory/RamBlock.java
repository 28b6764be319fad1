package org.osgemu.api.memory;

import java.lang.foreign.MemorySegment;
import java.util.Objects;

/**
 * A block of guest RAM, off-heap, with one dirty bitmap per {@link DirtyClient}.
 *
 * <p>Writers that bypass {@link AddressSpace} (a CPU's fast path, DMA) must call
 * {@link #markDirty(long, long)} for what they write. Pages are {@link #PAGE_SIZE} bytes.
 *
 * <p>During a postcopy migration's destination phase some pages may be absent (not arrived
 * yet, see {@link AbsentPages}); readers and writers that bypass {@link AddressSpace} call
 * {@link #awaitPresent(long, long)} (or ask {@link #absentPages()} themselves) before they touch
 * a page they have not touched since. Without postcopy that costs one field read.
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

    /**
     * Takes the dirty bits of the 64 pages from page {@code 64 * wordIndex} for {@code client}:
     * returns them (bit {@code i} for page {@code 64 * wordIndex + i}; bits past the block's end are
     * zero) and clears those that were set. One call per 64 pages lets a client that scans the
     * whole block (a migration's dirty-bitmap sync) read words instead of testing every page.
     *
     * @throws IndexOutOfBoundsException when {@code wordIndex} is negative or not below
     *         {@code ceil(size() / PAGE_SIZE / 64)}
     */
    default long takeDirtyWord(DirtyClient client, int wordIndex) {
        long pages = size() / PAGE_SIZE;
        Objects.checkIndex(wordIndex, (pages + 63) >>> 6);
        long firstPage = (long) wordIndex << 6;
        long bits = 0;
        for (int i = 0; i < 64 && firstPage + i < pages; i++) {
            if (testAndClearDirty(client, (firstPage + i) * PAGE_SIZE)) {
                bits |= 1L << i;
            }
        }
        return bits;
    }

    /** Number of pages dirty for {@code client}. */
    long dirtyPageCount(DirtyClient client);

    /** The absent-page tracker a postcopy destination installed, or null: every page is present (the usual case). */
    default AbsentPages absentPages() {
        return null;
    }

    /**
     * Installs {@code pages} as this block's absent-page tracker, or removes it ({@code null}):
     * a postcopy destination installs one before its vCPUs first run and removes it once every
     * page arrived.
     *
     * @throws UnsupportedOperationException when this block cannot track absent pages
     */
    default void setAbsentPages(AbsentPages pages) {
        throw new UnsupportedOperationException("RAM block " + name() + " cannot track absent pages (no postcopy)");
    }

    /**
     * Returns once every page of {@code [offset, offset+length)} is present, asking for those that
     * are not; returns at once when no tracker is installed. For device threads (DMA) and other
     * callers that cannot give up and retry: a vCPU waits through {@link AbsentPages#await} in
     * slices instead, so that its machine can still stop it.
     */
    default void awaitPresent(long offset, long length) {
        AbsentPages pages = absentPages();
        if (pages == null) {
            return;
        }
        while (!pages.await(offset, length, 100_000_000L)) {
            if (Thread.currentThread().isInterrupted()) {
                return; // the thread is being ended: it will not use the page
            }
        }
    }
}
