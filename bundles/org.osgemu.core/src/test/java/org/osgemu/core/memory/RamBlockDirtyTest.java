package org.osgemu.core.memory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.osgemu.api.memory.DirtyClient;
import org.osgemu.api.memory.MemoryRegion;
import org.osgemu.api.memory.RamBlock;

class RamBlockDirtyTest {

    private static final int PAGE = RamBlock.PAGE_SIZE;

    private final RamAllocator allocator = new RamAllocator("test");

    @AfterEach
    void freeRam() {
        allocator.close();
    }

    @Test
    void freshBlockIsCleanAndZeroed() {
        RamBlock block = allocator.allocate("ram", 64 * PAGE);

        for (DirtyClient client : DirtyClient.values()) {
            assertEquals(0, block.dirtyPageCount(client));
        }
        assertEquals(0, block.segment().get(java.lang.foreign.ValueLayout.JAVA_LONG, 8 * PAGE));
        assertEquals(64L * PAGE, block.segment().byteSize());
    }

    @Test
    void markDirtySetsEveryTouchedPageForEveryClient() {
        RamBlock block = allocator.allocate("ram", 200 * PAGE);

        block.markDirty(PAGE - 1, 2);            // straddles pages 0 and 1
        block.markDirty(63L * PAGE, 3L * PAGE);  // pages 63..65 cross a bitmap word

        for (DirtyClient client : DirtyClient.values()) {
            assertEquals(5, block.dirtyPageCount(client));
            assertTrue(block.isDirty(client, 0));
            assertTrue(block.isDirty(client, 2 * PAGE - 1));
            assertFalse(block.isDirty(client, 2 * PAGE));
            assertTrue(block.isDirty(client, 65L * PAGE + 17));
            assertFalse(block.isDirty(client, 66L * PAGE));
        }
    }

    @Test
    void clientsClearTheirOwnBitmapOnly() {
        RamBlock block = allocator.allocate("ram", 4 * PAGE);
        block.markDirty(PAGE, 8);

        assertTrue(block.testAndClearDirty(DirtyClient.MIGRATION, PAGE + 100));
        assertFalse(block.testAndClearDirty(DirtyClient.MIGRATION, PAGE), "already cleared");
        assertFalse(block.isDirty(DirtyClient.MIGRATION, PAGE));
        assertTrue(block.isDirty(DirtyClient.CODE, PAGE));
        assertTrue(block.isDirty(DirtyClient.DISPLAY, PAGE));

        block.markDirty(PAGE, 1);
        assertTrue(block.isDirty(DirtyClient.MIGRATION, PAGE), "a new store dirties the page again");

        block.testAndClearDirty(DirtyClient.DISPLAY, PAGE);
        block.markDirty(0, 3L * PAGE);
        assertTrue(block.isDirty(DirtyClient.DISPLAY, PAGE), "a wide store dirties it again too");
        assertEquals(3, block.dirtyPageCount(DirtyClient.DISPLAY));
    }

    @Test
    void storesThroughTheAddressSpaceMarkTheirPages() {
        RamBlock block = allocator.allocate("ram", 16 * PAGE);
        MemoryRegion system = MemoryRegion.container("system", -1L);
        system.addSubregion(0x8000_0000L, MemoryRegion.ram("ram", block));
        DispatchingAddressSpace space = new DispatchingAddressSpace("memory", system);

        space.write(0x8000_0000L + 3L * PAGE + 4, 1, 4);
        space.read(0x8000_0000L + 5L * PAGE, 8);
        space.writeBytes(0x8000_0000L + 8L * PAGE - 2, new byte[4], 0, 4);

        assertEquals(3, block.dirtyPageCount(DirtyClient.CODE));
        assertTrue(block.isDirty(DirtyClient.CODE, 3L * PAGE));
        assertFalse(block.isDirty(DirtyClient.CODE, 5L * PAGE), "reads do not dirty");
        assertTrue(block.isDirty(DirtyClient.CODE, 7L * PAGE));
        assertTrue(block.isDirty(DirtyClient.CODE, 8L * PAGE));
        space.close();
    }

    @Test
    void sizeMustBeAPositiveMultipleOfThePageSize() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> allocator.allocate("odd", 5000));
        assertTrue(e.getMessage().contains("odd") && e.getMessage().contains("5000"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> allocator.allocate("none", 0));
    }

    @Test
    void markingOutsideTheBlockIsACallerBug() {
        RamBlock block = allocator.allocate("ram", 2 * PAGE);
        assertThrows(IndexOutOfBoundsException.class, () -> block.markDirty(2L * PAGE - 1, 2));
    }

    @Test
    void closingTheAllocatorFreesTheMemory() {
        RamBlock block = allocator.allocate("ram", PAGE);
        allocator.close();

        assertThrows(IllegalStateException.class, () -> block.segment().get(java.lang.foreign.ValueLayout.JAVA_BYTE, 0));
        assertThrows(IllegalStateException.class, () -> allocator.allocate("late", PAGE));
    }
}
