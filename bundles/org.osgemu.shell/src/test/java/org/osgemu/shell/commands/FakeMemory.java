package org.osgemu.shell.commands;

import org.osgemu.api.memory.AddressSpace;
import org.osgemu.api.memory.FlatView;
import org.osgemu.api.memory.MemoryRegion;

/** An address space that only has a root region (the qtree only walks the tree). */
record FakeMemory(MemoryRegion root) implements AddressSpace {
    @Override public String name() { return "memory"; }
    @Override public FlatView flatView() { throw new UnsupportedOperationException(); }
    @Override public long read(long address, int size) { throw new UnsupportedOperationException(); }
    @Override public void write(long address, long value, int size) { throw new UnsupportedOperationException(); }
    @Override public void readBytes(long address, byte[] dst, int offset, int length) { throw new UnsupportedOperationException(); }
    @Override public void loadBytes(long address, byte[] src, int offset, int length) { throw new UnsupportedOperationException(); }
    @Override public void writeBytes(long address, byte[] src, int offset, int length) { throw new UnsupportedOperationException(); }
}
