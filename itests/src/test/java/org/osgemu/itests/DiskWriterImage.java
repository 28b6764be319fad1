package org.osgemu.itests;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The host's reading of a disk image written by the guest's {@code diskwriter} program
 * (guests/programs/diskwriter.c, whose header gives the block format): write number {@code seq}
 * went to block {@code seq % blocks}, with a header (magic, seq, pass, block, checksum) and a
 * pattern that both follow from {@code seq}. {@link #check} recomputes every block, so a block
 * lost, stale, torn, written twice or to the wrong place shows, independently of what the guest
 * itself found.
 */
final class DiskWriterImage {

    static final int BLOCK_SIZE = 4096;
    static final long MAGIC = 0x4554_4952_574b_5344L; // "DSKWRITE" as little-endian bytes
    private static final int WORDS = BLOCK_SIZE / 8;
    private static final int HEADER_WORDS = 8;
    private static final long NOT_WRITTEN = -1;
    private static final long TORN = -2;

    /**
     * What an image holds.
     *
     * @param lastSeq the highest write number found in a consistent block, -1 when none was written
     * @param written how many blocks hold a write
     */
    record Contents(long lastSeq, long written) {
    }

    private DiskWriterImage() {
    }

    /**
     * Checks the image of a disk the program wrote as {@code blocks} blocks. With {@code quiet}
     * (nothing writes it any more) the writes must form one contiguous run: each block holds the
     * last write that went to it, up to the highest write found, and the rest of the file is zeros.
     * While the guest still writes, the file is read while it changes, so only each block on its
     * own is checked, and one block may be caught half-written.
     *
     * @throws AssertionError naming the first block that is wrong and how
     */
    static Contents check(Path image, long blocks, boolean quiet) throws IOException {
        long[] seqs = new long[(int) blocks];
        long torn = 0;
        try (FileChannel file = FileChannel.open(image, StandardOpenOption.READ)) {
            if (file.size() < blocks * BLOCK_SIZE) {
                throw new AssertionError(image + ": " + file.size() + " bytes, less than the " + blocks + " blocks written to it");
            }
            ByteBuffer block = ByteBuffer.allocate(BLOCK_SIZE).order(ByteOrder.LITTLE_ENDIAN);
            for (int b = 0; b < blocks; b++) {
                read(file, block, (long) b * BLOCK_SIZE, BLOCK_SIZE);
                seqs[b] = seqOf(block, b, blocks, quiet ? image : null);
                torn += seqs[b] == TORN ? 1 : 0;
            }
            if (torn > 1) {
                throw new AssertionError(image + ": " + torn + " blocks are half-written; a writer has only one write under way");
            }
            for (long at = blocks * BLOCK_SIZE; at < file.size(); at += BLOCK_SIZE) {
                read(file, block, at, (int) Math.min(BLOCK_SIZE, file.size() - at));
                if (!allZero(block)) {
                    throw new AssertionError(image + ": byte " + at + " is beyond the " + blocks + " blocks the program writes, yet not zero");
                }
            }
        }
        long last = NOT_WRITTEN;
        long written = 0;
        for (long s : seqs) {
            last = Math.max(last, s);
            written += s >= 0 ? 1 : 0;
        }
        if (quiet) {
            for (int b = 0; b < blocks; b++) {
                long expected = b <= last ? b + (last - b) / blocks * blocks : NOT_WRITTEN;
                if (seqs[b] != expected) {
                    throw new AssertionError(image + ": block " + b + " holds " + describe(seqs[b]) + ", but the writes up to "
                            + last + " leave " + describe(expected) + " there: a write was lost or came back stale");
                }
            }
        }
        return new Contents(last, written);
    }

    /** The write number {@code block} holds, NOT_WRITTEN when all zero, TORN when inconsistent (thrown for a quiet image). */
    private static long seqOf(ByteBuffer block, int position, long blocks, Path quietImage) {
        if (allZero(block)) {
            return NOT_WRITTEN;
        }
        long seq = block.getLong(8);
        String wrong = null;
        if (block.getLong(0) != MAGIC) {
            wrong = "magic is 0x" + Long.toHexString(block.getLong(0));
        } else if (seq < 0 || Long.remainderUnsigned(seq, blocks) != position) {
            wrong = "header says write " + Long.toUnsignedString(seq) + ", which goes to block " + Long.remainderUnsigned(seq, blocks);
        } else if (block.getLong(16) != seq / blocks || block.getLong(24) != position) {
            wrong = "header of write " + seq + " says pass " + block.getLong(16) + " block " + block.getLong(24);
        } else {
            ByteBuffer expected = expectedBlock(seq, blocks);
            for (int w = 0; w < WORDS && wrong == null; w++) {
                if (block.getLong(w * 8) != expected.getLong(w * 8)) {
                    wrong = "word " + w + " of write " + seq + " is 0x" + Long.toHexString(block.getLong(w * 8)) + ", expected 0x"
                            + Long.toHexString(expected.getLong(w * 8));
                }
            }
        }
        if (wrong == null) {
            return seq;
        }
        if (quietImage != null) {
            throw new AssertionError(quietImage + ": block " + position + ": " + wrong);
        }
        return TORN;
    }

    /** What write {@code seq} puts in its block, as diskwriter.c's fill_block. */
    static ByteBuffer expectedBlock(long seq, long blocks) {
        ByteBuffer block = ByteBuffer.allocate(BLOCK_SIZE).order(ByteOrder.LITTLE_ENDIAN);
        long checksum = 0;
        for (int i = HEADER_WORDS; i < WORDS; i++) {
            long word = mix(seq * WORDS + i);
            block.putLong(i * 8, word);
            checksum += mix(word ^ (i * 0x9E37_79B9_7F4A_7C15L));
        }
        block.putLong(0, MAGIC).putLong(8, seq).putLong(16, seq / blocks).putLong(24, seq % blocks).putLong(32, checksum);
        return block;
    }

    private static long mix(long x) {
        x = (x ^ (x >>> 30)) * 0xbf58476d1ce4e5b9L;
        x = (x ^ (x >>> 27)) * 0x94d049bb133111ebL;
        return x ^ (x >>> 31);
    }

    private static String describe(long seq) {
        return seq == NOT_WRITTEN ? "no write" : seq == TORN ? "a half-written block" : "write " + seq;
    }

    private static void read(FileChannel file, ByteBuffer into, long at, int length) throws IOException {
        into.clear().limit(length);
        while (into.hasRemaining()) {
            if (file.read(into, at + into.position()) < 0) {
                throw new IOException("end of file at " + (at + into.position()));
            }
        }
        into.flip();
    }

    private static boolean allZero(ByteBuffer block) {
        for (int i = 0; i + 8 <= block.limit(); i += 8) {
            if (block.getLong(i) != 0) {
                return false;
            }
        }
        return true;
    }
}
