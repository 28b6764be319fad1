package org.osgemu.api.memory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

/** The default methods every {@link RamBlock} gets: word-wise dirty sync, absent-page waits. */
class RamBlockDefaultsTest {

    private static final long PAGE = RamBlock.PAGE_SIZE;

    /** The waiting half of {@link AbsentPages}. */
    private interface Await {
        boolean await(long offset, long length, long timeoutNanos);
    }

    /** A tracker whose pages are all absent and whose {@code await} is {@code await}. */
    private static AbsentPages tracker(Await await) {
        return new AbsentPages() {
            @Override public boolean isAbsent(long offset) { return true; }
            @Override public boolean await(long offset, long length, long timeoutNanos) {
                return await.await(offset, length, timeoutNanos);
            }
        };
    }

    @Test
    void aDirtyWordHoldsSixtyFourPagesAndClearsThem() {
        FakeRamBlock block = new FakeRamBlock("ram", 200 * PAGE);
        block.markDirty(0, 1);
        block.markDirty(63 * PAGE, 2 * PAGE); // pages 63 and 64
        block.markDirty(130 * PAGE, 1);

        assertEquals(1L | 1L << 63, block.takeDirtyWord(DirtyClient.MIGRATION, 0));
        assertEquals(1L, block.takeDirtyWord(DirtyClient.MIGRATION, 1));
        assertEquals(1L << 2, block.takeDirtyWord(DirtyClient.MIGRATION, 2));
        assertEquals(0, block.dirtyPageCount(DirtyClient.MIGRATION));
        assertEquals(0L, block.takeDirtyWord(DirtyClient.MIGRATION, 0)); // taken means cleared
    }

    @Test
    void theLastWordStopsAtTheBlocksEnd() {
        FakeRamBlock block = new FakeRamBlock("ram", 70 * PAGE);
        block.markDirty(0, 70 * PAGE);

        assertEquals(0b11_1111L, block.takeDirtyWord(DirtyClient.MIGRATION, 1)); // pages 64..69 only
        assertEquals(6, block.clears);
    }

    @Test
    void aWordIndexOutsideTheBlockIsRefused() {
        FakeRamBlock block = new FakeRamBlock("ram", 128 * PAGE);

        assertThrows(IndexOutOfBoundsException.class, () -> block.takeDirtyWord(DirtyClient.MIGRATION, 2));
        assertThrows(IndexOutOfBoundsException.class, () -> block.takeDirtyWord(DirtyClient.MIGRATION, -1));
        assertEquals(0L, block.takeDirtyWord(DirtyClient.MIGRATION, 1));
    }

    @Test
    void aBlockWithoutATrackerCannotTrackAbsentPages() {
        RamBlock plain = new RamBlock() {
            @Override public String name() { return "rom0"; }
            @Override public long size() { return PAGE; }
            @Override public java.lang.foreign.MemorySegment segment() { return null; }
            @Override public void markDirty(long offset, long length) { }
            @Override public boolean isDirty(DirtyClient client, long offset) { return false; }
            @Override public boolean testAndClearDirty(DirtyClient client, long offset) { return false; }
            @Override public long dirtyPageCount(DirtyClient client) { return 0; }
        };

        UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class,
                () -> plain.setAbsentPages(tracker((offset, length, timeout) -> true)));

        assertTrue(e.getMessage().contains("rom0"), e.getMessage());
        plain.awaitPresent(0, PAGE); // no tracker: every page is present, nothing to wait for
    }

    @Test
    void awaitPresentAsksAgainUntilThePagesArrived() {
        FakeRamBlock block = new FakeRamBlock("ram", 4 * PAGE);
        List<String> asks = new ArrayList<>();
        block.setAbsentPages(tracker((offset, length, timeout) -> {
            asks.add(offset + "+" + length);
            return asks.size() == 3;
        }));

        block.awaitPresent(PAGE, 2 * PAGE);

        assertEquals(List.of("4096+8192", "4096+8192", "4096+8192"), asks);
    }

    @Test
    void anInterruptedThreadStopsWaiting() {
        FakeRamBlock block = new FakeRamBlock("ram", PAGE);
        List<Long> asks = new ArrayList<>();
        block.setAbsentPages(tracker((offset, length, timeout) -> {
            asks.add(timeout);
            Thread.currentThread().interrupt(); // as await does when the thread is interrupted
            return false;
        }));
        try {
            block.awaitPresent(0, PAGE);

            assertEquals(1, asks.size());
            assertTrue(Thread.currentThread().isInterrupted(), "the interrupt flag is kept for the caller");
        } finally {
            Thread.interrupted();
        }
    }
}
