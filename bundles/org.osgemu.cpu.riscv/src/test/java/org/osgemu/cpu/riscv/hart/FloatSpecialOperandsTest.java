package org.osgemu.cpu.riscv.hart;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

/**
 * Every arithmetic operation on every combination of the special operands (signed zeros and
 * infinities, one, quiet and signalling NaNs) in every rounding mode, single against double.
 * On these operands IEEE 754 gives both formats the same result and the same flags, so a rule
 * coded differently in {@link Binary32} and {@link Binary64} (which share no code for these
 * cases) shows up as a difference. The double side is itself checked case by case in
 * {@link FloatRoundingTest}.
 */
class FloatSpecialOperandsTest {

    private static final float[] SINGLES = {0f, -0f, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, 1f, -1f,
        Float.NaN, Float.intBitsToFloat(0x7F80_0001)};
    private static final long[] DOUBLES = {bits(0.0), bits(-0.0), bits(Double.POSITIVE_INFINITY),
        bits(Double.NEGATIVE_INFINITY), bits(1.0), bits(-1.0), Binary64.CANONICAL_NAN, 0x7FF0_0000_0000_0001L};
    private static final int CANONICAL_NAN_S = 0x7FC0_0000;

    private final FloatRounder rounder = new FloatRounder();
    private final Binary64 dbl = new Binary64(rounder, new ExactArithmetic(rounder));
    private final Binary32 sgl = new Binary32(rounder);

    private static long bits(double v) {
        return Double.doubleToRawLongBits(v);
    }

    /** An operation in both formats on operand indexes into {@link #SINGLES} / {@link #DOUBLES}. */
    private interface Op {
        int single(int[] operands, int rm);

        long dbl(int[] operands, int rm);
    }

    private int s(int i) {
        return Float.floatToRawIntBits(SINGLES[i]);
    }

    @Test
    void singleAndDoubleAgreeOnEverySpecialOperand() {
        List<String> differences = new ArrayList<>();
        compare("fadd", 2, new Op() {
            public int single(int[] o, int rm) { return sgl.add(s(o[0]), s(o[1]), rm); }
            public long dbl(int[] o, int rm) { return dbl.add(DOUBLES[o[0]], DOUBLES[o[1]], rm); }
        }, differences);
        compare("fsub", 2, new Op() {
            public int single(int[] o, int rm) { return sgl.subtract(s(o[0]), s(o[1]), rm); }
            public long dbl(int[] o, int rm) { return dbl.subtract(DOUBLES[o[0]], DOUBLES[o[1]], rm); }
        }, differences);
        compare("fmul", 2, new Op() {
            public int single(int[] o, int rm) { return sgl.multiply(s(o[0]), s(o[1]), rm); }
            public long dbl(int[] o, int rm) { return dbl.multiply(DOUBLES[o[0]], DOUBLES[o[1]], rm); }
        }, differences);
        compare("fdiv", 2, new Op() {
            public int single(int[] o, int rm) { return sgl.divide(s(o[0]), s(o[1]), rm); }
            public long dbl(int[] o, int rm) { return dbl.divide(DOUBLES[o[0]], DOUBLES[o[1]], rm); }
        }, differences);
        compare("fsqrt", 1, new Op() {
            public int single(int[] o, int rm) { return sgl.sqrt(s(o[0]), rm); }
            public long dbl(int[] o, int rm) { return dbl.sqrt(DOUBLES[o[0]], rm); }
        }, differences);
        compare("fmadd", 3, new Op() {
            public int single(int[] o, int rm) { return sgl.fusedMultiplyAdd(s(o[0]), s(o[1]), s(o[2]), rm); }
            public long dbl(int[] o, int rm) {
                return dbl.fusedMultiplyAdd(DOUBLES[o[0]], DOUBLES[o[1]], DOUBLES[o[2]], rm);
            }
        }, differences);
        assertEquals(List.of(), differences);
    }

    @Test
    void anInfiniteDividendOverZeroRaisesNoFlagInEitherFormat() {
        for (int rm = 0; rm < 5; rm++) {
            rounder.flags = 0;
            assertEquals(Float.floatToRawIntBits(Float.NEGATIVE_INFINITY),
                sgl.divide(s(2), Float.floatToRawIntBits(-0f), rm));
            assertEquals(0, rounder.flags, "single, rm " + rm);
            assertEquals(bits(Double.NEGATIVE_INFINITY), dbl.divide(DOUBLES[3], DOUBLES[0], rm));
            assertEquals(0, rounder.flags, "double, rm " + rm);
        }
    }

    private void compare(String name, int arity, Op op, List<String> differences) {
        int n = SINGLES.length;
        int combinations = (int) Math.pow(n, arity);
        for (int c = 0; c < combinations; c++) {
            int[] operands = new int[arity];
            for (int k = 0, rest = c; k < arity; k++, rest /= n) {
                operands[k] = rest % n;
            }
            for (int rm = 0; rm < 5; rm++) {
                rounder.flags = 0;
                int single = op.single(operands, rm);
                int singleFlags = rounder.flags;
                rounder.flags = 0;
                long dbl = op.dbl(operands, rm);
                int doubleFlags = rounder.flags;
                String got = describe(single);
                String want = describe(dbl);
                if (!got.equals(want) || singleFlags != doubleFlags) {
                    differences.add(name + java.util.Arrays.toString(operands) + " rm " + rm + ": single " + got
                        + " flags " + singleFlags + ", double " + want + " flags " + doubleFlags);
                }
            }
        }
    }

    /** A single result as the double it equals, its NaNs required to be the canonical one. */
    private static String describe(int single) {
        if (Float.isNaN(Float.intBitsToFloat(single))) {
            return single == CANONICAL_NAN_S ? "canonical NaN" : "NaN " + Integer.toHexString(single);
        }
        return describe(bits((double) Float.intBitsToFloat(single)));
    }

    private static String describe(long dbl) {
        if (Double.isNaN(Double.longBitsToDouble(dbl))) {
            return dbl == Binary64.CANONICAL_NAN ? "canonical NaN" : "NaN " + Long.toHexString(dbl);
        }
        return Long.toHexString(dbl);
    }
}
