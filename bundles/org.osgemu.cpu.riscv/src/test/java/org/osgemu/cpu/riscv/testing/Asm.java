package org.osgemu.cpu.riscv.testing;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A small RV64IMAFDC assembler for tests: one method per instruction (compressed ones start with
 * {@code c_}; FP register operands are plain numbers 0..31), labels with forward references, and a few pseudo-instructions ({@code li},
 * {@code la}, {@code j}, {@code csrr}, {@code csrw}). Encodings are written from the bit layouts
 * of the ISA manual, independently of the decode specs, so tests cross-check both.
 */
public final class Asm {

    public static final int ZERO = 0, RA = 1, SP = 2, GP = 3, TP = 4, T0 = 5, T1 = 6, T2 = 7, S0 = 8, S1 = 9,
            A0 = 10, A1 = 11, A2 = 12, A3 = 13, A4 = 14, A5 = 15, A6 = 16, A7 = 17,
            S2 = 18, S3 = 19, S4 = 20, S5 = 21, S6 = 22, S7 = 23, S8 = 24, S9 = 25, S10 = 26, S11 = 27,
            T3 = 28, T4 = 29, T5 = 30, T6 = 31;

    /** An instruction whose bits may depend on labels. */
    private interface Encoder {
        int encode(long pc);
    }

    private record Item(long pc, int size, Encoder encoder) {}

    private final long origin;
    private final List<Item> items = new ArrayList<>();
    private final Map<String, Long> labels = new HashMap<>();
    private long pc;

    /** Starts a program placed at {@code origin}. */
    public Asm(long origin) {
        this.origin = origin;
        this.pc = origin;
    }

    /** Address the next instruction goes to. */
    public long here() {
        return pc;
    }

    /** Defines {@code name} at the current address. */
    public Asm label(String name) {
        if (labels.put(name, pc) != null) {
            throw new IllegalArgumentException("label " + name + " defined twice");
        }
        return this;
    }

    /** Address of a defined label (after all code is emitted). */
    public long address(String name) {
        Long a = labels.get(name);
        if (a == null) {
            throw new IllegalArgumentException("undefined label " + name);
        }
        return a;
    }

    private long offset(String label, long from) {
        return address(label) - from;
    }

    /** Emits a raw 32-bit word. */
    public Asm word(int w) {
        return emit(4, at -> w);
    }

    /** Emits a raw 16-bit parcel. */
    public Asm half(int h) {
        return emit(2, at -> h & 0xFFFF);
    }

    /** Pads with zero bytes to a multiple of {@code alignment} (not executable padding). */
    public Asm align(int alignment) {
        while ((pc & (alignment - 1)) != 0) {
            half(0);
        }
        return this;
    }

    private Asm emit(int size, Encoder e) {
        items.add(new Item(pc, size, e));
        pc += size;
        return this;
    }

    /** The program's bytes, little-endian. */
    public byte[] assemble() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Item it : items) {
            int w = it.encoder.encode(it.pc);
            for (int i = 0; i < it.size; i++) {
                out.write(w >>> (8 * i));
            }
        }
        return out.toByteArray();
    }

    public long origin() {
        return origin;
    }

    // ---- formats ------------------------------------------------------------------------

    private static int r(int f7, int rs2, int rs1, int f3, int rd, int opc) {
        return f7 << 25 | rs2 << 20 | rs1 << 15 | f3 << 12 | rd << 7 | opc;
    }

    private static int i(int imm, int rs1, int f3, int rd, int opc) {
        check(imm, -2048, 2047, "I immediate");
        return (imm & 0xFFF) << 20 | rs1 << 15 | f3 << 12 | rd << 7 | opc;
    }

    private static int s(int imm, int rs2, int rs1, int f3, int opc) {
        check(imm, -2048, 2047, "S immediate");
        return ((imm >> 5) & 0x7F) << 25 | rs2 << 20 | rs1 << 15 | f3 << 12 | (imm & 0x1F) << 7 | opc;
    }

    private static int b(long off, int rs2, int rs1, int f3) {
        check(off, -4096, 4094, "branch offset");
        int o = (int) off;
        return ((o >> 12) & 1) << 31 | ((o >> 5) & 0x3F) << 25 | rs2 << 20 | rs1 << 15 | f3 << 12
                | ((o >> 1) & 0xF) << 8 | ((o >> 11) & 1) << 7 | 0x63;
    }

    private static int j(long off, int rd) {
        check(off, -(1 << 20), (1 << 20) - 2, "jump offset");
        int o = (int) off;
        return ((o >> 20) & 1) << 31 | ((o >> 1) & 0x3FF) << 21 | ((o >> 11) & 1) << 20 | ((o >> 12) & 0xFF) << 12
                | rd << 7 | 0x6F;
    }

    private static void check(long v, long min, long max, String what) {
        if (v < min || v > max) {
            throw new IllegalArgumentException(what + " " + v + " out of range " + min + ".." + max);
        }
    }

    private Asm op(int f7, int rs2, int rs1, int f3, int rd, int opc) {
        return word(r(f7, rs2, rs1, f3, rd, opc));
    }

    // ---- RV64I --------------------------------------------------------------------------

    public Asm lui(int rd, int imm20) { return word(imm20 << 12 | rd << 7 | 0x37); }
    public Asm auipc(int rd, int imm20) { return word(imm20 << 12 | rd << 7 | 0x17); }
    public Asm jal(int rd, String label) { return emit(4, at -> j(offset(label, at), rd)); }
    public Asm jalr(int rd, int rs1, int imm) { return word(i(imm, rs1, 0, rd, 0x67)); }
    public Asm beq(int rs1, int rs2, String l) { return emit(4, at -> b(offset(l, at), rs2, rs1, 0)); }
    public Asm bne(int rs1, int rs2, String l) { return emit(4, at -> b(offset(l, at), rs2, rs1, 1)); }
    public Asm blt(int rs1, int rs2, String l) { return emit(4, at -> b(offset(l, at), rs2, rs1, 4)); }
    public Asm bge(int rs1, int rs2, String l) { return emit(4, at -> b(offset(l, at), rs2, rs1, 5)); }
    public Asm bltu(int rs1, int rs2, String l) { return emit(4, at -> b(offset(l, at), rs2, rs1, 6)); }
    public Asm bgeu(int rs1, int rs2, String l) { return emit(4, at -> b(offset(l, at), rs2, rs1, 7)); }
    public Asm lb(int rd, int imm, int rs1) { return word(i(imm, rs1, 0, rd, 0x03)); }
    public Asm lh(int rd, int imm, int rs1) { return word(i(imm, rs1, 1, rd, 0x03)); }
    public Asm lw(int rd, int imm, int rs1) { return word(i(imm, rs1, 2, rd, 0x03)); }
    public Asm ld(int rd, int imm, int rs1) { return word(i(imm, rs1, 3, rd, 0x03)); }
    public Asm lbu(int rd, int imm, int rs1) { return word(i(imm, rs1, 4, rd, 0x03)); }
    public Asm lhu(int rd, int imm, int rs1) { return word(i(imm, rs1, 5, rd, 0x03)); }
    public Asm lwu(int rd, int imm, int rs1) { return word(i(imm, rs1, 6, rd, 0x03)); }
    public Asm sb(int rs2, int imm, int rs1) { return word(s(imm, rs2, rs1, 0, 0x23)); }
    public Asm sh(int rs2, int imm, int rs1) { return word(s(imm, rs2, rs1, 1, 0x23)); }
    public Asm sw(int rs2, int imm, int rs1) { return word(s(imm, rs2, rs1, 2, 0x23)); }
    public Asm sd(int rs2, int imm, int rs1) { return word(s(imm, rs2, rs1, 3, 0x23)); }
    public Asm addi(int rd, int rs1, int imm) { return word(i(imm, rs1, 0, rd, 0x13)); }
    public Asm slti(int rd, int rs1, int imm) { return word(i(imm, rs1, 2, rd, 0x13)); }
    public Asm sltiu(int rd, int rs1, int imm) { return word(i(imm, rs1, 3, rd, 0x13)); }
    public Asm xori(int rd, int rs1, int imm) { return word(i(imm, rs1, 4, rd, 0x13)); }
    public Asm ori(int rd, int rs1, int imm) { return word(i(imm, rs1, 6, rd, 0x13)); }
    public Asm andi(int rd, int rs1, int imm) { return word(i(imm, rs1, 7, rd, 0x13)); }
    public Asm slli(int rd, int rs1, int sh) { return word(i(sh, rs1, 1, rd, 0x13)); }
    public Asm srli(int rd, int rs1, int sh) { return word(i(sh, rs1, 5, rd, 0x13)); }
    public Asm srai(int rd, int rs1, int sh) { return word(i(0x400 | sh, rs1, 5, rd, 0x13)); }
    public Asm add(int rd, int rs1, int rs2) { return op(0, rs2, rs1, 0, rd, 0x33); }
    public Asm sub(int rd, int rs1, int rs2) { return op(0x20, rs2, rs1, 0, rd, 0x33); }
    public Asm sll(int rd, int rs1, int rs2) { return op(0, rs2, rs1, 1, rd, 0x33); }
    public Asm slt(int rd, int rs1, int rs2) { return op(0, rs2, rs1, 2, rd, 0x33); }
    public Asm sltu(int rd, int rs1, int rs2) { return op(0, rs2, rs1, 3, rd, 0x33); }
    public Asm xor(int rd, int rs1, int rs2) { return op(0, rs2, rs1, 4, rd, 0x33); }
    public Asm srl(int rd, int rs1, int rs2) { return op(0, rs2, rs1, 5, rd, 0x33); }
    public Asm sra(int rd, int rs1, int rs2) { return op(0x20, rs2, rs1, 5, rd, 0x33); }
    public Asm or(int rd, int rs1, int rs2) { return op(0, rs2, rs1, 6, rd, 0x33); }
    public Asm and(int rd, int rs1, int rs2) { return op(0, rs2, rs1, 7, rd, 0x33); }
    public Asm addiw(int rd, int rs1, int imm) { return word(i(imm, rs1, 0, rd, 0x1B)); }
    public Asm slliw(int rd, int rs1, int sh) { return word(i(sh, rs1, 1, rd, 0x1B)); }
    public Asm srliw(int rd, int rs1, int sh) { return word(i(sh, rs1, 5, rd, 0x1B)); }
    public Asm sraiw(int rd, int rs1, int sh) { return word(i(0x400 | sh, rs1, 5, rd, 0x1B)); }
    public Asm addw(int rd, int rs1, int rs2) { return op(0, rs2, rs1, 0, rd, 0x3B); }
    public Asm subw(int rd, int rs1, int rs2) { return op(0x20, rs2, rs1, 0, rd, 0x3B); }
    public Asm sllw(int rd, int rs1, int rs2) { return op(0, rs2, rs1, 1, rd, 0x3B); }
    public Asm srlw(int rd, int rs1, int rs2) { return op(0, rs2, rs1, 5, rd, 0x3B); }
    public Asm sraw(int rd, int rs1, int rs2) { return op(0x20, rs2, rs1, 5, rd, 0x3B); }
    /** FENCE rw,rw. */
    public Asm fence() { return word(0x0330000F); }
    public Asm fence_i() { return word(0x0000100F); }
    public Asm ecall() { return word(0x00000073); }
    public Asm ebreak() { return word(0x00100073); }

    // ---- M ------------------------------------------------------------------------------

    public Asm mul(int rd, int rs1, int rs2) { return op(1, rs2, rs1, 0, rd, 0x33); }
    public Asm mulh(int rd, int rs1, int rs2) { return op(1, rs2, rs1, 1, rd, 0x33); }
    public Asm mulhsu(int rd, int rs1, int rs2) { return op(1, rs2, rs1, 2, rd, 0x33); }
    public Asm mulhu(int rd, int rs1, int rs2) { return op(1, rs2, rs1, 3, rd, 0x33); }
    public Asm div(int rd, int rs1, int rs2) { return op(1, rs2, rs1, 4, rd, 0x33); }
    public Asm divu(int rd, int rs1, int rs2) { return op(1, rs2, rs1, 5, rd, 0x33); }
    public Asm rem(int rd, int rs1, int rs2) { return op(1, rs2, rs1, 6, rd, 0x33); }
    public Asm remu(int rd, int rs1, int rs2) { return op(1, rs2, rs1, 7, rd, 0x33); }
    public Asm mulw(int rd, int rs1, int rs2) { return op(1, rs2, rs1, 0, rd, 0x3B); }
    public Asm divw(int rd, int rs1, int rs2) { return op(1, rs2, rs1, 4, rd, 0x3B); }
    public Asm divuw(int rd, int rs1, int rs2) { return op(1, rs2, rs1, 5, rd, 0x3B); }
    public Asm remw(int rd, int rs1, int rs2) { return op(1, rs2, rs1, 6, rd, 0x3B); }
    public Asm remuw(int rd, int rs1, int rs2) { return op(1, rs2, rs1, 7, rd, 0x3B); }

    // ---- A (aq = rl = 0; width 2 = .w, 3 = .d) ------------------------------------------

    private Asm amo(int funct5, int width, int rd, int rs2, int rs1) {
        return op(funct5 << 2, rs2, rs1, width, rd, 0x2F);
    }

    public Asm lr_w(int rd, int rs1) { return amo(0x02, 2, rd, 0, rs1); }
    public Asm sc_w(int rd, int rs2, int rs1) { return amo(0x03, 2, rd, rs2, rs1); }
    public Asm amoswap_w(int rd, int rs2, int rs1) { return amo(0x01, 2, rd, rs2, rs1); }
    public Asm amoadd_w(int rd, int rs2, int rs1) { return amo(0x00, 2, rd, rs2, rs1); }
    public Asm amoxor_w(int rd, int rs2, int rs1) { return amo(0x04, 2, rd, rs2, rs1); }
    public Asm amoand_w(int rd, int rs2, int rs1) { return amo(0x0C, 2, rd, rs2, rs1); }
    public Asm amoor_w(int rd, int rs2, int rs1) { return amo(0x08, 2, rd, rs2, rs1); }
    public Asm amomin_w(int rd, int rs2, int rs1) { return amo(0x10, 2, rd, rs2, rs1); }
    public Asm amomax_w(int rd, int rs2, int rs1) { return amo(0x14, 2, rd, rs2, rs1); }
    public Asm amominu_w(int rd, int rs2, int rs1) { return amo(0x18, 2, rd, rs2, rs1); }
    public Asm amomaxu_w(int rd, int rs2, int rs1) { return amo(0x1C, 2, rd, rs2, rs1); }
    public Asm lr_d(int rd, int rs1) { return amo(0x02, 3, rd, 0, rs1); }
    public Asm sc_d(int rd, int rs2, int rs1) { return amo(0x03, 3, rd, rs2, rs1); }
    public Asm amoswap_d(int rd, int rs2, int rs1) { return amo(0x01, 3, rd, rs2, rs1); }
    public Asm amoadd_d(int rd, int rs2, int rs1) { return amo(0x00, 3, rd, rs2, rs1); }
    public Asm amoxor_d(int rd, int rs2, int rs1) { return amo(0x04, 3, rd, rs2, rs1); }
    public Asm amoand_d(int rd, int rs2, int rs1) { return amo(0x0C, 3, rd, rs2, rs1); }
    public Asm amoor_d(int rd, int rs2, int rs1) { return amo(0x08, 3, rd, rs2, rs1); }
    public Asm amomin_d(int rd, int rs2, int rs1) { return amo(0x10, 3, rd, rs2, rs1); }
    public Asm amomax_d(int rd, int rs2, int rs1) { return amo(0x14, 3, rd, rs2, rs1); }
    public Asm amominu_d(int rd, int rs2, int rs1) { return amo(0x18, 3, rd, rs2, rs1); }
    public Asm amomaxu_d(int rd, int rs2, int rs1) { return amo(0x1C, 3, rd, rs2, rs1); }

    // ---- Zicsr and privileged -----------------------------------------------------------

    public Asm csrrw(int rd, int csr, int rs1) { return word(csr << 20 | rs1 << 15 | 1 << 12 | rd << 7 | 0x73); }
    public Asm csrrs(int rd, int csr, int rs1) { return word(csr << 20 | rs1 << 15 | 2 << 12 | rd << 7 | 0x73); }
    public Asm csrrc(int rd, int csr, int rs1) { return word(csr << 20 | rs1 << 15 | 3 << 12 | rd << 7 | 0x73); }
    public Asm csrrwi(int rd, int csr, int uimm) { return word(csr << 20 | uimm << 15 | 5 << 12 | rd << 7 | 0x73); }
    public Asm csrrsi(int rd, int csr, int uimm) { return word(csr << 20 | uimm << 15 | 6 << 12 | rd << 7 | 0x73); }
    public Asm csrrci(int rd, int csr, int uimm) { return word(csr << 20 | uimm << 15 | 7 << 12 | rd << 7 | 0x73); }
    public Asm csrr(int rd, int csr) { return csrrs(rd, csr, ZERO); }
    public Asm csrw(int csr, int rs1) { return csrrw(ZERO, csr, rs1); }
    public Asm csrs(int csr, int rs1) { return csrrs(ZERO, csr, rs1); }
    public Asm csrc(int csr, int rs1) { return csrrc(ZERO, csr, rs1); }
    public Asm csrwi(int csr, int uimm) { return csrrwi(ZERO, csr, uimm); }
    public Asm csrsi(int csr, int uimm) { return csrrsi(ZERO, csr, uimm); }
    public Asm csrci(int csr, int uimm) { return csrrci(ZERO, csr, uimm); }
    public Asm sret() { return word(0x10200073); }
    public Asm mret() { return word(0x30200073); }
    public Asm wfi() { return word(0x10500073); }
    public Asm sfence_vma(int rs1, int rs2) { return word(0x09 << 25 | rs2 << 20 | rs1 << 15 | 0x73); }

    // ---- pseudo-instructions --------------------------------------------------------------

    /** Loads any 64-bit constant (lui/addiw, then shifts and adds for wider values). */
    public Asm li(int rd, long value) {
        if (value >= -2048 && value <= 2047) {
            return addi(rd, ZERO, (int) value);
        }
        if (value == (int) value) {
            int lo = (int) (value << 52 >> 52);
            int hi = (int) ((value - lo) >>> 12) & 0xFFFFF;
            lui(rd, hi);
            return lo != 0 ? addiw(rd, rd, lo) : this;
        }
        int lo = (int) (value << 52 >> 52);
        long hi = (value - lo) >> 12;
        int shift = 12 + Long.numberOfTrailingZeros(hi);
        li(rd, (value - lo) >> shift);
        slli(rd, rd, shift);
        return lo != 0 ? addi(rd, rd, lo) : this;
    }

    /** Loads the address of {@code label} (auipc + addi). */
    public Asm la(int rd, String label) {
        long at = pc;
        emit(4, x -> {
            long off = offset(label, at);
            return (int) (((off + 0x800) >> 12) & 0xFFFFF) << 12 | rd << 7 | 0x17;
        });
        return emit(4, x -> i((int) (offset(label, at) << 52 >> 52), rd, 0, rd, 0x13));
    }

    public Asm j(String label) { return jal(ZERO, label); }
    public Asm nop() { return addi(ZERO, ZERO, 0); }
    public Asm mv(int rd, int rs) { return addi(rd, rs, 0); }

    // ---- RV64C --------------------------------------------------------------------------

    private static int prime(int reg) {
        if (reg < 8 || reg > 15) {
            throw new IllegalArgumentException("x" + reg + " is not one of x8..x15");
        }
        return reg - 8;
    }

    private static int bits(long v, int hi, int lo) {
        return (int) (v >>> lo) & ((1 << (hi - lo + 1)) - 1);
    }

    public Asm c_addi4spn(int rd, int uimm) {
        return half(bits(uimm, 5, 4) << 11 | bits(uimm, 9, 6) << 7 | bits(uimm, 2, 2) << 6 | bits(uimm, 3, 3) << 5
                | prime(rd) << 2);
    }

    private Asm clw(int f3, int r, int uimm, int rs1) {
        return half(f3 << 13 | bits(uimm, 5, 3) << 10 | prime(rs1) << 7 | bits(uimm, 2, 2) << 6
                | bits(uimm, 6, 6) << 5 | prime(r) << 2);
    }

    private Asm cld(int f3, int r, int uimm, int rs1) {
        return half(f3 << 13 | bits(uimm, 5, 3) << 10 | prime(rs1) << 7 | bits(uimm, 7, 6) << 5 | prime(r) << 2);
    }

    public Asm c_lw(int rd, int uimm, int rs1) { return clw(2, rd, uimm, rs1); }
    public Asm c_ld(int rd, int uimm, int rs1) { return cld(3, rd, uimm, rs1); }
    public Asm c_sw(int rs2, int uimm, int rs1) { return clw(6, rs2, uimm, rs1); }
    public Asm c_sd(int rs2, int uimm, int rs1) { return cld(7, rs2, uimm, rs1); }

    private Asm ci(int f3, int rd, int imm, int quadrant) {
        return half(f3 << 13 | bits(imm, 5, 5) << 12 | rd << 7 | bits(imm, 4, 0) << 2 | quadrant);
    }

    public Asm c_nop() { return ci(0, 0, 0, 1); }
    public Asm c_addi(int rd, int imm) { return ci(0, rd, imm, 1); }
    public Asm c_addiw(int rd, int imm) { return ci(1, rd, imm, 1); }
    public Asm c_li(int rd, int imm) { return ci(2, rd, imm, 1); }

    public Asm c_addi16sp(int imm) {
        return half(3 << 13 | bits(imm, 9, 9) << 12 | SP << 7 | bits(imm, 4, 4) << 6 | bits(imm, 6, 6) << 5
                | bits(imm, 8, 7) << 3 | bits(imm, 5, 5) << 2 | 1);
    }

    /** c.lui rd, imm20: rd = sign-extended {@code imm20 << 12} (imm20 in -32..31, not 0). */
    public Asm c_lui(int rd, int imm20) { return ci(3, rd, imm20, 1); }

    private Asm cb(int f2, int rd, int imm) {
        return half(4 << 13 | bits(imm, 5, 5) << 12 | f2 << 10 | prime(rd) << 7 | bits(imm, 4, 0) << 2 | 1);
    }

    public Asm c_srli(int rd, int sh) { return cb(0, rd, sh); }
    public Asm c_srai(int rd, int sh) { return cb(1, rd, sh); }
    public Asm c_andi(int rd, int imm) { return cb(2, rd, imm); }

    private Asm ca(int bit12, int f2, int rd, int rs2) {
        return half(4 << 13 | bit12 << 12 | 3 << 10 | prime(rd) << 7 | f2 << 5 | prime(rs2) << 2 | 1);
    }

    public Asm c_sub(int rd, int rs2) { return ca(0, 0, rd, rs2); }
    public Asm c_xor(int rd, int rs2) { return ca(0, 1, rd, rs2); }
    public Asm c_or(int rd, int rs2) { return ca(0, 2, rd, rs2); }
    public Asm c_and(int rd, int rs2) { return ca(0, 3, rd, rs2); }
    public Asm c_subw(int rd, int rs2) { return ca(1, 0, rd, rs2); }
    public Asm c_addw(int rd, int rs2) { return ca(1, 1, rd, rs2); }

    public Asm c_j(String label) {
        return emit(2, at -> {
            long o = offset(label, at);
            check(o, -2048, 2046, "c.j offset");
            return 5 << 13 | bits(o, 11, 11) << 12 | bits(o, 4, 4) << 11 | bits(o, 9, 8) << 9 | bits(o, 10, 10) << 8
                    | bits(o, 6, 6) << 7 | bits(o, 7, 7) << 6 | bits(o, 3, 1) << 3 | bits(o, 5, 5) << 2 | 1;
        });
    }

    private Asm cbranch(int f3, int rs1, String label) {
        return emit(2, at -> {
            long o = offset(label, at);
            check(o, -256, 254, "c.beqz/c.bnez offset");
            return f3 << 13 | bits(o, 8, 8) << 12 | bits(o, 4, 3) << 10 | prime(rs1) << 7 | bits(o, 7, 6) << 5
                    | bits(o, 2, 1) << 3 | bits(o, 5, 5) << 2 | 1;
        });
    }

    public Asm c_beqz(int rs1, String label) { return cbranch(6, rs1, label); }
    public Asm c_bnez(int rs1, String label) { return cbranch(7, rs1, label); }
    public Asm c_slli(int rd, int sh) { return ci(0, rd, sh, 2); }

    public Asm c_lwsp(int rd, int uimm) {
        return half(2 << 13 | bits(uimm, 5, 5) << 12 | rd << 7 | bits(uimm, 4, 2) << 4 | bits(uimm, 7, 6) << 2 | 2);
    }

    public Asm c_ldsp(int rd, int uimm) {
        return half(3 << 13 | bits(uimm, 5, 5) << 12 | rd << 7 | bits(uimm, 4, 3) << 5 | bits(uimm, 8, 6) << 2 | 2);
    }

    public Asm c_jr(int rs1) { return half(8 << 12 | rs1 << 7 | 2); }
    public Asm c_mv(int rd, int rs2) { return half(8 << 12 | rd << 7 | rs2 << 2 | 2); }
    public Asm c_ebreak() { return half(0x9002); }
    public Asm c_jalr(int rs1) { return half(9 << 12 | rs1 << 7 | 2); }
    public Asm c_add(int rd, int rs2) { return half(9 << 12 | rd << 7 | rs2 << 2 | 2); }
    public Asm c_swsp(int rs2, int uimm) { return half(6 << 13 | bits(uimm, 5, 2) << 9 | bits(uimm, 7, 6) << 7 | rs2 << 2 | 2); }
    public Asm c_sdsp(int rs2, int uimm) { return half(7 << 13 | bits(uimm, 5, 3) << 10 | bits(uimm, 8, 6) << 7 | rs2 << 2 | 2); }

    // ---- F and D (rm: RNE 0, RTZ 1, RDN 2, RUP 3, RMM 4, DYN 7; forms without rm use DYN) --

    public static final int RNE = 0, RTZ = 1, RDN = 2, RUP = 3, RMM = 4, DYN = 7;
    /** The fmt field: single or double precision. */
    private static final int S = 0, D = 1;

    private Asm fp(int funct5, int fmt, int rs2, int rs1, int rm, int rd) {
        return op(funct5 << 2 | fmt, rs2, rs1, rm, rd, 0x53);
    }

    private Asm r4(int opcode, int fmt, int rd, int rs1, int rs2, int rs3, int rm) {
        return word(rs3 << 27 | fmt << 25 | rs2 << 20 | rs1 << 15 | rm << 12 | rd << 7 | opcode);
    }

    public Asm flw(int rd, int imm, int rs1) { return word(i(imm, rs1, 2, rd, 0x07)); }
    public Asm fld(int rd, int imm, int rs1) { return word(i(imm, rs1, 3, rd, 0x07)); }
    public Asm fsw(int rs2, int imm, int rs1) { return word(s(imm, rs2, rs1, 2, 0x27)); }
    public Asm fsd(int rs2, int imm, int rs1) { return word(s(imm, rs2, rs1, 3, 0x27)); }

    public Asm fmadd_s(int rd, int rs1, int rs2, int rs3, int rm) { return r4(0x43, S, rd, rs1, rs2, rs3, rm); }
    public Asm fmsub_s(int rd, int rs1, int rs2, int rs3, int rm) { return r4(0x47, S, rd, rs1, rs2, rs3, rm); }
    public Asm fnmsub_s(int rd, int rs1, int rs2, int rs3, int rm) { return r4(0x4B, S, rd, rs1, rs2, rs3, rm); }
    public Asm fnmadd_s(int rd, int rs1, int rs2, int rs3, int rm) { return r4(0x4F, S, rd, rs1, rs2, rs3, rm); }
    public Asm fmadd_d(int rd, int rs1, int rs2, int rs3, int rm) { return r4(0x43, D, rd, rs1, rs2, rs3, rm); }
    public Asm fmsub_d(int rd, int rs1, int rs2, int rs3, int rm) { return r4(0x47, D, rd, rs1, rs2, rs3, rm); }
    public Asm fnmsub_d(int rd, int rs1, int rs2, int rs3, int rm) { return r4(0x4B, D, rd, rs1, rs2, rs3, rm); }
    public Asm fnmadd_d(int rd, int rs1, int rs2, int rs3, int rm) { return r4(0x4F, D, rd, rs1, rs2, rs3, rm); }

    public Asm fadd_s(int rd, int rs1, int rs2, int rm) { return fp(0x00, S, rs2, rs1, rm, rd); }
    public Asm fsub_s(int rd, int rs1, int rs2, int rm) { return fp(0x01, S, rs2, rs1, rm, rd); }
    public Asm fmul_s(int rd, int rs1, int rs2, int rm) { return fp(0x02, S, rs2, rs1, rm, rd); }
    public Asm fdiv_s(int rd, int rs1, int rs2, int rm) { return fp(0x03, S, rs2, rs1, rm, rd); }
    public Asm fsqrt_s(int rd, int rs1, int rm) { return fp(0x0B, S, 0, rs1, rm, rd); }
    public Asm fadd_d(int rd, int rs1, int rs2, int rm) { return fp(0x00, D, rs2, rs1, rm, rd); }
    public Asm fsub_d(int rd, int rs1, int rs2, int rm) { return fp(0x01, D, rs2, rs1, rm, rd); }
    public Asm fmul_d(int rd, int rs1, int rs2, int rm) { return fp(0x02, D, rs2, rs1, rm, rd); }
    public Asm fdiv_d(int rd, int rs1, int rs2, int rm) { return fp(0x03, D, rs2, rs1, rm, rd); }
    public Asm fsqrt_d(int rd, int rs1, int rm) { return fp(0x0B, D, 0, rs1, rm, rd); }
    public Asm fadd_s(int rd, int rs1, int rs2) { return fadd_s(rd, rs1, rs2, DYN); }
    public Asm fadd_d(int rd, int rs1, int rs2) { return fadd_d(rd, rs1, rs2, DYN); }

    public Asm fsgnj_s(int rd, int rs1, int rs2) { return fp(0x04, S, rs2, rs1, 0, rd); }
    public Asm fsgnjn_s(int rd, int rs1, int rs2) { return fp(0x04, S, rs2, rs1, 1, rd); }
    public Asm fsgnjx_s(int rd, int rs1, int rs2) { return fp(0x04, S, rs2, rs1, 2, rd); }
    public Asm fmin_s(int rd, int rs1, int rs2) { return fp(0x05, S, rs2, rs1, 0, rd); }
    public Asm fmax_s(int rd, int rs1, int rs2) { return fp(0x05, S, rs2, rs1, 1, rd); }
    public Asm feq_s(int rd, int rs1, int rs2) { return fp(0x14, S, rs2, rs1, 2, rd); }
    public Asm flt_s(int rd, int rs1, int rs2) { return fp(0x14, S, rs2, rs1, 1, rd); }
    public Asm fle_s(int rd, int rs1, int rs2) { return fp(0x14, S, rs2, rs1, 0, rd); }
    public Asm fsgnj_d(int rd, int rs1, int rs2) { return fp(0x04, D, rs2, rs1, 0, rd); }
    public Asm fsgnjn_d(int rd, int rs1, int rs2) { return fp(0x04, D, rs2, rs1, 1, rd); }
    public Asm fsgnjx_d(int rd, int rs1, int rs2) { return fp(0x04, D, rs2, rs1, 2, rd); }
    public Asm fmin_d(int rd, int rs1, int rs2) { return fp(0x05, D, rs2, rs1, 0, rd); }
    public Asm fmax_d(int rd, int rs1, int rs2) { return fp(0x05, D, rs2, rs1, 1, rd); }
    public Asm feq_d(int rd, int rs1, int rs2) { return fp(0x14, D, rs2, rs1, 2, rd); }
    public Asm flt_d(int rd, int rs1, int rs2) { return fp(0x14, D, rs2, rs1, 1, rd); }
    public Asm fle_d(int rd, int rs1, int rs2) { return fp(0x14, D, rs2, rs1, 0, rd); }

    public Asm fcvt_w_s(int rd, int rs1, int rm) { return fp(0x18, S, 0, rs1, rm, rd); }
    public Asm fcvt_wu_s(int rd, int rs1, int rm) { return fp(0x18, S, 1, rs1, rm, rd); }
    public Asm fcvt_l_s(int rd, int rs1, int rm) { return fp(0x18, S, 2, rs1, rm, rd); }
    public Asm fcvt_lu_s(int rd, int rs1, int rm) { return fp(0x18, S, 3, rs1, rm, rd); }
    public Asm fcvt_s_w(int rd, int rs1, int rm) { return fp(0x1A, S, 0, rs1, rm, rd); }
    public Asm fcvt_s_wu(int rd, int rs1, int rm) { return fp(0x1A, S, 1, rs1, rm, rd); }
    public Asm fcvt_s_l(int rd, int rs1, int rm) { return fp(0x1A, S, 2, rs1, rm, rd); }
    public Asm fcvt_s_lu(int rd, int rs1, int rm) { return fp(0x1A, S, 3, rs1, rm, rd); }
    public Asm fcvt_w_d(int rd, int rs1, int rm) { return fp(0x18, D, 0, rs1, rm, rd); }
    public Asm fcvt_wu_d(int rd, int rs1, int rm) { return fp(0x18, D, 1, rs1, rm, rd); }
    public Asm fcvt_l_d(int rd, int rs1, int rm) { return fp(0x18, D, 2, rs1, rm, rd); }
    public Asm fcvt_lu_d(int rd, int rs1, int rm) { return fp(0x18, D, 3, rs1, rm, rd); }
    public Asm fcvt_d_w(int rd, int rs1, int rm) { return fp(0x1A, D, 0, rs1, rm, rd); }
    public Asm fcvt_d_wu(int rd, int rs1, int rm) { return fp(0x1A, D, 1, rs1, rm, rd); }
    public Asm fcvt_d_l(int rd, int rs1, int rm) { return fp(0x1A, D, 2, rs1, rm, rd); }
    public Asm fcvt_d_lu(int rd, int rs1, int rm) { return fp(0x1A, D, 3, rs1, rm, rd); }
    public Asm fcvt_s_d(int rd, int rs1, int rm) { return fp(0x08, S, 1, rs1, rm, rd); }
    public Asm fcvt_d_s(int rd, int rs1, int rm) { return fp(0x08, D, 0, rs1, rm, rd); }

    public Asm fmv_x_w(int rd, int rs1) { return fp(0x1C, S, 0, rs1, 0, rd); }
    public Asm fclass_s(int rd, int rs1) { return fp(0x1C, S, 0, rs1, 1, rd); }
    public Asm fmv_w_x(int rd, int rs1) { return fp(0x1E, S, 0, rs1, 0, rd); }
    public Asm fmv_x_d(int rd, int rs1) { return fp(0x1C, D, 0, rs1, 0, rd); }
    public Asm fclass_d(int rd, int rs1) { return fp(0x1C, D, 0, rs1, 1, rd); }
    public Asm fmv_d_x(int rd, int rs1) { return fp(0x1E, D, 0, rs1, 0, rd); }

    public Asm c_fld(int rd, int uimm, int rs1) { return cld(1, rd, uimm, rs1); }
    public Asm c_fsd(int rs2, int uimm, int rs1) { return cld(5, rs2, uimm, rs1); }

    public Asm c_fldsp(int rd, int uimm) {
        return half(1 << 13 | bits(uimm, 5, 5) << 12 | rd << 7 | bits(uimm, 4, 3) << 5 | bits(uimm, 8, 6) << 2 | 2);
    }

    public Asm c_fsdsp(int rs2, int uimm) { return half(5 << 13 | bits(uimm, 5, 3) << 10 | bits(uimm, 8, 6) << 7 | rs2 << 2 | 2); }
}
