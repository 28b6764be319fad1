package org.osgemu.cpu.riscv.hart;

import java.util.Arrays;

import org.osgemu.cpu.riscv.decode.InstructionDecoder;
import org.osgemu.cpu.riscv.decode.Op;

/**
 * Instructions decoded once, kept in a compact form the interpreter switches on: a direct-mapped
 * table indexed by the instruction's address, each slot holding the instruction word it was
 * decoded from, a packed operation word and the immediate.
 *
 * <p>A slot is used only when the word fetched now equals the word it was decoded from. Since
 * decoding depends on nothing but the word, that check alone makes the cache correct whatever
 * happens to memory: self-modifying code, FENCE.I, remapped pages and DMA need no invalidation.
 */
final class DecodeCache {

    /** Layout of the packed word: op in bits 0..7, rd, rs1, rs2 five bits each, then the compressed flag. */
    static final int RD_SHIFT = 8, RS1_SHIFT = 13, RS2_SHIFT = 18;
    static final int COMPRESSED = 1 << 23;

    private static final int BITS = 16;
    private static final int MASK = (1 << BITS) - 1;

    final int[] words = new int[1 << BITS];
    final int[] packed = new int[1 << BITS];
    final int[] immediates = new int[1 << BITS];
    private final InstructionDecoder decoder = new InstructionDecoder();

    DecodeCache() {
        // Word 0 is the defined illegal instruction, so empty slots are already correct.
        fill(0, 0);
        Arrays.fill(packed, packed[0]);
    }

    /** The slot for the instruction at {@code pc} (instructions are at least 2-byte aligned). */
    static int slot(long pc) {
        return (int) (pc >>> 1) & MASK;
    }

    /** Decodes {@code word} into {@code slot}. */
    void fill(int slot, int word) {
        decoder.decode(word);
        words[slot] = word;
        packed[slot] = decoder.op()
                | decoder.rd() << RD_SHIFT
                | decoder.rs1() << RS1_SHIFT
                | decoder.rs2() << RS2_SHIFT
                | (decoder.compressed() ? COMPRESSED : 0);
        immediates[slot] = decoder.imm();
    }

    /** Operation of a packed word, one of {@link Op}. */
    static int op(int packed) {
        return packed & 0xFF;
    }
}
