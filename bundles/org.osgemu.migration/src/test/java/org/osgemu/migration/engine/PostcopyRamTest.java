package org.osgemu.migration.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.osgemu.api.memory.RamBlock;
import org.osgemu.api.migration.Section;
import org.osgemu.api.migration.SectionOutput;
import org.osgemu.api.migration.SectionType;
import org.osgemu.core.memory.RamAllocator;

/**
 * The RAM block handler's postcopy rules, on both sides, with real RAM blocks and no sockets:
 * a late copy never overwrites a page the destination already has, discards make redirtied pages
 * absent again, requested pages go once, and a resumed source sends exactly what the destination
 * lacks. Also the tracker itself: waiters ask once and wake when the page comes.
 */
class PostcopyRamTest {

    private static final int PAGE = RamBlock.PAGE_SIZE;
    private final RamAllocator ram = new RamAllocator("test");

    @AfterEach
    void free() {
        ram.close();
    }

    @Test
    void aPagePresentAtTheDestinationIsNotOverwrittenByALateCopy() throws Exception {
        RamBlock source = filled("src", 8, 0x11);
        RamBlock target = ram.allocate("dst", 8L * PAGE);
        RamBlockHandler out = handler(source);
        RamBlockHandler in = handler(target);
        in.loadSetup();
        capture(out::setup);
        List<byte[]> sent = capture(output -> out.iterate(output)); // every page once
        in.load(new Section(SectionType.PART, 1, ByteBuffer.wrap(sent.getFirst())));
        PresentPages tracker = in.listen((p, page) -> true);
        target.segment().set(ValueLayout.JAVA_LONG, 2L * PAGE, 0xC0FFEE); // the guest writes page 2 after it arrived

        in.load(new Section(SectionType.PART, 1, ByteBuffer.wrap(sent.getFirst()))); // the same pages once more

        assertEquals(0xC0FFEE, target.segment().get(ValueLayout.JAVA_LONG, 2L * PAGE), "the guest's write survives");
        assertTrue(tracker.complete());
        assertSame(tracker, target.absentPages());
        in.endPostcopy();
        assertNull(target.absentPages());
    }

    @Test
    void discardedPagesAreAbsentUntilTheyComeAgainAndOnlyThoseAreRequested() throws Exception {
        RamBlock source = filled("src", 8, 0x22);
        RamBlock target = ram.allocate("dst", 8L * PAGE);
        RamBlockHandler out = handler(source);
        RamBlockHandler in = handler(target);
        in.loadSetup();
        capture(out::setup);
        List<byte[]> sent = capture(output -> out.iterate(output));
        in.load(new Section(SectionType.PART, 1, ByteBuffer.wrap(sent.getFirst())));
        source.segment().set(ValueLayout.JAVA_LONG, 5L * PAGE, 0x5555); // the guest dirties page 5 again
        source.markDirty(5L * PAGE, 8);
        out.sync();
        List<long[]> runs = out.discardRuns();
        assertEquals(1, runs.size());
        assertEquals(5, runs.getFirst()[0]);
        assertEquals(1, runs.getFirst()[1]);

        in.discard(5, 1);
        List<Long> requested = new CopyOnWriteArrayList<>();
        PresentPages tracker = in.listen((p, page) -> requested.add(page));
        assertTrue(tracker.isAbsent(5L * PAGE));
        assertFalse(tracker.isAbsent(4L * PAGE));
        assertFalse(tracker.await(5L * PAGE, 8, 1_000_000), "page 5 is not there yet");
        assertFalse(tracker.await(5L * PAGE, 8, 1_000_000));
        assertEquals(List.of(5L), requested, "asked for once, however often waited for");

        List<byte[]> urgent = capture(output -> out.sendRequested(output, 5L * PAGE, PAGE));
        assertEquals(0, capture(output -> out.sendRequested(output, 5L * PAGE, PAGE)).size(), "a page goes once");
        in.load(new Section(SectionType.PART, 1, ByteBuffer.wrap(urgent.getFirst())));

        assertTrue(tracker.await(5L * PAGE, 8, 1_000_000));
        assertEquals(0x5555, target.segment().get(ValueLayout.JAVA_LONG, 5L * PAGE), "the new contents, not the stale copy");
        assertEquals(0, out.pagesToSend());
    }

    @Test
    void aWaiterWakesWhenItsPageArrivesAndAResumedSourceSendsWhatIsMissing() throws Exception {
        RamBlock target = ram.allocate("dst", 4L * PAGE);
        RamBlockHandler in = handler(target);
        in.loadSetup();
        PresentPages tracker = in.listen((p, page) -> true);
        boolean[] woke = new boolean[1];
        Thread waiter = Thread.ofPlatform().start(() -> woke[0] = tracker.await(PAGE, 16, 10_000_000_000L));
        Thread.sleep(50);
        assertTrue(waiter.isAlive(), "waits for the page");
        tracker.markPresent(1);
        waiter.join(5_000);
        assertTrue(woke[0]);

        RamBlock source = filled("src", 4, 0x33);
        RamBlockHandler out = handler(source);
        capture(out::setup);
        out.resumeFrom(tracker.bitmap());
        assertEquals(3, out.pagesToSend(), "pages 0, 2 and 3 are still missing there");
    }

    private RamBlock filled(String name, int pages, int value) {
        RamBlock block = ram.allocate(name, (long) pages * PAGE);
        for (int p = 0; p < pages; p++) {
            block.segment().asSlice((long) p * PAGE, PAGE).fill((byte) (value + p));
        }
        return block;
    }

    private static RamBlockHandler handler(RamBlock block) {
        return new RamBlockHandler(block, 0, HandlerSet.PRIORITY_RAM, new MigrationProgress(), () -> { });
    }

    @FunctionalInterface
    private interface Sending {
        void send(SectionOutput out) throws IOException;
    }

    /** The payloads a handler sends through one output. */
    private static List<byte[]> capture(Sending sending) throws IOException {
        List<byte[]> payloads = new ArrayList<>();
        sending.send(new SectionOutput() {
            @Override
            public int maxPayload() {
                return 1 << 20;
            }

            @Override
            public void send(byte[] payload) {
                payloads.add(payload.clone());
            }
        });
        return payloads;
    }
}
