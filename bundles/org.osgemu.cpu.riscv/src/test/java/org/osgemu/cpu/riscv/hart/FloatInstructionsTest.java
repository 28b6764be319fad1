package org.osgemu.cpu.riscv.hart;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.osgemu.cpu.riscv.hart.Csr.*;
import static org.osgemu.cpu.riscv.testing.Asm.*;

import org.junit.jupiter.api.Test;
import org.osgemu.cpu.riscv.testing.Asm;
import org.osgemu.cpu.riscv.testing.FloatHartTest;

/**
 * Every F and D instruction run on a hart: results, NaN-boxing, moves, loads and stores (the
 * compressed ones too), FCLASS, comparisons, min/max, and the rounding-mode and fcsr plumbing.
 * Rounding and flag corner cases of the arithmetic itself are in {@link FloatRoundingTest}.
 */
class FloatInstructionsTest extends FloatHartTest {

    private static final int NV = 16, DZ = 8, OF = 4, UF = 2, NX = 1;
    private static final long BOX = 0xFFFF_FFFF_0000_0000L;
    private static final long CANONICAL_NAN_D = 0x7FF8_0000_0000_0000L;
    private static final long CANONICAL_NAN_S = BOX | 0x7FC0_0000L;
    private static final long SNAN_D = 0x7FF0_0000_0000_0001L;
    private static final int SNAN_S = 0x7F80_0001;

    private static long boxed(float v) {
        return BOX | (Float.floatToRawIntBits(v) & 0xFFFF_FFFFL);
    }

    private static long bits(double v) {
        return Double.doubleToRawLongBits(v);
    }

    @Test
    void doublePrecisionArithmetic() {
        Asm a = fpProgram();
        loadDouble(a, 1, 1.5);
        loadDouble(a, 2, -0.25);
        loadDouble(a, 3, 2.0);
        a.fadd_d(4, 1, 2).fsub_d(5, 1, 2, RNE).fmul_d(6, 1, 2, RNE).fdiv_d(7, 1, 3, RNE).fsqrt_d(8, 3, RNE)
                .fmadd_d(9, 1, 3, 2, RNE)     // 1.5 * 2 - 0.25
                .fmsub_d(10, 1, 3, 2, RNE)    // 1.5 * 2 + 0.25
                .fnmsub_d(11, 1, 3, 2, RNE)   // -(1.5 * 2) - 0.25
                .fnmadd_d(12, 1, 3, 2, RNE)   // -(1.5 * 2) + 0.25
                .wfi();
        run(a);
        assertEquals(1.25, fd(4));
        assertEquals(1.75, fd(5));
        assertEquals(-0.375, fd(6));
        assertEquals(0.75, fd(7));
        assertEquals(Math.sqrt(2.0), fd(8));
        assertEquals(2.75, fd(9));
        assertEquals(3.25, fd(10));
        assertEquals(-3.25, fd(11));
        assertEquals(-2.75, fd(12));
        assertEquals(NX, fflags(), "only the square root was inexact");
    }

    @Test
    void singlePrecisionArithmeticNanBoxesItsResults() {
        Asm a = fpProgram();
        loadSingle(a, 1, 1.5f);
        loadSingle(a, 2, -0.25f);
        loadSingle(a, 3, 2.0f);
        a.fadd_s(4, 1, 2).fsub_s(5, 1, 2, RNE).fmul_s(6, 1, 2, RNE).fdiv_s(7, 1, 3, RNE).fsqrt_s(8, 3, RNE)
                .fmadd_s(9, 1, 3, 2, RNE).fmsub_s(10, 1, 3, 2, RNE).fnmsub_s(11, 1, 3, 2, RNE)
                .fnmadd_s(12, 1, 3, 2, RNE)
                .wfi();
        run(a);
        assertEquals(boxed(1.25f), f(4));
        assertEquals(boxed(1.75f), f(5));
        assertEquals(boxed(-0.375f), f(6));
        assertEquals(boxed(0.75f), f(7));
        assertEquals(boxed((float) Math.sqrt(2.0)), f(8));
        assertEquals(boxed(2.75f), f(9));
        assertEquals(boxed(3.25f), f(10));
        assertEquals(boxed(-3.25f), f(11));
        assertEquals(boxed(-2.75f), f(12));
        assertEquals(NX, fflags());
    }

    @Test
    void fusedMultiplyAddRoundsOnceWhereMultiplyThenAddRoundsTwice() {
        Asm a = fpProgram();
        loadDouble(a, 1, 1 + 0x1p-27);
        loadDouble(a, 2, 1 - 0x1p-27);
        loadDouble(a, 3, -1.0);
        a.fmadd_d(4, 1, 2, 3, RNE)                     // exactly -2^-54
                .fmul_d(5, 1, 2, RNE).fadd_d(5, 5, 3, RNE); // 1 - 2^-54 rounds to 1 first: 0
        loadSingle(a, 11, 1 + 0x1p-13f);
        loadSingle(a, 12, 1 - 0x1p-13f);
        loadSingle(a, 13, -1.0f);
        a.fmadd_s(14, 11, 12, 13, RNE).fmul_s(15, 11, 12, RNE).fadd_s(15, 15, 13, RNE).wfi();
        run(a);
        assertEquals(-0x1p-54, fd(4));
        assertEquals(0.0, fd(5));
        assertEquals(boxed(-0x1p-26f), f(14));
        assertEquals(boxed(0.0f), f(15));
    }

    @Test
    void signInjection() {
        Asm a = fpProgram();
        loadDouble(a, 1, 3.0);
        loadDouble(a, 2, -1.0);
        loadSingle(a, 11, -3.0f);
        loadSingle(a, 12, 1.0f);
        a.fsgnj_d(3, 1, 2).fsgnjn_d(4, 1, 2).fsgnjx_d(5, 2, 2)
                .fsgnj_s(13, 11, 12).fsgnjn_s(14, 11, 12).fsgnjx_s(15, 11, 11)
                .fsgnjn_d(6, 2, 2)                    // fneg.d
                .fsgnjx_s(16, 11, 11)                 // fabs.s
                .wfi();
        run(a);
        assertEquals(-3.0, fd(3));
        assertEquals(3.0, fd(4));
        assertEquals(1.0, fd(5));
        assertEquals(boxed(3.0f), f(13));
        assertEquals(boxed(-3.0f), f(14));
        assertEquals(boxed(3.0f), f(15));
        assertEquals(1.0, fd(6));
        assertEquals(boxed(3.0f), f(16));
        assertEquals(0, fflags(), "sign injection never raises flags");
    }

    @Test
    void singleOperandsThatAreNotNanBoxedReadAsTheCanonicalNan() {
        Asm a = fpProgram().li(S0, DATA);
        loadDouble(a, 1, 1.0);                      // upper half not all ones
        loadSingle(a, 2, 2.0f);
        loadDoubleBits(a, 3, 0xFFFF_FFFE_4000_0000L); // almost boxed: still not
        a.fadd_s(4, 1, 2, RNE).fsgnj_s(5, 3, 2).fmax_s(6, 1, 2).fclass_s(A0, 1).fcvt_d_s(7, 1, RNE)
                .fmv_x_w(A1, 1).fsw(1, 0, S0)
                .wfi();
        run(a);
        assertEquals(CANONICAL_NAN_S, f(4));
        assertEquals(BOX | 0x7FC0_0000L, f(5), "FSGNJ.S checks the boxing too");
        assertEquals(boxed(2.0f), f(6), "a NaN operand of FMAX loses to the number");
        assertEquals(1 << 9, x(A0), "classified as a quiet NaN");
        assertEquals(CANONICAL_NAN_D, f(7));
        assertEquals(0, x(A1), "FMV.X.W is a transfer: it moves the low bits unchecked");
        assertEquals(0, machine.readRam(DATA, 4), "so is FSW");
        assertEquals(0, fflags(), "a canonical NaN is quiet");
    }

    @Test
    void movesBetweenIntegerAndFpRegistersKeepEveryBit() {
        Asm a = fpProgram().li(A0, 0x8765_4321L).fmv_w_x(1, A0).fmv_x_w(A1, 1)
                .li(A2, SNAN_D).fmv_d_x(2, A2).fmv_x_d(A3, 2)
                .li(A4, 0x1234_5678_7F80_0001L).fmv_w_x(3, A4)   // upper bits of x ignored
                .wfi();
        run(a);
        assertEquals(BOX | 0x8765_4321L, f(1));
        assertEquals(0xFFFF_FFFF_8765_4321L, x(A1), "FMV.X.W sign-extends");
        assertEquals(SNAN_D, f(2), "a signalling NaN's payload survives the move");
        assertEquals(SNAN_D, x(A3));
        assertEquals(BOX | 0x7F80_0001L, f(3));
        assertEquals(0, fflags());
    }

    @Test
    void loadsAndStoresOfBothWidths() {
        machine.writeRam(DATA, 0x4049_0FDB_4000_0000L, 8);
        Asm a = fpProgram().li(S0, DATA)
                .flw(1, 0, S0)          // 2.0f, boxed
                .flw(2, 4, S0)          // pi as a float
                .fld(3, 0, S0)
                .fsd(3, 16, S0)
                .fsw(2, 24, S0).fsw(1, 28, S0)
                .wfi();
        run(a);
        assertEquals(boxed(2.0f), f(1));
        assertEquals(BOX | 0x4049_0FDBL, f(2));
        assertEquals(0x4049_0FDB_4000_0000L, f(3));
        assertEquals(0x4049_0FDB_4000_0000L, machine.readRam(DATA + 16, 8));
        assertEquals(0x4000_0000_4049_0FDBL, machine.readRam(DATA + 24, 8));
    }

    @Test
    void compressedDoubleLoadsAndStores() {
        machine.writeRam(DATA + 248, bits(-6.5), 8);
        Asm a = fpProgram().li(S1, DATA).li(SP, DATA + 0x200)
                .c_fld(8, 248, S1)       // f8 = -6.5
                .c_fsd(8, 0, S1)
                .c_fsdsp(8, 504)
                .c_fldsp(0, 504)         // f0 is a legal target
                .wfi();
        run(a);
        assertEquals(-6.5, fd(8));
        assertEquals(bits(-6.5), machine.readRam(DATA, 8));
        assertEquals(bits(-6.5), machine.readRam(DATA + 0x200 + 504, 8));
        assertEquals(-6.5, fd(0));
    }

    @Test
    void misalignedFpLoadsAndStoresTrap() {
        runToTrap(fpProgram().li(S0, DATA + 4).fld(1, 0, S0).wfi(), TrapCause.LOAD_MISALIGNED);
        runToTrap(fpProgram().li(S0, DATA + 2).fsw(1, 0, S0).wfi(), TrapCause.STORE_MISALIGNED);
    }

    @Test
    void minAndMaxOrderSignedZerosAndPreferNumbersToNans() {
        Asm a = fpProgram();
        loadDouble(a, 1, -0.0);
        loadDouble(a, 2, 0.0);
        loadDoubleBits(a, 3, CANONICAL_NAN_D);
        loadDouble(a, 4, -7.0);
        a.fmin_d(5, 2, 1).fmax_d(6, 1, 2).fmin_d(7, 3, 4).fmax_d(8, 4, 3).fmin_d(9, 3, 3)
                .csrr(A0, FFLAGS);
        loadDoubleBits(a, 10, SNAN_D);
        a.fmax_d(11, 10, 4);
        loadSingle(a, 12, -0.0f);
        loadSingle(a, 13, 0.0f);
        loadSingleBits(a, 14, SNAN_S);
        a.fmin_s(15, 13, 12).fmax_s(16, 12, 13).fmin_s(17, 14, 14).fmax_s(18, 14, 13)
                .wfi();
        run(a);
        assertEquals(bits(-0.0), f(5));
        assertEquals(bits(0.0), f(6));
        assertEquals(-7.0, fd(7));
        assertEquals(-7.0, fd(8));
        assertEquals(CANONICAL_NAN_D, f(9));
        assertEquals(0, x(A0), "quiet NaNs raise nothing");
        assertEquals(-7.0, fd(11), "a signalling NaN also loses to the number...");
        assertEquals(NV, fflags(), "...but raises NV");
        assertEquals(boxed(-0.0f), f(15));
        assertEquals(boxed(0.0f), f(16));
        assertEquals(CANONICAL_NAN_S, f(17));
        assertEquals(boxed(0.0f), f(18));
    }

    @Test
    void feqIsQuietWhileFltAndFleSignalOnAnyNan() {
        Asm a = fpProgram();
        loadDouble(a, 1, -0.0);
        loadDouble(a, 2, 0.0);
        loadDouble(a, 3, 1.0);
        loadDoubleBits(a, 4, CANONICAL_NAN_D);
        loadDoubleBits(a, 5, SNAN_D);
        a.feq_d(A0, 1, 2).flt_d(A1, 1, 2).fle_d(A2, 1, 2).flt_d(A3, 2, 3).fle_d(A4, 3, 2)
                .feq_d(A5, 4, 4).csrr(S2, FFLAGS)          // quiet NaN: no flag
                .feq_d(A6, 5, 3).csrrw(S3, FFLAGS, ZERO)   // signalling NaN: NV
                .flt_d(A7, 4, 3).csrrw(S4, FFLAGS, ZERO)   // FLT: NV for the quiet NaN
                .fle_d(S5, 3, 4).csrr(S6, FFLAGS);
        loadSingle(a, 11, 2.5f);
        loadSingle(a, 12, 2.5f);
        a.feq_s(S7, 11, 12).fle_s(S8, 11, 12).flt_s(S9, 11, 12).wfi();
        run(a);
        assertEquals(1, x(A0), "-0 == +0");
        assertEquals(0, x(A1));
        assertEquals(1, x(A2));
        assertEquals(1, x(A3));
        assertEquals(0, x(A4));
        assertEquals(0, x(A5));
        assertEquals(0, x(S2));
        assertEquals(0, x(A6));
        assertEquals(NV, x(S3));
        assertEquals(0, x(A7));
        assertEquals(NV, x(S4));
        assertEquals(0, x(S5));
        assertEquals(NV, x(S6));
        assertEquals(1, x(S7));
        assertEquals(1, x(S8));
        assertEquals(0, x(S9));
    }

    @Test
    void fclassNamesAllTenClasses() {
        long[] doubles = {bits(Double.NEGATIVE_INFINITY), bits(-1.0), bits(-Double.MIN_VALUE), bits(-0.0), bits(0.0),
            bits(Double.MIN_VALUE), bits(1.0), bits(Double.POSITIVE_INFINITY), SNAN_D, CANONICAL_NAN_D};
        int[] singles = {0xFF80_0000, 0xBF80_0000, 0x8000_0001, 0x8000_0000, 0, 0x0000_0001, 0x3F80_0000,
            0x7F80_0000, SNAN_S, 0x7FC0_0000};
        Asm a = fpProgram().li(S0, DATA);
        for (int i = 0; i < 10; i++) {
            loadDoubleBits(a, 1, doubles[i]);
            loadSingleBits(a, 2, singles[i]);
            a.fclass_d(A0, 1).sd(A0, 16 * i, S0).fclass_s(A0, 2).sd(A0, 16 * i + 8, S0);
        }
        run(a.wfi());
        for (int i = 0; i < 10; i++) {
            assertEquals(1L << i, machine.readRam(DATA + 16 * i, 8), "double class " + i);
            assertEquals(1L << i, machine.readRam(DATA + 16 * i + 8, 8), "single class " + i);
        }
        assertEquals(0, fflags(), "FCLASS raises nothing, not even for a signalling NaN");
    }

    @Test
    void conversionsThroughTheHart() {
        Asm a = fpProgram();
        loadDouble(a, 1, -2.5);
        loadDouble(a, 2, 3e9);
        loadSingle(a, 3, 1e10f);
        a.fcvt_w_d(A0, 1, RTZ).fcvt_w_d(A1, 1, RDN).fcvt_wu_d(A2, 2, RTZ).fcvt_l_s(A3, 3, RTZ)
                .li(A4, -7).fcvt_s_w(4, A4, RNE).fcvt_d_l(5, A4, RNE)
                .li(A5, -1L).fcvt_d_lu(6, A5, RNE).fcvt_s_wu(7, A5, RTZ)
                .fcvt_s_d(8, 1, RNE).fcvt_d_s(9, 3, RNE)
                .fcvt_lu_d(A6, 1, RTZ).csrr(A7, FFLAGS)
                .wfi();
        run(a);
        assertEquals(-2, x(A0));
        assertEquals(-3, x(A1));
        assertEquals(0xFFFF_FFFF_B2D0_5E00L, x(A2), "FCVT.WU sign-extends its 32-bit result");
        assertEquals(10_000_000_000L, x(A3));
        assertEquals(boxed(-7.0f), f(4));
        assertEquals(-7.0, fd(5));
        assertEquals(0x1p64, fd(6), "2^64 - 1 rounds up to 2^64");
        assertEquals(boxed(0x1.fffffep31f), f(7), "2^32 - 1 truncated to 24 bits");
        assertEquals(boxed(-2.5f), f(8));
        assertEquals(1e10f, fd(9));
        assertEquals(0, x(A6), "a negative value saturates to 0 for an unsigned conversion");
        assertEquals(NV | NX, x(A7));
    }

    @Test
    void everyConversionReadsTheRightWidthAndSignedness() {
        Asm a = fpProgram().li(S0, DATA);
        loadSingle(a, 1, -1.5f);
        loadSingle(a, 2, 3e9f);
        loadSingle(a, 3, 0x1p63f);
        loadDouble(a, 4, -0x1p40 - 0.5);
        a.fcvt_w_s(A0, 1, RTZ).sd(A0, 0, S0)
                .fcvt_wu_s(A0, 2, RTZ).sd(A0, 8, S0)
                .fcvt_lu_s(A0, 3, RTZ).sd(A0, 16, S0)
                .fcvt_l_s(A0, 3, RTZ).sd(A0, 24, S0)         // 2^63 does not fit: saturates
                .fcvt_l_d(A0, 4, RNE).sd(A0, 32, S0)         // a tie: to even
                .li(A1, 0x1_0000_0005L)
                .fcvt_d_w(5, A1, RNE).fcvt_d_l(6, A1, RNE).fcvt_d_wu(7, A1, RNE)
                .li(A2, -((1L << 40) + 1)).fcvt_s_l(8, A2, RNE).fcvt_s_lu(9, A2, RTZ)
                .li(A3, 0xFFFF_FFFFL).fcvt_d_wu(10, A3, RNE).fcvt_d_w(11, A3, RNE)
                .wfi();
        run(a);
        assertEquals(-1L, machine.readRam(DATA, 8));
        assertEquals(0xFFFF_FFFF_B2D0_5E00L, machine.readRam(DATA + 8, 8));
        assertEquals(Long.MIN_VALUE, machine.readRam(DATA + 16, 8), "2^63 as unsigned");
        assertEquals(Long.MAX_VALUE, machine.readRam(DATA + 24, 8));
        assertEquals(-(1L << 40), machine.readRam(DATA + 32, 8));
        assertEquals(5.0, fd(5), "FCVT.D.W reads the low 32 bits");
        assertEquals(4294967301.0, fd(6));
        assertEquals(5.0, fd(7));
        assertEquals(boxed(-0x1p40f), f(8));
        assertEquals(boxed(0x1.fffffcp63f), f(9), "2^64 - 2^40 - 1 truncated to 2^64 - 2^41");
        assertEquals(4294967295.0, fd(10));
        assertEquals(-1.0, fd(11));
        assertEquals(NV | NX, fflags());
    }

    @Test
    void dynamicRoundingUsesFrmAndStaticRoundingIgnoresIt() {
        Asm a = fpProgram();
        loadDouble(a, 1, 1.0);
        loadDouble(a, 2, 0x1p-60);
        a.csrwi(FRM, RUP).fadd_d(3, 1, 2)            // DYN = RUP: one ulp up
                .fadd_d(4, 1, 2, RNE)                 // static: nearest
                .csrwi(FRM, RDN).fsub_d(5, 1, 2, DYN) // DYN = RDN: one ulp below 1
                .csrr(A0, FCSR).csrr(A1, FRM)
                .wfi();
        run(a);
        assertEquals(Math.nextUp(1.0), fd(3));
        assertEquals(1.0, fd(4));
        assertEquals(Math.nextDown(1.0), fd(5));
        assertEquals(RDN << 5 | NX, x(A0));
        assertEquals(RDN, x(A1));
    }

    @Test
    void reservedRoundingModesAreIllegal() {
        runToTrap(fpProgram().fadd_d(1, 2, 3, 5).wfi(), TrapCause.ILLEGAL_INSTRUCTION);
        runToTrap(fpProgram().fmadd_s(1, 2, 3, 4, 6).wfi(), TrapCause.ILLEGAL_INSTRUCTION);
        runToTrap(fpProgram().fcvt_d_s(1, 2, 5).wfi(), TrapCause.ILLEGAL_INSTRUCTION); // even if exact
        Asm a = fpProgram().csrwi(FRM, 5).fsgnj_d(1, 2, 2).label("dyn").fadd_d(1, 2, 3, DYN).wfi();
        runToTrap(a, TrapCause.ILLEGAL_INSTRUCTION);
        assertEquals(a.address("dyn"), reg("mepc"), "sign injection has no rm; DYN with frm = 5 traps");
        runToTrap(fpProgram().csrwi(FRM, 7).fsqrt_s(1, 2, DYN).wfi(), TrapCause.ILLEGAL_INSTRUCTION);
        run(fpProgram().csrwi(FRM, 7).fsqrt_s(1, 2, RTZ).wfi());
    }

    @Test
    void fcsrHoldsFlagsAndRoundingModeAndFlagsAccrueUntilCleared() {
        Asm a = fpProgram();
        loadDouble(a, 1, 1.0);
        loadDouble(a, 2, 0.0);
        loadDouble(a, 3, 3.0);
        a.fdiv_d(4, 1, 2, RNE)              // DZ
                .fdiv_d(5, 1, 3, RNE)        // NX
                .csrrw(A0, FFLAGS, ZERO)     // read and clear
                .csrr(A1, FFLAGS)
                .li(T1, 0xFFF).csrw(FCSR, T1).csrr(A2, FCSR).csrr(A3, FFLAGS).csrr(A4, FRM)
                .csrwi(FFLAGS, 0).csrr(A5, FCSR)
                .wfi();
        run(a);
        assertEquals(DZ | NX, x(A0));
        assertEquals(0, x(A1));
        assertEquals(0xFF, x(A2), "fcsr keeps bits 0..7 only");
        assertEquals(0x1F, x(A3));
        assertEquals(7, x(A4));
        assertEquals(7 << 5, x(A5));
        assertEquals(Double.POSITIVE_INFINITY, fd(4));
    }

    @Test
    void fpInstructionsAndCsrsAreIllegalWhileFsIsOff() {
        Asm a = program().label("fadd").fadd_d(1, 2, 3, RNE).wfi();
        runToTrap(a, TrapCause.ILLEGAL_INSTRUCTION);
        assertEquals(Integer.toUnsignedLong(0x023100D3 | RNE << 12), reg("mtval"), "the instruction bits");
        assertEquals(a.address("fadd"), reg("mepc"));
        runToTrap(program().li(S0, DATA).flw(1, 0, S0).wfi(), TrapCause.ILLEGAL_INSTRUCTION);
        runToTrap(program().li(S0, DATA).c_fld(8, 0, S0).wfi(), TrapCause.ILLEGAL_INSTRUCTION);
        runToTrap(program().fmv_x_d(A0, 1).wfi(), TrapCause.ILLEGAL_INSTRUCTION);
        runToTrap(program().csrr(A0, FFLAGS).wfi(), TrapCause.ILLEGAL_INSTRUCTION);
        runToTrap(program().csrw(FCSR, ZERO).wfi(), TrapCause.ILLEGAL_INSTRUCTION);
        // switching FS off again disables the unit
        runToTrap(fpProgram().li(T1, MSTATUS_FS).csrc(MSTATUS, T1).csrr(A0, FRM).wfi(),
                TrapCause.ILLEGAL_INSTRUCTION);
    }

    @Test
    void writingFpStateMakesFsDirtyAndSetsSd() {
        Asm a = fpProgram().li(S0, DATA)
                .fsd(1, 0, S0).fmv_x_d(A0, 1).feq_d(A1, 1, 1).csrr(A2, FRM)   // reads only
                .csrr(S2, MSTATUS)
                .fadd_d(2, 1, 1)                                                 // writes f2
                .csrr(S3, MSTATUS).csrr(S4, SSTATUS)
                .wfi();
        run(a);
        assertEquals(FS_INITIAL, x(S2) & (MSTATUS_FS | MSTATUS_SD), "reading FP state keeps FS Initial");
        assertEquals(MSTATUS_FS | MSTATUS_SD, x(S3) & (MSTATUS_FS | MSTATUS_SD));
        assertEquals(MSTATUS_FS | MSTATUS_SD, x(S4) & (MSTATUS_FS | MSTATUS_SD), "sstatus shows FS and SD");
    }

    @Test
    void aNewFlagOrACsrWriteDirtiesTheStateButAnAlreadySetFlagDoesNot() {
        long clean = 2L << 13;
        Asm a = program().li(T0, clean).csrs(MSTATUS, T0);
        loadDoubleBits(a, 1, SNAN_D);                  // dirty
        a.li(T0, MSTATUS_FS).csrc(MSTATUS, T0).li(T0, clean).csrs(MSTATUS, T0)   // back to Clean
                .fclass_d(A0, 1).csrr(S2, MSTATUS)     // no state written
                .feq_d(A1, 1, 1).csrr(S3, MSTATUS)     // raises NV: fflags changed
                .li(T0, MSTATUS_FS).csrc(MSTATUS, T0).li(T0, clean).csrs(MSTATUS, T0)
                .feq_d(A1, 1, 1).csrr(S4, MSTATUS)     // NV again: fflags unchanged
                .csrwi(FRM, 0).csrr(S5, MSTATUS)       // CSR write
                .wfi();
        run(a);
        assertEquals(clean, x(S2) & (MSTATUS_FS | MSTATUS_SD));
        assertEquals(MSTATUS_FS | MSTATUS_SD, x(S3) & (MSTATUS_FS | MSTATUS_SD));
        assertEquals(clean, x(S4) & (MSTATUS_FS | MSTATUS_SD));
        assertEquals(MSTATUS_FS | MSTATUS_SD, x(S5) & (MSTATUS_FS | MSTATUS_SD));
    }

    @Test
    void fpCsrsAreUserLevel() {
        Asm a = fpProgram();
        dropTo(a, PRIV_U).csrwi(FRM, RTZ).csrr(A0, FCSR).ecall();
        runToTrap(a, TrapCause.ECALL_FROM_U);
        assertEquals(RTZ << 5, x(A0));
    }

    @Test
    void misaReportsFAndD() {
        run(program().csrr(A0, MISA).wfi());
        assertEquals(MISA_F | MISA_D, x(A0) & (MISA_F | MISA_D));
    }
}
