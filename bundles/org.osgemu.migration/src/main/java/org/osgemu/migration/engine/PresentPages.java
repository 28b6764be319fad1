package org.osgemu.migration.engine;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

import org.osgemu.api.memory.AbsentPages;
import org.osgemu.api.memory.RamBlock;

/**
 * A postcopy destination's record of which pages of one RAM block have arrived, installed on the
 * block as its {@link AbsentPages} while the guest runs ahead of its memory. A thread that needs an
 * absent page asks for it once ({@link Requester}; a page already asked for is not asked again
 * until {@link #forgetRequests()}, after a reconnection) and waits; the migration's reader marks
 * pages present as they arrive and wakes the waiters.
 *
 * <p>Presence bits are read without a lock (one array read per question); a page's bytes are
 * copied in before its bit is set, so whoever sees the bit sees the bytes.
 */
final class PresentPages implements AbsentPages {

    /** Sends a page request for the source; called without any lock held, from the waiting thread. */
    @FunctionalInterface
    interface Requester {
        /** Returns whether the request went out (false while the connection is down: it is asked again later). */
        boolean request(PresentPages pages, long page);
    }

    private static final int PAGE_SIZE = RamBlock.PAGE_SIZE;

    private final RamBlock block;
    private final long pages;
    private final AtomicLongArray present;
    private final AtomicLongArray requested;
    private final Requester requester;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition arrived = lock.newCondition();
    private volatile boolean released;

    /** Starts with the pages set in {@code received} (bit i of word i/64 for page i) present. */
    PresentPages(RamBlock block, long[] received, Requester requester) {
        this.block = block;
        this.pages = block.size() / PAGE_SIZE;
        this.present = new AtomicLongArray(received.clone());
        this.requested = new AtomicLongArray(received.length);
        this.requester = requester;
    }

    RamBlock block() {
        return block;
    }

    @Override
    public boolean isAbsent(long offset) {
        return !isPresent(offset / PAGE_SIZE);
    }

    boolean isPresent(long page) {
        return released || (present.get((int) (page >>> 6)) & 1L << page) != 0;
    }

    @Override
    public boolean await(long offset, long length, long timeoutNanos) {
        if (length <= 0) {
            return true;
        }
        long first = offset / PAGE_SIZE;
        long last = Math.min(pages - 1, (offset + length - 1) / PAGE_SIZE);
        if (allPresent(first, last)) {
            return true;
        }
        for (long page = first; page <= last; page++) {
            if (!isPresent(page) && markRequested(page) && !requester.request(this, page)) {
                unmarkRequested(page);
            }
        }
        long deadline = System.nanoTime() + timeoutNanos;
        lock.lock();
        try {
            while (!allPresent(first, last)) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                arrived.awaitNanos(Math.min(left, TimeUnit.MILLISECONDS.toNanos(50)));
            }
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } finally {
            lock.unlock();
        }
    }

    private boolean allPresent(long first, long last) {
        for (long page = first; page <= last; page++) {
            if (!isPresent(page)) {
                return false;
            }
        }
        return true;
    }

    /** Sets the page's request bit; true when it was not set (this caller sends the request). */
    private boolean markRequested(long page) {
        int word = (int) (page >>> 6);
        long bit = 1L << page;
        long old;
        do {
            old = requested.get(word);
            if ((old & bit) != 0) {
                return false;
            }
        } while (!requested.compareAndSet(word, old, old | bit));
        return true;
    }

    private void unmarkRequested(long page) {
        int word = (int) (page >>> 6);
        long bit = 1L << page;
        long old;
        do {
            old = requested.get(word);
        } while ((old & bit) != 0 && !requested.compareAndSet(word, old, old & ~bit));
    }

    /** The page's bytes are in the block: marks it present and wakes whoever waits. */
    void markPresent(long page) {
        int word = (int) (page >>> 6);
        long bit = 1L << page;
        long old;
        do {
            old = present.get(word);
        } while ((old & bit) == 0 && !present.compareAndSet(word, old, old | bit));
        lock.lock();
        try {
            arrived.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Pages not present now, taken absent again (a discard before the guest runs). */
    void markAbsent(long page) {
        int word = (int) (page >>> 6);
        long bit = 1L << page;
        long old;
        do {
            old = present.get(word);
        } while ((old & bit) != 0 && !present.compareAndSet(word, old, old & ~bit));
    }

    /** After a reconnection the source lost the requests it had: waiters ask again. */
    void forgetRequests() {
        for (int i = 0; i < requested.length(); i++) {
            requested.set(i, 0);
        }
        lock.lock();
        try {
            arrived.signalAll(); // their next slice asks anew
        } finally {
            lock.unlock();
        }
    }

    /**
     * The migration ended without every page (the machine is going away, or the load failed for
     * good): nobody waits any more, every page counts as present whatever it holds.
     */
    void release() {
        released = true;
        lock.lock();
        try {
            arrived.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** The presence bits as {@code long} words, page i in bit i % 64 of word i / 64. */
    long[] bitmap() {
        long[] bits = new long[present.length()];
        for (int i = 0; i < bits.length; i++) {
            bits[i] = present.get(i);
        }
        return bits;
    }

    /** Whether every page arrived. */
    boolean complete() {
        return allPresent(0, pages - 1);
    }
}
