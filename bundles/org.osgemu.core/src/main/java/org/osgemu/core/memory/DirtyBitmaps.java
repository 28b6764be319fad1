package org.osgemu.core.memory;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

import org.osgemu.api.memory.DirtyClient;

/**
 * One bit per page for each {@link DirtyClient}, set and cleared without locks so that vCPU
 * threads, DMA and a migration thread can share them.
 *
 * <p>Beside the clients' bits there is a summary bit per page, set while the page is dirty for
 * every client. A store first looks at the summary alone and is done when it is set, so a page
 * written over and over (a stack, a counter) costs one plain read per store instead of an
 * atomic read-modify-write. The summary word and the clients' words of the same 64 pages sit
 * next to each other in one cache line.
 *
 * <p>A store and a clear may interleave: a store sets the client bits, then the summary; a clear
 * clears the client's bit, then the summary. A store whose summary came after a clear's client bit
 * would leave the summary set over a clear bit, and no later store would record the page; so a
 * store looks at the client bits again once it set the summary, and takes the summary back when
 * one is clear. A store that saw the summary still set while a clear was under way is not
 * recorded, but the clear reported the page dirty, so its client reads the page after the store.
 *
 * <p>A store checks the bits after it wrote the data, without a fence: a client that clears bits
 * and then copies pages (migration) must let in-flight stores land before it copies, e.g. by a
 * round trip through the vCPU threads (a kick), as it must for bus-master writes anyway.
 */
final class DirtyBitmaps {

    private static final VarHandle WORDS = MethodHandles.arrayElementVarHandle(long[].class);
    /** A constant, so that the JIT unrolls the per-client loops. */
    private static final int CLIENTS = DirtyClient.values().length;
    /** Words per 64 pages: the summary, then one per client. */
    private static final int STRIDE = CLIENTS + 1;

    private final long[] words;

    DirtyBitmaps(long pageCount) {
        this.words = new long[Math.toIntExact(((pageCount + 63) >>> 6) * STRIDE)];
    }

    /** Sets the bit of {@code page} for every client: the path of every guest store. */
    void set(long page) {
        int base = (int) (page >>> 6) * STRIDE;
        long bit = 1L << page; // a shift uses the low 6 bits: page % 64
        if (((long) WORDS.getOpaque(words, base) & bit) == 0) {
            setInWord(base, bit);
        }
    }

    /** Sets the bits of pages {@code firstPage..lastPage} (inclusive) for every client. */
    void set(long firstPage, long lastPage) {
        long firstWord = firstPage >>> 6;
        long lastWord = lastPage >>> 6;
        for (long w = firstWord; w <= lastWord; w++) {
            long mask = -1L;
            if (w == firstWord) {
                mask &= -1L << firstPage;
            }
            if (w == lastWord) {
                mask &= -1L >>> (63 - (lastPage & 63));
            }
            int base = (int) w * STRIDE;
            if (((long) WORDS.getOpaque(words, base) & mask) != mask) {
                setInWord(base, mask);
            }
        }
    }

    private void setInWord(int base, long mask) {
        for (int c = 1; c <= CLIENTS; c++) {
            if (((long) WORDS.getOpaque(words, base + c) & mask) != mask) {
                WORDS.getAndBitwiseOr(words, base + c, mask);
            }
        }
        WORDS.getAndBitwiseOr(words, base, mask);
        long everyClient = mask;
        for (int c = 1; c <= CLIENTS; c++) {
            everyClient &= (long) WORDS.getVolatile(words, base + c);
        }
        if (everyClient != mask) {
            WORDS.getAndBitwiseAnd(words, base, ~(mask & ~everyClient)); // a clear came in between: no summary over it
        }
    }

    boolean get(int client, long page) {
        return ((long) WORDS.getAcquire(words, clientWord(client, page)) & (1L << page)) != 0;
    }

    /** Clears the bit of {@code page} for {@code client}; returns whether it was set. */
    boolean testAndClear(int client, long page) {
        int i = clientWord(client, page);
        long bit = 1L << page;
        if (((long) WORDS.getOpaque(words, i) & bit) == 0) {
            return false;
        }
        boolean was = ((long) WORDS.getAndBitwiseAnd(words, i, ~bit) & bit) != 0;
        WORDS.getAndBitwiseAnd(words, (int) (page >>> 6) * STRIDE, ~bit);
        return was;
    }

    /** Number of 64-page words in each client's bitmap. */
    int wordCount() {
        return words.length / STRIDE;
    }

    /**
     * Clears the bits of pages {@code 64 * word .. 64 * word + 63} for {@code client}; returns
     * those that were set. Like {@link #testAndClear}, the client's bits go before the summary's.
     */
    long takeWord(int client, int word) {
        int base = word * STRIDE;
        int i = base + 1 + client;
        if ((long) WORDS.getOpaque(words, i) == 0) {
            return 0;
        }
        long taken = (long) WORDS.getAndSet(words, i, 0L);
        if (taken != 0) {
            WORDS.getAndBitwiseAnd(words, base, ~taken);
        }
        return taken;
    }

    long count(int client) {
        long n = 0;
        for (int i = 1 + client; i < words.length; i += STRIDE) {
            n += Long.bitCount((long) WORDS.getOpaque(words, i));
        }
        return n;
    }

    private static int clientWord(int client, long page) {
        return (int) (page >>> 6) * STRIDE + 1 + client;
    }
}
