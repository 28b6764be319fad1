package org.osgemu.core.memory;

import java.lang.foreign.Arena;
import java.util.Objects;

import org.osgemu.api.memory.RamBlock;

/**
 * Allocates the RAM blocks of one owner (a machine, the memory service) from one shared arena,
 * so that closing the allocator frees them all together.
 */
public final class RamAllocator implements AutoCloseable {

    private final String owner;
    private final Arena arena = Arena.ofShared();
    private boolean closed;

    /** {@code owner} names the allocator in error messages. */
    public RamAllocator(String owner) {
        this.owner = Objects.requireNonNull(owner, "owner");
    }

    /** Allocates zeroed RAM of {@code size} bytes, a multiple of {@link RamBlock#PAGE_SIZE}. */
    public synchronized RamBlock allocate(String name, long size) {
        if (closed) {
            throw new IllegalStateException(owner + ": cannot allocate RAM block " + name + " after the memory was freed");
        }
        return new OffHeapRamBlock(name, size, arena);
    }

    /** Frees every block; later accesses to their segments fail with {@link IllegalStateException}. */
    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            arena.close();
        }
    }
}
