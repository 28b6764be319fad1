package org.osgemu.virtio.testing;

import org.osgemu.api.memory.AddressSpace;
import org.osgemu.api.memory.MemoryRegion;
import org.osgemu.api.memory.RamBlock;
import org.osgemu.core.memory.DispatchingAddressSpace;
import org.osgemu.core.memory.RamAllocator;

/**
 * Guest RAM for tests: a real off-heap RAM block of the core at {@link #BASE} in an address
 * space (so DMA goes through real flat views), with a bump allocator for rings and buffers.
 */
public final class GuestRam implements AutoCloseable {

    /** Where the RAM starts, as on the virt board. */
    public static final long BASE = 0x8000_0000L;

    private final RamAllocator allocator = new RamAllocator("test");
    private final RamBlock block;
    private final DispatchingAddressSpace space;
    private long next = BASE;

    /** {@code size} bytes of RAM (a multiple of 4096). */
    public GuestRam(long size) {
        block = allocator.allocate("ram", size);
        MemoryRegion root = MemoryRegion.container("system", -1L);
        root.addSubregion(BASE, MemoryRegion.ram("ram", block));
        space = new DispatchingAddressSpace("memory", root);
    }

    public AddressSpace space() {
        return space;
    }

    public RamBlock block() {
        return block;
    }

    /** {@code size} fresh bytes aligned to {@code align}. */
    public synchronized long alloc(long size, int align) {
        long at = (next + align - 1) & -align;
        next = at + size;
        if (next > BASE + block.size()) {
            throw new IllegalStateException("test RAM exhausted");
        }
        return at;
    }

    /** Allocates and fills a buffer. */
    public long put(byte[] data) {
        long at = alloc(Math.max(data.length, 1), 16);
        write(at, data);
        return at;
    }

    public void write(long address, byte[] data) {
        space.writeBytes(address, data, 0, data.length);
    }

    public byte[] read(long address, int length) {
        byte[] b = new byte[length];
        space.readBytes(address, b, 0, length);
        return b;
    }

    public int readU16(long address) {
        return (int) space.read(address, 2);
    }

    public long readU32(long address) {
        return space.read(address, 4);
    }

    public long readU64(long address) {
        return space.read(address, 8);
    }

    public void writeU16(long address, int value) {
        space.write(address, value, 2);
    }

    public void writeU32(long address, long value) {
        space.write(address, value, 4);
    }

    public void writeU64(long address, long value) {
        space.write(address, value, 8);
    }

    @Override
    public void close() {
        space.close();
        allocator.close();
    }
}
