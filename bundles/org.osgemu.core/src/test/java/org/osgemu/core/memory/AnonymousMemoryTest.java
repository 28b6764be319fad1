package org.osgemu.core.memory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.lang.foreign.ValueLayout;

import org.junit.jupiter.api.Test;
import org.osgemu.api.memory.RamBlock;

/** Large guest RAM: zeroed, usable to its last byte, gone when the allocator closes. */
class AnonymousMemoryTest {

    private static final long FOUR_GIB = 4L << 30;

    @Test
    void aLargeBlockReadsZeroEverywhereAndIsWritableToItsEnd() {
        try (RamAllocator allocator = new RamAllocator("test")) {
            // 4 GiB would take seconds, and the memory, if it were zeroed up front
            RamBlock block = allocator.allocate("big", FOUR_GIB);
            for (long offset = 0; offset < FOUR_GIB; offset += 256L << 20) {
                assertEquals(0, block.segment().get(ValueLayout.JAVA_LONG, offset), "offset " + offset);
            }
            block.segment().set(ValueLayout.JAVA_LONG, FOUR_GIB - 8, 0x1122_3344_5566_7788L);
            assertEquals(0x1122_3344_5566_7788L, block.segment().get(ValueLayout.JAVA_LONG, FOUR_GIB - 8));
            assertEquals(0, block.segment().address() % RamBlock.PAGE_SIZE, "page-aligned");
        }
    }

    @Test
    void theMemoryIsGoneOnceTheAllocatorCloses() {
        RamAllocator allocator = new RamAllocator("test");
        RamBlock block = allocator.allocate("ram", 64L << 20);
        block.segment().set(ValueLayout.JAVA_INT, 0, 5);
        allocator.close();
        assertThrows(IllegalStateException.class, () -> block.segment().get(ValueLayout.JAVA_INT, 0));
    }
}
