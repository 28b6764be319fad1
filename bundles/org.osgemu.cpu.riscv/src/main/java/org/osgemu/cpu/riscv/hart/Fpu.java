package org.osgemu.cpu.riscv.hart;

import static org.osgemu.cpu.riscv.hart.Csr.MSTATUS_FS;
import static org.osgemu.cpu.riscv.hart.FloatConversions.L;
import static org.osgemu.cpu.riscv.hart.FloatConversions.LU;
import static org.osgemu.cpu.riscv.hart.FloatConversions.W;
import static org.osgemu.cpu.riscv.hart.FloatConversions.WU;
import static org.osgemu.cpu.riscv.hart.FloatRounder.DYNAMIC;
import static org.osgemu.cpu.riscv.hart.FloatRounder.RMM;

import java.util.Arrays;

import org.osgemu.cpu.riscv.decode.Op;

/**
 * The F and D extensions of one hart: the 32 FP registers and the execution of every FP
 * instruction the interpreter hands over (unprivileged manual, chapters "F" and "D").
 *
 * <p>Binary32 values live NaN-boxed in the 64-bit registers (upper half all ones); a binary32
 * operand that is not properly boxed reads as the canonical NaN, except in the transfer
 * instructions (FSW, FMV.X.W), which move bits unchecked. Every FP instruction is illegal while
 * mstatus.FS is Off; one that writes an FP register or a new fflags bit makes FS Dirty. The
 * rounding mode comes from the instruction's rm field or, when that is DYN, from frm; the
 * reserved encodings make the instruction illegal even where the result is exact.
 *
 * <p>Operands arrive as decoded: for the arithmetic instructions {@code imm} carries rm in
 * bits 0..2 and rs3 in bits 3..7; for loads and stores it is the offset.
 */
final class Fpu {

    private static final long NAN_BOX = 0xFFFF_FFFF_0000_0000L;
    private static final int SIGN32 = Integer.MIN_VALUE;
    private static final long SIGN64 = Long.MIN_VALUE;
    private static final FloatFormat S = FloatFormat.SINGLE;
    private static final FloatFormat D = FloatFormat.DOUBLE;

    /** The FP registers f0..f31. */
    final long[] f = new long[32];

    private final long[] x;
    private final CsrFile csr;
    private final Mmu mmu;
    private final RiscvTrap trap;
    private final FloatRounder rounder = new FloatRounder();
    private final Binary32 single = new Binary32(rounder);
    private final Binary64 dual = new Binary64(rounder, new ExactArithmetic(rounder));
    private final FloatConversions convert = new FloatConversions(rounder);
    private final FloatCompare compare = new FloatCompare(rounder);

    /** Works on the integer registers {@code x} (shared with the interpreter). */
    Fpu(long[] x, CsrFile csr, Mmu mmu, RiscvTrap trap) {
        this.x = x;
        this.csr = csr;
        this.mmu = mmu;
        this.trap = trap;
    }

    void reset() {
        Arrays.fill(f, 0);
    }

    /** Executes FP operation {@code op}; raises illegal instruction for FS Off and reserved rounding modes. */
    void execute(int op, int rd, int rs1, int rs2, int imm) {
        if ((csr.mstatus & MSTATUS_FS) == 0) {
            throw illegal();
        }
        rounder.flags = 0;
        if (op <= Op.FMV_W_X) {
            executeSingle(op, rd, rs1, rs2, imm);
        } else {
            executeDouble(op, rd, rs1, rs2, imm);
        }
        int raised = rounder.flags;
        if (raised != 0 && (csr.fflags | raised) != csr.fflags) {
            csr.fflags |= raised;
            csr.markFloatStateDirty();
        }
    }

    private void executeSingle(int op, int rd, int rs1, int rs2, int imm) {
        switch (op) {
            case Op.FLW -> setSingle(rd, (int) mmu.load(x[rs1] + imm, 4));
            case Op.FSW -> mmu.store(x[rs1] + imm, f[rs2], 4);
            case Op.FMADD_S -> setSingle(rd, single.fusedMultiplyAdd(s(rs1), s(rs2), s(rs3(imm)), rm(imm)));
            case Op.FMSUB_S -> setSingle(rd, single.fusedMultiplyAdd(s(rs1), s(rs2), s(rs3(imm)) ^ SIGN32, rm(imm)));
            case Op.FNMSUB_S -> setSingle(rd, single.fusedMultiplyAdd(s(rs1) ^ SIGN32, s(rs2), s(rs3(imm)), rm(imm)));
            case Op.FNMADD_S -> setSingle(rd,
                    single.fusedMultiplyAdd(s(rs1) ^ SIGN32, s(rs2), s(rs3(imm)) ^ SIGN32, rm(imm)));
            case Op.FADD_S -> setSingle(rd, single.add(s(rs1), s(rs2), rm(imm)));
            case Op.FSUB_S -> setSingle(rd, single.subtract(s(rs1), s(rs2), rm(imm)));
            case Op.FMUL_S -> setSingle(rd, single.multiply(s(rs1), s(rs2), rm(imm)));
            case Op.FDIV_S -> setSingle(rd, single.divide(s(rs1), s(rs2), rm(imm)));
            case Op.FSQRT_S -> setSingle(rd, single.sqrt(s(rs1), rm(imm)));
            case Op.FSGNJ_S -> setSingle(rd, (s(rs1) & ~SIGN32) | (s(rs2) & SIGN32));
            case Op.FSGNJN_S -> setSingle(rd, (s(rs1) & ~SIGN32) | (~s(rs2) & SIGN32));
            case Op.FSGNJX_S -> setSingle(rd, s(rs1) ^ (s(rs2) & SIGN32));
            case Op.FMIN_S -> setSingle(rd, (int) compare.min(S, u(rs1), u(rs2)));
            case Op.FMAX_S -> setSingle(rd, (int) compare.max(S, u(rs1), u(rs2)));
            case Op.FCVT_W_S -> x[rd] = convert.toInteger(Float.intBitsToFloat(s(rs1)), W, rm(imm));
            case Op.FCVT_WU_S -> x[rd] = convert.toInteger(Float.intBitsToFloat(s(rs1)), WU, rm(imm));
            case Op.FCVT_L_S -> x[rd] = convert.toInteger(Float.intBitsToFloat(s(rs1)), L, rm(imm));
            case Op.FCVT_LU_S -> x[rd] = convert.toInteger(Float.intBitsToFloat(s(rs1)), LU, rm(imm));
            case Op.FMV_X_W -> x[rd] = (int) f[rs1];
            case Op.FEQ_S -> x[rd] = compare.equal(S, u(rs1), u(rs2)) ? 1 : 0;
            case Op.FLT_S -> x[rd] = compare.lessThan(S, u(rs1), u(rs2)) ? 1 : 0;
            case Op.FLE_S -> x[rd] = compare.lessOrEqual(S, u(rs1), u(rs2)) ? 1 : 0;
            case Op.FCLASS_S -> x[rd] = FloatCompare.classify(S, u(rs1));
            case Op.FCVT_S_W -> setSingle(rd, (int) convert.fromInteger(S, (int) x[rs1], false, rm(imm)));
            case Op.FCVT_S_WU -> setSingle(rd, (int) convert.fromInteger(S, x[rs1] & 0xFFFF_FFFFL, true, rm(imm)));
            case Op.FCVT_S_L -> setSingle(rd, (int) convert.fromInteger(S, x[rs1], false, rm(imm)));
            case Op.FCVT_S_LU -> setSingle(rd, (int) convert.fromInteger(S, x[rs1], true, rm(imm)));
            case Op.FMV_W_X -> setSingle(rd, (int) x[rs1]);
            default -> throw illegal();
        }
    }

    private void executeDouble(int op, int rd, int rs1, int rs2, int imm) {
        switch (op) {
            case Op.FLD -> setDouble(rd, mmu.load(x[rs1] + imm, 8));
            case Op.FSD -> mmu.store(x[rs1] + imm, f[rs2], 8);
            case Op.FMADD_D -> setDouble(rd, dual.fusedMultiplyAdd(f[rs1], f[rs2], f[rs3(imm)], rm(imm)));
            case Op.FMSUB_D -> setDouble(rd, dual.fusedMultiplyAdd(f[rs1], f[rs2], f[rs3(imm)] ^ SIGN64, rm(imm)));
            case Op.FNMSUB_D -> setDouble(rd, dual.fusedMultiplyAdd(f[rs1] ^ SIGN64, f[rs2], f[rs3(imm)], rm(imm)));
            case Op.FNMADD_D -> setDouble(rd,
                    dual.fusedMultiplyAdd(f[rs1] ^ SIGN64, f[rs2], f[rs3(imm)] ^ SIGN64, rm(imm)));
            case Op.FADD_D -> setDouble(rd, dual.add(f[rs1], f[rs2], rm(imm)));
            case Op.FSUB_D -> setDouble(rd, dual.subtract(f[rs1], f[rs2], rm(imm)));
            case Op.FMUL_D -> setDouble(rd, dual.multiply(f[rs1], f[rs2], rm(imm)));
            case Op.FDIV_D -> setDouble(rd, dual.divide(f[rs1], f[rs2], rm(imm)));
            case Op.FSQRT_D -> setDouble(rd, dual.sqrt(f[rs1], rm(imm)));
            case Op.FSGNJ_D -> setDouble(rd, (f[rs1] & ~SIGN64) | (f[rs2] & SIGN64));
            case Op.FSGNJN_D -> setDouble(rd, (f[rs1] & ~SIGN64) | (~f[rs2] & SIGN64));
            case Op.FSGNJX_D -> setDouble(rd, f[rs1] ^ (f[rs2] & SIGN64));
            case Op.FMIN_D -> setDouble(rd, compare.min(D, f[rs1], f[rs2]));
            case Op.FMAX_D -> setDouble(rd, compare.max(D, f[rs1], f[rs2]));
            case Op.FCVT_W_D -> x[rd] = convert.toInteger(Double.longBitsToDouble(f[rs1]), W, rm(imm));
            case Op.FCVT_WU_D -> x[rd] = convert.toInteger(Double.longBitsToDouble(f[rs1]), WU, rm(imm));
            case Op.FCVT_L_D -> x[rd] = convert.toInteger(Double.longBitsToDouble(f[rs1]), L, rm(imm));
            case Op.FCVT_LU_D -> x[rd] = convert.toInteger(Double.longBitsToDouble(f[rs1]), LU, rm(imm));
            case Op.FMV_X_D -> x[rd] = f[rs1];
            case Op.FEQ_D -> x[rd] = compare.equal(D, f[rs1], f[rs2]) ? 1 : 0;
            case Op.FLT_D -> x[rd] = compare.lessThan(D, f[rs1], f[rs2]) ? 1 : 0;
            case Op.FLE_D -> x[rd] = compare.lessOrEqual(D, f[rs1], f[rs2]) ? 1 : 0;
            case Op.FCLASS_D -> x[rd] = FloatCompare.classify(D, f[rs1]);
            case Op.FCVT_D_W -> setDouble(rd, convert.fromInteger(D, (int) x[rs1], false, rm(imm)));
            case Op.FCVT_D_WU -> setDouble(rd, convert.fromInteger(D, x[rs1] & 0xFFFF_FFFFL, true, rm(imm)));
            case Op.FCVT_D_L -> setDouble(rd, convert.fromInteger(D, x[rs1], false, rm(imm)));
            case Op.FCVT_D_LU -> setDouble(rd, convert.fromInteger(D, x[rs1], true, rm(imm)));
            case Op.FMV_D_X -> setDouble(rd, x[rs1]);
            case Op.FCVT_S_D -> setSingle(rd, convert.toSingle(f[rs1], rm(imm)));
            case Op.FCVT_D_S -> {
                rm(imm); // checked although widening is exact
                setDouble(rd, convert.toDouble(s(rs1)));
            }
            default -> throw illegal();
        }
    }

    /** The binary32 operand in register {@code r}: its low half if NaN-boxed, else the canonical NaN. */
    private int s(int r) {
        long v = f[r];
        return (v >>> 32) == 0xFFFF_FFFFL ? (int) v : Binary32.CANONICAL_NAN;
    }

    /** The binary32 operand in register {@code r} as unsigned bits, for the format-generic helpers. */
    private long u(int r) {
        return s(r) & 0xFFFF_FFFFL;
    }

    private void setSingle(int r, int bits) {
        f[r] = NAN_BOX | (bits & 0xFFFF_FFFFL);
        csr.markFloatStateDirty();
    }

    private void setDouble(int r, long bits) {
        f[r] = bits;
        csr.markFloatStateDirty();
    }

    private static int rs3(int imm) {
        return (imm >>> 3) & 31;
    }

    /** The rounding mode of an instruction: its rm field, or frm for DYN; reserved values are illegal. */
    private int rm(int imm) {
        int rm = imm & 7;
        if (rm == DYNAMIC) {
            rm = csr.frm;
        }
        if (rm > RMM) {
            throw illegal();
        }
        return rm;
    }

    private RiscvTrap illegal() {
        return trap.raise(TrapCause.ILLEGAL_INSTRUCTION, 0);
    }
}
