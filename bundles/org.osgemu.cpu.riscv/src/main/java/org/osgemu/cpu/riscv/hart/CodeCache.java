package org.osgemu.cpu.riscv.hart;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Arrays;

import org.osgemu.cpu.riscv.decode.InstructionDecoder;

/**
 * The instructions of the guest-physical pages one hart executes, each decoded once into a
 * {@code long} the interpreter switches on: operation and registers in the low word, the
 * immediate in the high word. A page is found by its physical page number when execution
 * enters it; within it the next instruction is an array read, with no address translation and
 * no memory read.
 *
 * <p>A page is copied when execution first enters it and its instructions are decoded from
 * that copy, which stays the hart's view of the page until FENCE.I: the unprivileged ISA
 * (Zifencei) lets instruction fetch miss stores, the hart's own and other agents' alike, until
 * the hart executes FENCE.I, and software that writes code issues one (Linux when it patches
 * its text or maps a page executable, through an SBI remote fence on the other harts). After a
 * FENCE.I a page is compared with memory when execution enters it again and kept if nothing
 * changed: Linux fences hundreds of times while it boots, mostly for pages of other programs.
 * A reset or a new flat view drops everything. Instructions that straddle a page boundary, and
 * pages the hart cannot fetch from RAM directly (MMIO, PMP rules that differ within the page),
 * are fetched and decoded at every execution instead.
 */
final class CodeCache {

    /** Layout of an entry's low word: operation in bits 0..7, rd, rs1, rs2 five bits each, then flags. */
    static final int RD_SHIFT = 8, RS1_SHIFT = 13, RS2_SHIFT = 18;
    static final int COMPRESSED = 1 << 23;
    /** Set in every decoded entry, so a zero entry means "not decoded yet". */
    private static final int DECODED = 1 << 24;
    /** A 32-bit instruction in the last two bytes of its page: decode it anew from a full fetch. */
    static final long STRADDLES = 1L << 25;

    private static final int PAGE_SIZE = 4096;
    /** Two pages per set (the older one makes way), so kernel and user pages that share a set both stay. */
    private static final int SETS = 1024;

    /** The decoded instructions of one physical page, one slot per two bytes, and the bytes they came from. */
    static final class Page {
        final long number;
        final long[] entries = new long[PAGE_SIZE / 2];
        private final byte[] bytes = new byte[PAGE_SIZE];
        /** The FENCE.I generation the bytes were last found equal to memory in. */
        private int generation;

        private Page(long number, int generation) {
            this.number = number;
            this.generation = generation;
        }

        /** The instruction word at halfword {@code index} (a compressed one in the low 16 bits). */
        int word(int index) {
            int low = halfword(index);
            return (low & 3) != 3 || index == PAGE_SIZE / 2 - 1 ? low : low | halfword(index + 1) << 16;
        }

        private int halfword(int index) {
            return (bytes[2 * index] & 0xFF) | (bytes[2 * index + 1] & 0xFF) << 8;
        }
    }

    private final PhysicalMemory memory;
    private final Page[] pages = new Page[2 * SETS];
    /** Per set, the way used last; the other one is replaced. */
    private final byte[] lastUsed = new byte[SETS];
    private int generation;
    private final InstructionDecoder decoder = new InstructionDecoder();

    /** A cache over {@code memory}, which holds the RAM and ROM pages code is read from. */
    CodeCache(PhysicalMemory memory) {
        this.memory = memory;
    }

    /**
     * The decoded page {@code number}, a RAM or ROM page (the MMU said so): cached, compared
     * with memory after a FENCE.I, or new.
     */
    Page page(long number) {
        int set = (int) number & (SETS - 1);
        int way = pages[2 * set] != null && pages[2 * set].number == number ? 0
                : pages[2 * set + 1] != null && pages[2 * set + 1].number == number ? 1 : -1;
        Page p = way < 0 ? null : pages[2 * set + way];
        if (p != null && p.generation != generation) {
            PhysicalMemory.RamRange ram = memory.ram(number << 12, PAGE_SIZE);
            long offset = ram.segmentOffset(number << 12);
            if (MemorySegment.mismatch(MemorySegment.ofArray(p.bytes), 0, PAGE_SIZE, ram.segment(), offset, offset + PAGE_SIZE) < 0) {
                p.generation = generation;
            } else {
                p = null; // rewritten since it was decoded: decode it again, in the same way
            }
        }
        if (p == null) {
            if (way < 0) {
                way = 1 - lastUsed[set];
            }
            p = new Page(number, generation);
            PhysicalMemory.RamRange ram = memory.ram(number << 12, PAGE_SIZE);
            MemorySegment.copy(ram.segment(), ValueLayout.JAVA_BYTE, ram.segmentOffset(number << 12), p.bytes, 0, PAGE_SIZE);
            pages[2 * set + way] = p;
        }
        lastUsed[set] = (byte) way;
        return p;
    }

    /** Decodes the instruction at {@code index} (halfwords into the page) and stores it. */
    long decode(Page page, int index) {
        if ((page.halfword(index) & 3) == 3 && index == PAGE_SIZE / 2 - 1) {
            return STRADDLES; // not stored: the rest is in the next page, which may change apart
        }
        long entry = decode(page.word(index));
        page.entries[index] = entry;
        return entry;
    }

    /** The entry for instruction {@code word} (a compressed one in the low 16 bits). */
    long decode(int word) {
        decoder.decode(word);
        int low = decoder.op()
                | decoder.rd() << RD_SHIFT
                | decoder.rs1() << RS1_SHIFT
                | decoder.rs2() << RS2_SHIFT
                | (decoder.compressed() ? COMPRESSED : 0)
                | DECODED;
        return (long) decoder.imm() << 32 | (low & 0xFFFF_FFFFL);
    }

    /** FENCE.I: every page is compared with memory again before it runs. */
    void fence() {
        generation++;
    }

    /** Drops every page (reset, a restored state, a new flat view). */
    void clear() {
        Arrays.fill(pages, null);
    }

    /** Operation of an entry, one of {@link org.osgemu.cpu.riscv.decode.Op}. */
    static int op(long entry) {
        return (int) entry & 0xFF;
    }
}
