package org.osgemu.device.bigstate;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Arrays;

/**
 * The device's internal tables: a 64-bit hash of every block of its memory, and a hash table from
 * hash to block (chained through the blocks, one chain per bucket), so the guest can ask which
 * block holds given contents. Hashing a block costs {@code rounds} passes over it: building the
 * tables for the whole memory is real work proportional to its size, which a migration's
 * destination must do before it can take changed blocks. Not thread-safe: the device locks.
 */
final class BigStateIndex {

    static final int BLOCK_SIZE = 4096;
    static final int NO_BLOCK = -1;
    private static final ValueLayout.OfLong WORD = ValueLayout.JAVA_LONG_UNALIGNED;

    private final int blocks;
    private final int rounds;
    private final long[] hashes;
    private final int[] heads;
    private final int[] next;
    private final int mask;

    BigStateIndex(int blocks, int rounds) {
        this.blocks = blocks;
        this.rounds = rounds;
        this.hashes = new long[blocks];
        int buckets = Integer.highestOneBit(Math.max(1, blocks - 1)) << 1;
        this.heads = new int[buckets];
        this.next = new int[blocks];
        this.mask = buckets - 1;
        Arrays.fill(heads, NO_BLOCK);
    }

    int rounds() {
        return rounds;
    }

    /** Hashes every block of {@code memory} afresh: the slow part of loading. */
    void build(MemorySegment memory) {
        Arrays.fill(heads, NO_BLOCK);
        for (int block = 0; block < blocks; block++) {
            hashes[block] = hash(memory, block, rounds);
            link(block);
        }
    }

    /** Block {@code block} changed: its hash and its place in the table follow. */
    void update(MemorySegment memory, int block) {
        unlink(block);
        hashes[block] = hash(memory, block, rounds);
        link(block);
    }

    long hashOf(int block) {
        return hashes[block];
    }

    /** Whether {@code block}'s contents still hash to what the index says. */
    boolean verify(MemorySegment memory, int block) {
        return hash(memory, block, rounds) == hashes[block];
    }

    /** A block whose contents hash to {@code hash}, or {@link #NO_BLOCK}. */
    int lookup(long hash) {
        for (int b = heads[bucket(hash)]; b != NO_BLOCK; b = next[b]) {
            if (hashes[b] == hash) {
                return b;
            }
        }
        return NO_BLOCK;
    }

    private void link(int block) {
        int bucket = bucket(hashes[block]);
        next[block] = heads[bucket];
        heads[bucket] = block;
    }

    private void unlink(int block) {
        int bucket = bucket(hashes[block]);
        if (heads[bucket] == block) {
            heads[bucket] = next[block];
            return;
        }
        for (int b = heads[bucket]; b != NO_BLOCK; b = next[b]) {
            if (next[b] == block) {
                next[b] = next[block];
                return;
            }
        }
    }

    private int bucket(long hash) {
        return (int) (hash ^ (hash >>> 32)) & mask;
    }

    /** {@code rounds} passes over the block, each mixing every word into the running value. */
    static long hash(MemorySegment memory, int block, int rounds) {
        long base = (long) block * BLOCK_SIZE;
        long h = 0x243F_6A88_85A3_08D3L ^ block;
        for (int r = 0; r < rounds; r++) {
            for (long off = 0; off < BLOCK_SIZE; off += 8) {
                h = (h ^ memory.get(WORD, base + off)) * 0x9E37_79B9_7F4A_7C15L;
                h ^= h >>> 29;
            }
        }
        return h;
    }
}
