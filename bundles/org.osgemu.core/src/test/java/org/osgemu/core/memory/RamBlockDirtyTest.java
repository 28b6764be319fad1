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

    @Test
    void takeDirtyWordReturnsAndClearsSixtyFourPagesOfOneClient() {
        RamBlock block = allocator.allocate("ram", 200 * PAGE);
        block.markDirty(64L * PAGE, PAGE);        // page 64: bit 0 of word 1
        block.markDirty(127L * PAGE, 2L * PAGE);  // pages 127 and 128: bit 63 of word 1, bit 0 of word 2

        assertEquals(0, block.takeDirtyWord(DirtyClient.MIGRATION, 0));
        assertEquals(1L | 1L << 63, block.takeDirtyWord(DirtyClient.MIGRATION, 1));
        assertEquals(0, block.takeDirtyWord(DirtyClient.MIGRATION, 1), "taken bits are cleared");
        assertEquals(1, block.dirtyPageCount(DirtyClient.MIGRATION), "page 128 stays for the next word");
        assertEquals(3, block.dirtyPageCount(DirtyClient.CODE), "other clients keep their bits");
    }

    @Test
    void aStoreAfterTakeDirtyWordIsRecordedAgain() {
        RamBlock block = allocator.allocate("ram", 64 * PAGE);
        block.markDirty(5L * PAGE, 8);
        for (DirtyClient client : DirtyClient.values()) {
            block.takeDirtyWord(client, 0);
        }

        block.markDirty(5L * PAGE, 8); // the summary bit must have gone with the clients' bits

        assertEquals(1L << 5, block.takeDirtyWord(DirtyClient.MIGRATION, 0));
    }

    @Test
    void takeDirtyWordRefusesWordsPastTheBlock() {
        RamBlock block = allocator.allocate("ram", 65 * PAGE); // two words, the second with one page

        assertEquals(0, block.takeDirtyWord(DirtyClient.MIGRATION, 1));
        assertThrows(IndexOutOfBoundsException.class, () -> block.takeDirtyWord(DirtyClient.MIGRATION, 2));
        assertThrows(IndexOutOfBoundsException.class, () -> block.takeDirtyWord(DirtyClient.MIGRATION, -1));
    }

    @Test
    void defaultTakeDirtyWordAgreesWithThePerPageCalls() {
        RamBlock real = allocator.allocate("ram", 130 * PAGE);
        RamBlock perPage = new RamBlock() { // keeps the interface's default takeDirtyWord
            @Override public String name() { return real.name(); }
            @Override public long size() { return real.size(); }
            @Override public java.lang.foreign.MemorySegment segment() { return real.segment(); }
            @Override public void markDirty(long offset, long length) { real.markDirty(offset, length); }
            @Override public boolean isDirty(DirtyClient client, long offset) { return real.isDirty(client, offset); }
            @Override public boolean testAndClearDirty(DirtyClient client, long offset) { return real.testAndClearDirty(client, offset); }
            @Override public long dirtyPageCount(DirtyClient client) { return real.dirtyPageCount(client); }
        };
        real.markDirty(3L * PAGE, PAGE);
        real.markDirty(63L * PAGE, 3L * PAGE);
        real.markDirty(129L * PAGE, PAGE);

        assertEquals(1L << 3 | 1L << 63, perPage.takeDirtyWord(DirtyClient.MIGRATION, 0));
        assertEquals(0b11, perPage.takeDirtyWord(DirtyClient.MIGRATION, 1));
        assertEquals(0b10, perPage.takeDirtyWord(DirtyClient.MIGRATION, 2), "the last word has two pages");
        assertEquals(0, real.dirtyPageCount(DirtyClient.MIGRATION));
        assertThrows(IndexOutOfBoundsException.class, () -> perPage.takeDirtyWord(DirtyClient.MIGRATION, 3));
    }
}
