package org.osgemu.api.memory;

import java.lang.foreign.MemorySegment;
import java.util.BitSet;
import java.util.Objects;

/** A RAM block without memory: only the migration client's dirty bitmap, for the interface's default methods. */
final class FakeRamBlock implements RamBlock {

    final BitSet dirty = new BitSet();
    private final String name;
    private final long size;
    private AbsentPages absent;
    int clears;

    FakeRamBlock(String name, long size) {
        this.name = name;
        this.size = size;
    }

    @Override public String name() { return name; }
    @Override public long size() { return size; }
    @Override public MemorySegment segment() { throw new UnsupportedOperationException(); }

    @Override
    public void markDirty(long offset, long length) {
        dirty.set((int) (offset / PAGE_SIZE), (int) ((offset + length + PAGE_SIZE - 1) / PAGE_SIZE));
    }

    @Override
    public boolean isDirty(DirtyClient client, long offset) {
        return dirty.get((int) (offset / PAGE_SIZE));
    }

    @Override
    public boolean testAndClearDirty(DirtyClient client, long offset) {
        Objects.checkIndex(offset, size); // as a real block: there is no page past the end
        int page = (int) (offset / PAGE_SIZE);
        boolean was = dirty.get(page);
        if (was) {
            dirty.clear(page);
            clears++;
        }
        return was;
    }

    @Override public long dirtyPageCount(DirtyClient client) { return dirty.cardinality(); }
    @Override public AbsentPages absentPages() { return absent; }
    @Override public void setAbsentPages(AbsentPages pages) { absent = pages; }
}
