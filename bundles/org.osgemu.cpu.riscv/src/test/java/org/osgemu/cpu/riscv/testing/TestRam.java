package org.osgemu.cpu.riscv.testing;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.BitSet;
import java.util.EnumMap;
import java.util.Map;

import org.osgemu.api.memory.DirtyClient;
import org.osgemu.api.memory.RamBlock;

/** A RAM block for tests: page-aligned off-heap memory with per-client dirty bitmaps. */
public final class TestRam implements RamBlock {

    private final String name;
    private final MemorySegment segment;
    private final Map<DirtyClient, BitSet> dirty = new EnumMap<>(DirtyClient.class);
    private volatile org.osgemu.api.memory.AbsentPages absent;

    public TestRam(String name, long size) {
        this.name = name;
        this.segment = Arena.ofAuto().allocate(size, PAGE_SIZE);
        for (DirtyClient c : DirtyClient.values()) {
            dirty.put(c, new BitSet());
        }
    }

    @Override public String name() { return name; }
    @Override public long size() { return segment.byteSize(); }
    @Override public MemorySegment segment() { return segment; }
    @Override public org.osgemu.api.memory.AbsentPages absentPages() { return absent; }
    @Override public void setAbsentPages(org.osgemu.api.memory.AbsentPages pages) { absent = pages; }

    @Override
    public synchronized void markDirty(long offset, long length) {
        for (BitSet b : dirty.values()) {
            b.set((int) (offset / PAGE_SIZE), (int) ((offset + length - 1) / PAGE_SIZE) + 1);
        }
    }

    @Override
    public synchronized boolean isDirty(DirtyClient client, long offset) {
        return dirty.get(client).get((int) (offset / PAGE_SIZE));
    }

    @Override
    public synchronized boolean testAndClearDirty(DirtyClient client, long offset) {
        int page = (int) (offset / PAGE_SIZE);
        boolean was = dirty.get(client).get(page);
        dirty.get(client).clear(page);
        return was;
    }

    @Override
    public synchronized long dirtyPageCount(DirtyClient client) {
        return dirty.get(client).cardinality();
    }
}
