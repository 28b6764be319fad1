package org.osgemu.core.memory;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Objects;

import org.osgemu.api.memory.AbsentPages;
import org.osgemu.api.memory.DirtyClient;
import org.osgemu.api.memory.RamBlock;

/**
 * Guest RAM in an off-heap segment owned by an {@link Arena} (zeroed on allocation: an anonymous
 * mapping where the host allows it, see {@link AnonymousMemory}), with one
 * lock-free dirty bitmap per {@link DirtyClient}. The memory lives as long as the arena: the
 * owner of the arena (a machine runtime) frees every block at once when it closes it.
 */
final class OffHeapRamBlock implements RamBlock {

    private static final int PAGE_SHIFT = Integer.numberOfTrailingZeros(PAGE_SIZE);

    private final String name;
    private final long size;
    private final MemorySegment segment;
    /** One bitmap per client, indexed by {@link DirtyClient#ordinal()}. */
    private final DirtyBitmaps dirty;
    /** Postcopy's tracker of pages not arrived yet; null (nearly always) when every page is present. */
    private volatile AbsentPages absent;

    OffHeapRamBlock(String name, long size, Arena arena) {
        this.name = Objects.requireNonNull(name, "name");
        if (size <= 0 || size % PAGE_SIZE != 0) {
            throw new IllegalArgumentException("RAM block " + name + ": size must be a positive multiple of "
                    + PAGE_SIZE + " bytes, not " + size);
        }
        this.size = size;
        // Both hand out zeroed, page-aligned memory (guest pages on host pages); the mapping
        // zeroes lazily, page by page, where Arena.allocate writes every byte up front.
        MemorySegment mapped = AnonymousMemory.map(size, arena);
        this.segment = mapped != null ? mapped : arena.allocate(size, PAGE_SIZE);
        this.dirty = new DirtyBitmaps(size >>> PAGE_SHIFT);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public long size() {
        return size;
    }

    @Override
    public MemorySegment segment() {
        return segment;
    }

    @Override
    public void markDirty(long offset, long length) {
        if (length == 0) {
            return;
        }
        Objects.checkFromIndexSize(offset, length, size);
        long firstPage = offset >>> PAGE_SHIFT;
        long lastPage = (offset + length - 1) >>> PAGE_SHIFT;
        if (firstPage == lastPage) {
            dirty.set(firstPage);
        } else {
            dirty.set(firstPage, lastPage);
        }
    }

    @Override
    public boolean isDirty(DirtyClient client, long offset) {
        return dirty.get(client.ordinal(), pageOf(offset));
    }

    @Override
    public boolean testAndClearDirty(DirtyClient client, long offset) {
        return dirty.testAndClear(client.ordinal(), pageOf(offset));
    }

    @Override
    public long takeDirtyWord(DirtyClient client, int wordIndex) {
        Objects.checkIndex(wordIndex, dirty.wordCount());
        return dirty.takeWord(client.ordinal(), wordIndex);
    }

    @Override
    public long dirtyPageCount(DirtyClient client) {
        return dirty.count(client.ordinal());
    }

    @Override
    public AbsentPages absentPages() {
        return absent;
    }

    @Override
    public void setAbsentPages(AbsentPages pages) {
        absent = pages;
    }

    private long pageOf(long offset) {
        Objects.checkIndex(offset, size);
        return offset >>> PAGE_SHIFT;
    }

    @Override
    public String toString() {
        return "RamBlock[" + name + ", size=0x" + Long.toHexString(size) + "]";
    }
}
