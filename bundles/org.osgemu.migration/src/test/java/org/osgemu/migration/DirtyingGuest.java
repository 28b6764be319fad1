package org.osgemu.migration;

import java.util.concurrent.atomic.AtomicLong;

import org.osgemu.api.memory.AddressSpace;
import org.osgemu.api.memory.RamBlock;

/**
 * A fake guest program for a {@link FakeHart}: each time the hart "executes" it rewrites a few
 * pages of a working set in RAM, through the address space (so the pages are marked dirty, as a
 * CPU's stores mark them), with a word that changes every time. How fast it dirties memory is set
 * by the pages per call (a FakeHart calls about 4000 times a second).
 */
final class DirtyingGuest implements Runnable {

    private final AddressSpace memory;
    private final long base;
    private final int pages;
    private final int pagesPerCall;
    private final AtomicLong writes = new AtomicLong();
    private long next;

    DirtyingGuest(AddressSpace memory, long base, int pages, int pagesPerCall) {
        this.memory = memory;
        this.base = base;
        this.pages = pages;
        this.pagesPerCall = pagesPerCall;
    }

    @Override
    public void run() {
        for (int i = 0; i < pagesPerCall; i++) {
            long n = writes.incrementAndGet();
            long page = next++ % pages;
            // every word of a page gets written in turn, so every page's content keeps changing
            long word = (n / pages) % (RamBlock.PAGE_SIZE / 8);
            memory.write(base + page * RamBlock.PAGE_SIZE + word * 8, n * 0x9E37_79B9_7F4A_7C15L, 8);
        }
    }

    /** Stores made so far. */
    long writes() {
        return writes.get();
    }
}
