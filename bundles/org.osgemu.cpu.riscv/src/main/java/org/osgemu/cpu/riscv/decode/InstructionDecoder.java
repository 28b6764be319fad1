package org.osgemu.cpu.riscv.decode;

import org.osgemu.cpu.riscv.decode.Insn32Decoder.ArgsAtomic;
import org.osgemu.cpu.riscv.decode.Insn32Decoder.ArgsB;
import org.osgemu.cpu.riscv.decode.Insn32Decoder.ArgsCsr;
import org.osgemu.cpu.riscv.decode.Insn32Decoder.ArgsEmpty;
import org.osgemu.cpu.riscv.decode.Insn32Decoder.ArgsI;
import org.osgemu.cpu.riscv.decode.Insn32Decoder.ArgsR;
import org.osgemu.cpu.riscv.decode.Insn32Decoder.ArgsS;
import org.osgemu.cpu.riscv.decode.Insn32Decoder.ArgsSfence;
import org.osgemu.cpu.riscv.decode.Insn32Decoder.ArgsShift;
import org.osgemu.cpu.riscv.decode.Insn32Decoder.ArgsU;

/**
 * Turns one instruction word into an operation and its operands, using the decoders generated
 * from {@code insn32.decode} and {@code insn16.decode}. Both decoders call the same translator
 * methods, so a compressed instruction comes out as its 32-bit expansion; only
 * {@link #compressed()} tells them apart.
 *
 * <p>Operand conventions: {@code imm} holds the sign-extended immediate, the shift amount of
 * shift-immediate instructions, or the CSR number of Zicsr instructions (whose 5-bit
 * immediate, for the {@code i} forms, is in {@code rs1}). FP arithmetic carries its rounding
 * mode in bits 0..2 of {@code imm} and, for the fused multiply-adds, rs3 in bits 3..7 (the F
 * and D methods are in {@link FloatDecoder}). Not thread-safe: one per hart.
 */
public final class InstructionDecoder extends FloatDecoder
        implements Insn32Decoder.Translator, Insn16Decoder.Translator {

    private int op;
    private int rd;
    private int rs1;
    private int rs2;
    private int imm;
    private boolean compressed;

    /**
     * Decodes {@code word}: a 32-bit instruction when its two low bits are {@code 11}, else a
     * compressed one in the low 16 bits. Returns false, with {@link #op()} {@link Op#ILLEGAL},
     * when the word is not a valid instruction.
     */
    public boolean decode(int word) {
        op = Op.ILLEGAL;
        rd = rs1 = rs2 = imm = 0;
        compressed = (word & 3) != 3;
        boolean ok = compressed ? Insn16Decoder.decode(this, word) : Insn32Decoder.decode(this, word);
        if (!ok) {
            op = Op.ILLEGAL;
            rd = rs1 = rs2 = imm = 0;
        }
        return op != Op.ILLEGAL;
    }

    /** The operation, one of the {@link Op} numbers. */
    public int op() { return op; }
    public int rd() { return rd; }
    public int rs1() { return rs1; }
    public int rs2() { return rs2; }
    public int imm() { return imm; }
    /** Whether the word was a 16-bit compressed instruction. */
    public boolean compressed() { return compressed; }

    @Override
    boolean set(int op, int rd, int rs1, int rs2, int imm) {
        this.op = op;
        this.rd = rd;
        this.rs1 = rs1;
        this.rs2 = rs2;
        this.imm = imm;
        return true;
    }

    @Override
    public boolean trans_illegal(ArgsEmpty a) {
        return set(Op.ILLEGAL, 0, 0, 0, 0);
    }

    @Override
    public boolean trans_add(ArgsR a) {
        return set(Op.ADD, a.rd(), a.rs1(), a.rs2(), 0);
    }

    @Override
    public boolean trans_sub(ArgsR a) {
        return set(Op.SUB, a.rd(), a.rs1(), a.rs2(), 0);
    }

    @Override
    public boolean trans_sll(ArgsR a) {
        return set(Op.SLL, a.rd(), a.rs1(), a.rs2(), 0);
    }

    @Override
    public boolean trans_slt(ArgsR a) {
        return set(Op.SLT, a.rd(), a.rs1(), a.rs2(), 0);
    }

    @Override
    public boolean trans_sltu(ArgsR a) {
        return set(Op.SLTU, a.rd(), a.rs1(), a.rs2(), 0);
    }

    @Override
    public boolean trans_xor(ArgsR a) {
        return set(Op.XOR, a.rd(), a.rs1(), a.rs2(), 0);
    }

    @Override
    public boolean trans_srl(ArgsR a) {
        return set(Op.SRL, a.rd(), a.rs1(), a.rs2(), 0);
    }

    @Override
    public boolean trans_sra(ArgsR a) {
        return set(Op.SRA, a.rd(), a.rs1(), a.rs2(), 0);
    }

    @Override
    public boolean trans_or(ArgsR a) {
        return set(Op.OR, a.rd(), a.rs1(), a.rs2(), 0);
    }

    @Override
    public boolean trans_and(ArgsR a) {
        return set(Op.AND, a.rd(), a.rs1(), a.rs2(), 0);
    }

    @Override
    public boolean trans_addw(ArgsR a) {
        return set(Op.ADDW, a.rd(), a.rs1(), a.rs2(), 0);
    }

    @Override
    public boolean trans_subw(ArgsR a) {
        return set(Op.SUBW, a.rd(), a.rs1(), a.rs2(), 0);
    }

    @Override
    public boolean trans_sllw(ArgsR a) {
        return set(Op.SLLW, a.rd(), a.rs1(), a.rs2(), 0);
    }

    @Override
    public boolean trans_srlw(ArgsR a) {
        return set(Op.SRLW, a.rd(), a.rs1(), a.rs2(), 0);
    }

    @Override
    public boolean trans_sraw(ArgsR a) {
        return set(Op.SRAW, a.rd(), a.rs1(), a.rs2(), 0);
    }

    @Override
    public boolean trans_mul(ArgsR a) {
        return set(Op.MUL, a.rd(), a.rs1(), a.rs2(), 0);
    }

    @Override
    public boolean trans_mulh(ArgsR a) {
        return set(Op.MULH, a.rd(), a.rs1(), a.rs2(), 0);
    }

    @Override
    public boolean trans_mulhsu(ArgsR a) {
        return set(Op.MULHSU, a.rd(), a.rs1(), a.rs2(), 0);
    }

    @Override
    public boolean trans_mulhu(ArgsR a) {
        return set(Op.MULHU, a.rd(), a.rs1(), a.rs2(), 0);
    }

    @Override
    public boolean trans_div(ArgsR a) {
        return set(Op.DIV, a.rd(), a.rs1(), a.rs2(), 0);
    }

    @Override
    public boolean trans_divu(ArgsR a) {
        return set(Op.DIVU, a.rd(), a.rs1(), a.rs2(), 0);
    }

    @Override
    public boolean trans_rem(ArgsR a) {
        return set(Op.REM, a.rd(), a.rs1(), a.rs2(), 0);
    }

    @Override
    public boolean trans_remu(ArgsR a) {
        return set(Op.REMU, a.rd(), a.rs1(), a.rs2(), 0);
    }

    @Override
    public boolean trans_mulw(ArgsR a) {
        return set(Op.MULW, a.rd(), a.rs1(), a.rs2(), 0);
    }

    @Override
    public boolean trans_divw(ArgsR a) {
        return set(Op.DIVW, a.rd(), a.rs1(), a.rs2(), 0);
    }

    @Override
    public boolean trans_divuw(ArgsR a) {
        return set(Op.DIVUW, a.rd(), a.rs1(), a.rs2(), 0);
    }

    @Override
    public boolean trans_remw(ArgsR a) {
        return set(Op.REMW, a.rd(), a.rs1(), a.rs2(), 0);
    }

    @Override
    public boolean trans_remuw(ArgsR a) {
        return set(Op.REMUW, a.rd(), a.rs1(), a.rs2(), 0);
    }

    @Override
    public boolean trans_jalr(ArgsI a) {
        return set(Op.JALR, a.rd(), a.rs1(), 0, a.imm());
    }

    @Override
    public boolean trans_lb(ArgsI a) {
        return set(Op.LB, a.rd(), a.rs1(), 0, a.imm());
    }

    @Override
    public boolean trans_lh(ArgsI a) {
        return set(Op.LH, a.rd(), a.rs1(), 0, a.imm());
    }

    @Override
    public boolean trans_lw(ArgsI a) {
        return set(Op.LW, a.rd(), a.rs1(), 0, a.imm());
    }

    @Override
    public boolean trans_ld(ArgsI a) {
        return set(Op.LD, a.rd(), a.rs1(), 0, a.imm());
    }

    @Override
    public boolean trans_lbu(ArgsI a) {
        return set(Op.LBU, a.rd(), a.rs1(), 0, a.imm());
    }

    @Override
    public boolean trans_lhu(ArgsI a) {
        return set(Op.LHU, a.rd(), a.rs1(), 0, a.imm());
    }

    @Override
    public boolean trans_lwu(ArgsI a) {
        return set(Op.LWU, a.rd(), a.rs1(), 0, a.imm());
    }

    @Override
    public boolean trans_addi(ArgsI a) {
        return set(Op.ADDI, a.rd(), a.rs1(), 0, a.imm());
    }

    @Override
    public boolean trans_slti(ArgsI a) {
        return set(Op.SLTI, a.rd(), a.rs1(), 0, a.imm());
    }

    @Override
    public boolean trans_sltiu(ArgsI a) {
        return set(Op.SLTIU, a.rd(), a.rs1(), 0, a.imm());
    }

    @Override
    public boolean trans_xori(ArgsI a) {
        return set(Op.XORI, a.rd(), a.rs1(), 0, a.imm());
    }

    @Override
    public boolean trans_ori(ArgsI a) {
        return set(Op.ORI, a.rd(), a.rs1(), 0, a.imm());
    }

    @Override
    public boolean trans_andi(ArgsI a) {
        return set(Op.ANDI, a.rd(), a.rs1(), 0, a.imm());
    }

    @Override
    public boolean trans_addiw(ArgsI a) {
        return set(Op.ADDIW, a.rd(), a.rs1(), 0, a.imm());
    }

    @Override
    public boolean trans_sb(ArgsS a) {
        return set(Op.SB, 0, a.rs1(), a.rs2(), a.imm());
    }

    @Override
    public boolean trans_sh(ArgsS a) {
        return set(Op.SH, 0, a.rs1(), a.rs2(), a.imm());
    }

    @Override
    public boolean trans_sw(ArgsS a) {
        return set(Op.SW, 0, a.rs1(), a.rs2(), a.imm());
    }

    @Override
    public boolean trans_sd(ArgsS a) {
        return set(Op.SD, 0, a.rs1(), a.rs2(), a.imm());
    }

    @Override
    public boolean trans_beq(ArgsB a) {
        return set(Op.BEQ, 0, a.rs1(), a.rs2(), a.imm());
    }

    @Override
    public boolean trans_bne(ArgsB a) {
        return set(Op.BNE, 0, a.rs1(), a.rs2(), a.imm());
    }

    @Override
    public boolean trans_blt(ArgsB a) {
        return set(Op.BLT, 0, a.rs1(), a.rs2(), a.imm());
    }

    @Override
    public boolean trans_bge(ArgsB a) {
        return set(Op.BGE, 0, a.rs1(), a.rs2(), a.imm());
    }

    @Override
    public boolean trans_bltu(ArgsB a) {
        return set(Op.BLTU, 0, a.rs1(), a.rs2(), a.imm());
    }

    @Override
    public boolean trans_bgeu(ArgsB a) {
        return set(Op.BGEU, 0, a.rs1(), a.rs2(), a.imm());
    }

    @Override
    public boolean trans_lui(ArgsU a) {
        return set(Op.LUI, a.rd(), 0, 0, a.imm());
    }

    @Override
    public boolean trans_auipc(ArgsU a) {
        return set(Op.AUIPC, a.rd(), 0, 0, a.imm());
    }

    @Override
    public boolean trans_jal(ArgsU a) {
        return set(Op.JAL, a.rd(), 0, 0, a.imm());
    }

    @Override
    public boolean trans_slli(ArgsShift a) {
        return set(Op.SLLI, a.rd(), a.rs1(), 0, a.shamt());
    }

    @Override
    public boolean trans_srli(ArgsShift a) {
        return set(Op.SRLI, a.rd(), a.rs1(), 0, a.shamt());
    }

    @Override
    public boolean trans_srai(ArgsShift a) {
        return set(Op.SRAI, a.rd(), a.rs1(), 0, a.shamt());
    }

    @Override
    public boolean trans_slliw(ArgsShift a) {
        return set(Op.SLLIW, a.rd(), a.rs1(), 0, a.shamt());
    }

    @Override
    public boolean trans_srliw(ArgsShift a) {
        return set(Op.SRLIW, a.rd(), a.rs1(), 0, a.shamt());
    }

    @Override
    public boolean trans_sraiw(ArgsShift a) {
        return set(Op.SRAIW, a.rd(), a.rs1(), 0, a.shamt());
    }

    @Override
    public boolean trans_lr_w(ArgsAtomic a) {
        return set(Op.LR_W, a.rd(), a.rs1(), a.rs2(), 0);
    }

    @Override
    public boolean trans_sc_w(ArgsAtomic a) {
        return set(Op.SC_W, a.rd(), a.rs1(), a.rs2(), 0);
    }

    @Override
    public boolean trans_amoswap_w(ArgsAtomic a) {
        return set(Op.AMOSWAP_W, a.rd(), a.rs1(), a.rs2(), 0);
    }

    @Override
    public boolean trans_amoadd_w(ArgsAtomic a) {
        return set(Op.AMOADD_W, a.rd(), a.rs1(), a.rs2(), 0);
    }

    @Override
    public boolean trans_amoxor_w(ArgsAtomic a) {
        return set(Op.AMOXOR_W, a.rd(), a.rs1(), a.rs2(), 0);
    }

    @Override
    public boolean trans_amoand_w(ArgsAtomic a) {
        return set(Op.AMOAND_W, a.rd(), a.rs1(), a.rs2(), 0);
    }

    @Override
    public boolean trans_amoor_w(ArgsAtomic a) {
        return set(Op.AMOOR_W, a.rd(), a.rs1(), a.rs2(), 0);
    }

    @Override
    public boolean trans_amomin_w(ArgsAtomic a) {
        return set(Op.AMOMIN_W, a.rd(), a.rs1(), a.rs2(), 0);
    }

    @Override
    public boolean trans_amomax_w(ArgsAtomic a) {
        return set(Op.AMOMAX_W, a.rd(), a.rs1(), a.rs2(), 0);
    }

    @Override
    public boolean trans_amominu_w(ArgsAtomic a) {
        return set(Op.AMOMINU_W, a.rd(), a.rs1(), a.rs2(), 0);
    }

    @Override
    public boolean trans_amomaxu_w(ArgsAtomic a) {
        return set(Op.AMOMAXU_W, a.rd(), a.rs1(), a.rs2(), 0);
    }

    @Override
    public boolean trans_lr_d(ArgsAtomic a) {
        return set(Op.LR_D, a.rd(), a.rs1(), a.rs2(), 0);
    }

    @Override
    public boolean trans_sc_d(ArgsAtomic a) {
        return set(Op.SC_D, a.rd(), a.rs1(), a.rs2(), 0);
    }

    @Override
    public boolean trans_amoswap_d(ArgsAtomic a) {
        return set(Op.AMOSWAP_D, a.rd(), a.rs1(), a.rs2(), 0);
    }

    @Override
    public boolean trans_amoadd_d(ArgsAtomic a) {
        return set(Op.AMOADD_D, a.rd(), a.rs1(), a.rs2(), 0);
    }

    @Override
    public boolean trans_amoxor_d(ArgsAtomic a) {
        return set(Op.AMOXOR_D, a.rd(), a.rs1(), a.rs2(), 0);
    }

    @Override
    public boolean trans_amoand_d(ArgsAtomic a) {
        return set(Op.AMOAND_D, a.rd(), a.rs1(), a.rs2(), 0);
    }

    @Override
    public boolean trans_amoor_d(ArgsAtomic a) {
        return set(Op.AMOOR_D, a.rd(), a.rs1(), a.rs2(), 0);
    }

    @Override
    public boolean trans_amomin_d(ArgsAtomic a) {
        return set(Op.AMOMIN_D, a.rd(), a.rs1(), a.rs2(), 0);
    }

    @Override
    public boolean trans_amomax_d(ArgsAtomic a) {
        return set(Op.AMOMAX_D, a.rd(), a.rs1(), a.rs2(), 0);
    }

    @Override
    public boolean trans_amominu_d(ArgsAtomic a) {
        return set(Op.AMOMINU_D, a.rd(), a.rs1(), a.rs2(), 0);
    }

    @Override
    public boolean trans_amomaxu_d(ArgsAtomic a) {
        return set(Op.AMOMAXU_D, a.rd(), a.rs1(), a.rs2(), 0);
    }

    @Override
    public boolean trans_csrrw(ArgsCsr a) {
        return set(Op.CSRRW, a.rd(), a.rs1(), 0, a.csr());
    }

    @Override
    public boolean trans_csrrs(ArgsCsr a) {
        return set(Op.CSRRS, a.rd(), a.rs1(), 0, a.csr());
    }

    @Override
    public boolean trans_csrrc(ArgsCsr a) {
        return set(Op.CSRRC, a.rd(), a.rs1(), 0, a.csr());
    }

    @Override
    public boolean trans_csrrwi(ArgsCsr a) {
        return set(Op.CSRRWI, a.rd(), a.rs1(), 0, a.csr());
    }

    @Override
    public boolean trans_csrrsi(ArgsCsr a) {
        return set(Op.CSRRSI, a.rd(), a.rs1(), 0, a.csr());
    }

    @Override
    public boolean trans_csrrci(ArgsCsr a) {
        return set(Op.CSRRCI, a.rd(), a.rs1(), 0, a.csr());
    }

    @Override
    public boolean trans_fence(ArgsEmpty a) {
        return set(Op.FENCE, 0, 0, 0, 0);
    }

    @Override
    public boolean trans_fence_i(ArgsEmpty a) {
        return set(Op.FENCE_I, 0, 0, 0, 0);
    }

    @Override
    public boolean trans_ecall(ArgsEmpty a) {
        return set(Op.ECALL, 0, 0, 0, 0);
    }

    @Override
    public boolean trans_ebreak(ArgsEmpty a) {
        return set(Op.EBREAK, 0, 0, 0, 0);
    }

    @Override
    public boolean trans_sret(ArgsEmpty a) {
        return set(Op.SRET, 0, 0, 0, 0);
    }

    @Override
    public boolean trans_mret(ArgsEmpty a) {
        return set(Op.MRET, 0, 0, 0, 0);
    }

    @Override
    public boolean trans_wfi(ArgsEmpty a) {
        return set(Op.WFI, 0, 0, 0, 0);
    }

    @Override
    public boolean trans_sfence_vma(ArgsSfence a) {
        return set(Op.SFENCE_VMA, 0, a.rs1(), a.rs2(), 0);
    }
}
