package org.osgemu.core.memory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.ValueLayout;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.osgemu.api.memory.AbsentPages;
import org.osgemu.api.memory.MemoryRegion;
import org.osgemu.api.memory.RamBlock;

/**
 * Postcopy's absent pages as the address space sees them: an access to a page that has not
 * arrived waits (after asking for it) and then sees the page's bytes; a write to an absent page
 * waits too, so the page's late arrival cannot undo it; present pages and blocks without a
 * tracker are not asked about at all.
 */
class AbsentPagesTest {

    private final RamAllocator allocator = new RamAllocator("test");
    private final RamBlock ram = allocator.allocate("ram", 4 * RamBlock.PAGE_SIZE);
    private final MemoryRegion root = MemoryRegion.container("system", -1L);
    private final DispatchingAddressSpace space;

    AbsentPagesTest() {
        root.addSubregion(0x8000_0000L, MemoryRegion.ram("ram", ram));
        space = new DispatchingAddressSpace("memory", root);
    }

    @AfterEach
    void close() {
        space.close();
        allocator.close();
    }

    /** Page 1 is absent until {@link #arrive()} copies it in; every await is counted. */
    private final class Tracker implements AbsentPages {
        final AtomicLong awaits = new AtomicLong();
        final List<Long> asked = new CopyOnWriteArrayList<>();
        private volatile boolean arrived;

        @Override
        public boolean isAbsent(long offset) {
            return offset / RamBlock.PAGE_SIZE == 1 && !arrived;
        }

        @Override
        public synchronized boolean await(long offset, long length, long timeoutNanos) {
            awaits.incrementAndGet();
            if (!isAbsent(offset) && !isAbsent(offset + length - 1)) {
                return true;
            }
            asked.add(offset / RamBlock.PAGE_SIZE);
            try {
                wait(Math.max(1, timeoutNanos / 1_000_000));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return !isAbsent(offset);
        }

        synchronized void arrive() {
            ram.segment().set(ValueLayout.JAVA_LONG, RamBlock.PAGE_SIZE, 0x1234_5678L);
            arrived = true;
            notifyAll();
        }
    }

    @Test
    void aReadOfAnAbsentPageWaitsForItAndSeesItsBytes() throws Exception {
        Tracker tracker = new Tracker();
        ram.setAbsentPages(tracker);
        assertSame(tracker, ram.absentPages());
        long[] seen = new long[1];
        Thread reader = Thread.ofPlatform().start(() -> seen[0] = space.read(0x8000_1000L, 8));
        Thread.sleep(150);
        assertTrue(reader.isAlive(), "the read waits for the page");
        assertTrue(tracker.asked.contains(1L), "and asked for it");

        tracker.arrive();
        reader.join(5_000);

        assertEquals(0x1234_5678L, seen[0]);
    }

    @Test
    void aWriteToAnAbsentPageLandsAfterThePageArrived() throws Exception {
        Tracker tracker = new Tracker();
        ram.setAbsentPages(tracker);
        Thread writer = Thread.ofPlatform().start(() -> space.write(0x8000_1000L, 0xAAL, 8));
        Thread.sleep(150);
        assertTrue(writer.isAlive());
        tracker.arrive();
        writer.join(5_000);
        assertEquals(0xAAL, space.read(0x8000_1000L, 8), "the guest's write, not the page's arrival, is what stays");
        byte[] bytes = new byte[16];
        space.readBytes(0x8000_0ff8L, bytes, 0, 16); // across pages 0 and 1, both present now
        assertEquals((byte) 0xAA, bytes[8]);
    }

    @Test
    void withoutATrackerNothingIsAskedAndPresentPagesDoNotWait() {
        assertNull(ram.absentPages());
        space.write(0x8000_0000L, 7, 8);
        assertEquals(7, space.read(0x8000_0000L, 8));
        Tracker tracker = new Tracker();
        ram.setAbsentPages(tracker);
        assertEquals(7, space.read(0x8000_0000L, 8), "page 0 is present");
        assertTrue(tracker.asked.isEmpty());
        ram.setAbsentPages(null);
        long awaits = tracker.awaits.get();
        space.read(0x8000_1000L, 8); // page 1 is absent for the tracker, which is gone
        assertEquals(awaits, tracker.awaits.get());
    }
}
