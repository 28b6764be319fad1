package org.osgemu.migration.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.osgemu.api.memory.RamBlock;
import org.osgemu.api.migration.SectionOutput;
import org.osgemu.core.memory.RamAllocator;

/**
 * The source side of a RAM block's precopy, as the sync reads the dirty bitmap 64 pages at a
 * time: every page goes in the first pass, exactly the pages dirtied since go in the next (also
 * around a word's edges and in a last word the block fills only partly), and nothing else.
 */
class RamSyncTest {

    private static final int PAGE = RamBlock.PAGE_SIZE;
    /** Not a multiple of 64: the bitmap's last word is partly past the block. */
    private static final int PAGES = 100;

    private final RamAllocator ram = new RamAllocator("test");

    @AfterEach
    void free() {
        ram.close();
    }

    @Test
    void theFirstPassSendsEveryPageOnce() throws IOException {
        RamBlock block = filled();
        RamBlockHandler handler = new RamBlockHandler(block, 0, HandlerSet.PRIORITY_RAM, new MigrationProgress(), () -> { });
        handler.setup(discarding());

        assertEquals((long) PAGES * PAGE, handler.pendingEstimate().mustPrecopy());
        List<Long> sent = sendPass(handler);
        assertEquals(PAGES, sent.size());
        assertEquals(PAGES, sent.stream().distinct().count(), "no page twice");
        assertEquals(0, handler.pendingExact().mustPrecopy(), "nothing dirtied since setup");
    }

    @Test
    void aSyncTakesExactlyThePagesDirtiedSinceTheLastOne() throws IOException {
        RamBlock block = filled();
        RamBlockHandler handler = new RamBlockHandler(block, 0, HandlerSet.PRIORITY_RAM, new MigrationProgress(), () -> { });
        handler.setup(discarding());
        sendPass(handler);
        for (long page : new long[] {0, 63, 64, 99}) {
            block.markDirty(page * PAGE + 8, 8);
        }
        block.markDirty(63L * PAGE, 8); // twice: still one page to send

        assertEquals(4, handler.sync(), "pages dirtied");
        assertEquals(4L * PAGE, handler.pendingEstimate().mustPrecopy());
        assertEquals(List.of(0L, 63L, 64L, 99L), sendPass(handler).stream().sorted().toList());
        assertEquals(0, handler.sync(), "the sync cleared what it took");
    }

    /** Iterates until the pass is done; returns the pages sent, parsed from each payload as it goes. */
    private static List<Long> sendPass(RamBlockHandler handler) throws IOException {
        List<Long> pages = new ArrayList<>();
        SectionOutput parsing = new SectionOutput() {
            @Override
            public int maxPayload() {
                return 1 << 20;
            }

            @Override
            public void send(byte[] payload) {
                ByteBuffer records = ByteBuffer.wrap(payload);
                while (records.hasRemaining()) {
                    long word = records.getLong();
                    assertEquals(RamBlockHandler.PAGE, word & (PAGE - 1), "a page with its data (the pages are not zero)");
                    pages.add(word / PAGE);
                    records.position(records.position() + PAGE);
                }
            }
        };
        for (int i = 0; i < 1000 && !handler.iterate(parsing); i++) {
            // each iteration sends at most 256 KiB
        }
        return pages;
    }

    private RamBlock filled() {
        RamBlock block = ram.allocate("ram", (long) PAGES * PAGE);
        for (int p = 0; p < PAGES; p++) {
            block.segment().asSlice((long) p * PAGE, PAGE).fill((byte) (p | 1));
        }
        return block;
    }

    private static SectionOutput discarding() {
        return new SectionOutput() {
            @Override
            public int maxPayload() {
                return 1 << 20;
            }

            @Override
            public void send(byte[] payload) {
            }
        };
    }
}
