package org.osgemu.cpu.riscv.decode;

import org.osgemu.cpu.riscv.decode.Insn32Decoder.ArgsI;
import org.osgemu.cpu.riscv.decode.Insn32Decoder.ArgsR;
import org.osgemu.cpu.riscv.decode.Insn32Decoder.ArgsR2;
import org.osgemu.cpu.riscv.decode.Insn32Decoder.ArgsR2Rm;
import org.osgemu.cpu.riscv.decode.Insn32Decoder.ArgsR4;
import org.osgemu.cpu.riscv.decode.Insn32Decoder.ArgsRRm;
import org.osgemu.cpu.riscv.decode.Insn32Decoder.ArgsS;

/**
 * The F and D half of {@link InstructionDecoder}'s translator methods, in a file of their own
 * to keep both files short. Loads and stores keep the usual operands; the
 * arithmetic instructions pack their rounding mode and third source register into the
 * immediate with {@link #floatImm}, as the interpreter's FPU expects.
 */
abstract class FloatDecoder {

    /** Records the decoded operation; always returns true. */
    abstract boolean set(int op, int rd, int rs1, int rs2, int imm);

    /** The immediate of FP arithmetic: rm in bits 0..2, rs3 in bits 3..7. */
    static int floatImm(int rm, int rs3) {
        return rm | rs3 << 3;
    }

    private boolean withRm(int op, ArgsRRm a) {
        return set(op, a.rd(), a.rs1(), a.rs2(), floatImm(a.rm(), 0));
    }

    private boolean withRm(int op, ArgsR2Rm a) {
        return set(op, a.rd(), a.rs1(), 0, floatImm(a.rm(), 0));
    }

    private boolean fused(int op, ArgsR4 a) {
        return set(op, a.rd(), a.rs1(), a.rs2(), floatImm(a.rm(), a.rs3()));
    }

    private boolean plain(int op, ArgsR a) {
        return set(op, a.rd(), a.rs1(), a.rs2(), 0);
    }

    private boolean plain(int op, ArgsR2 a) {
        return set(op, a.rd(), a.rs1(), 0, 0);
    }

    // ---- F ------------------------------------------------------------------------------

    public boolean trans_flw(ArgsI a) { return set(Op.FLW, a.rd(), a.rs1(), 0, a.imm()); }
    public boolean trans_fsw(ArgsS a) { return set(Op.FSW, 0, a.rs1(), a.rs2(), a.imm()); }
    public boolean trans_fmadd_s(ArgsR4 a) { return fused(Op.FMADD_S, a); }
    public boolean trans_fmsub_s(ArgsR4 a) { return fused(Op.FMSUB_S, a); }
    public boolean trans_fnmsub_s(ArgsR4 a) { return fused(Op.FNMSUB_S, a); }
    public boolean trans_fnmadd_s(ArgsR4 a) { return fused(Op.FNMADD_S, a); }
    public boolean trans_fadd_s(ArgsRRm a) { return withRm(Op.FADD_S, a); }
    public boolean trans_fsub_s(ArgsRRm a) { return withRm(Op.FSUB_S, a); }
    public boolean trans_fmul_s(ArgsRRm a) { return withRm(Op.FMUL_S, a); }
    public boolean trans_fdiv_s(ArgsRRm a) { return withRm(Op.FDIV_S, a); }
    public boolean trans_fsqrt_s(ArgsR2Rm a) { return withRm(Op.FSQRT_S, a); }
    public boolean trans_fsgnj_s(ArgsR a) { return plain(Op.FSGNJ_S, a); }
    public boolean trans_fsgnjn_s(ArgsR a) { return plain(Op.FSGNJN_S, a); }
    public boolean trans_fsgnjx_s(ArgsR a) { return plain(Op.FSGNJX_S, a); }
    public boolean trans_fmin_s(ArgsR a) { return plain(Op.FMIN_S, a); }
    public boolean trans_fmax_s(ArgsR a) { return plain(Op.FMAX_S, a); }
    public boolean trans_fcvt_w_s(ArgsR2Rm a) { return withRm(Op.FCVT_W_S, a); }
    public boolean trans_fcvt_wu_s(ArgsR2Rm a) { return withRm(Op.FCVT_WU_S, a); }
    public boolean trans_fcvt_l_s(ArgsR2Rm a) { return withRm(Op.FCVT_L_S, a); }
    public boolean trans_fcvt_lu_s(ArgsR2Rm a) { return withRm(Op.FCVT_LU_S, a); }
    public boolean trans_fmv_x_w(ArgsR2 a) { return plain(Op.FMV_X_W, a); }
    public boolean trans_feq_s(ArgsR a) { return plain(Op.FEQ_S, a); }
    public boolean trans_flt_s(ArgsR a) { return plain(Op.FLT_S, a); }
    public boolean trans_fle_s(ArgsR a) { return plain(Op.FLE_S, a); }
    public boolean trans_fclass_s(ArgsR2 a) { return plain(Op.FCLASS_S, a); }
    public boolean trans_fcvt_s_w(ArgsR2Rm a) { return withRm(Op.FCVT_S_W, a); }
    public boolean trans_fcvt_s_wu(ArgsR2Rm a) { return withRm(Op.FCVT_S_WU, a); }
    public boolean trans_fcvt_s_l(ArgsR2Rm a) { return withRm(Op.FCVT_S_L, a); }
    public boolean trans_fcvt_s_lu(ArgsR2Rm a) { return withRm(Op.FCVT_S_LU, a); }
    public boolean trans_fmv_w_x(ArgsR2 a) { return plain(Op.FMV_W_X, a); }

    // ---- D ------------------------------------------------------------------------------

    public boolean trans_fld(ArgsI a) { return set(Op.FLD, a.rd(), a.rs1(), 0, a.imm()); }
    public boolean trans_fsd(ArgsS a) { return set(Op.FSD, 0, a.rs1(), a.rs2(), a.imm()); }
    public boolean trans_fmadd_d(ArgsR4 a) { return fused(Op.FMADD_D, a); }
    public boolean trans_fmsub_d(ArgsR4 a) { return fused(Op.FMSUB_D, a); }
    public boolean trans_fnmsub_d(ArgsR4 a) { return fused(Op.FNMSUB_D, a); }
    public boolean trans_fnmadd_d(ArgsR4 a) { return fused(Op.FNMADD_D, a); }
    public boolean trans_fadd_d(ArgsRRm a) { return withRm(Op.FADD_D, a); }
    public boolean trans_fsub_d(ArgsRRm a) { return withRm(Op.FSUB_D, a); }
    public boolean trans_fmul_d(ArgsRRm a) { return withRm(Op.FMUL_D, a); }
    public boolean trans_fdiv_d(ArgsRRm a) { return withRm(Op.FDIV_D, a); }
    public boolean trans_fsqrt_d(ArgsR2Rm a) { return withRm(Op.FSQRT_D, a); }
    public boolean trans_fsgnj_d(ArgsR a) { return plain(Op.FSGNJ_D, a); }
    public boolean trans_fsgnjn_d(ArgsR a) { return plain(Op.FSGNJN_D, a); }
    public boolean trans_fsgnjx_d(ArgsR a) { return plain(Op.FSGNJX_D, a); }
    public boolean trans_fmin_d(ArgsR a) { return plain(Op.FMIN_D, a); }
    public boolean trans_fmax_d(ArgsR a) { return plain(Op.FMAX_D, a); }
    public boolean trans_fcvt_w_d(ArgsR2Rm a) { return withRm(Op.FCVT_W_D, a); }
    public boolean trans_fcvt_wu_d(ArgsR2Rm a) { return withRm(Op.FCVT_WU_D, a); }
    public boolean trans_fcvt_l_d(ArgsR2Rm a) { return withRm(Op.FCVT_L_D, a); }
    public boolean trans_fcvt_lu_d(ArgsR2Rm a) { return withRm(Op.FCVT_LU_D, a); }
    public boolean trans_fmv_x_d(ArgsR2 a) { return plain(Op.FMV_X_D, a); }
    public boolean trans_feq_d(ArgsR a) { return plain(Op.FEQ_D, a); }
    public boolean trans_flt_d(ArgsR a) { return plain(Op.FLT_D, a); }
    public boolean trans_fle_d(ArgsR a) { return plain(Op.FLE_D, a); }
    public boolean trans_fclass_d(ArgsR2 a) { return plain(Op.FCLASS_D, a); }
    public boolean trans_fcvt_d_w(ArgsR2Rm a) { return withRm(Op.FCVT_D_W, a); }
    public boolean trans_fcvt_d_wu(ArgsR2Rm a) { return withRm(Op.FCVT_D_WU, a); }
    public boolean trans_fcvt_d_l(ArgsR2Rm a) { return withRm(Op.FCVT_D_L, a); }
    public boolean trans_fcvt_d_lu(ArgsR2Rm a) { return withRm(Op.FCVT_D_LU, a); }
    public boolean trans_fmv_d_x(ArgsR2 a) { return plain(Op.FMV_D_X, a); }
    public boolean trans_fcvt_s_d(ArgsR2Rm a) { return withRm(Op.FCVT_S_D, a); }
    public boolean trans_fcvt_d_s(ArgsR2Rm a) { return withRm(Op.FCVT_D_S, a); }
}
