package org.osgemu.cpu.riscv.hart;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.osgemu.cpu.riscv.hart.FloatRounder.*;

import java.util.function.IntToLongFunction;

import org.junit.jupiter.api.Test;

/**
 * The arithmetic and conversions on cases chosen to tell the rounding modes apart: halfway
 * cases, negative values, overflow to infinity or to the largest finite number, underflow to
 * subnormals or zero with tininess detected after rounding, and every exception flag with the
 * NaN, infinity and signed-zero rules.
 */
class FloatRoundingTest {

    private static final int[] MODES = {RNE, RTZ, RDN, RUP, RMM};
    private static final long SNAN_D = 0x7FF0_0000_0000_0001L;
    private static final long QNAN_D = 0x7FF8_0000_0000_0000L;
    private static final int SNAN_S = 0x7F80_0001;
    private static final int CANONICAL_NAN_S = 0x7FC0_0000;

    private final FloatRounder rounder = new FloatRounder();
    private final Binary64 dbl = new Binary64(rounder, new ExactArithmetic(rounder));
    private final Binary32 sgl = new Binary32(rounder);
    private final FloatConversions cvt = new FloatConversions(rounder);

    private static long b(double v) {
        return Double.doubleToRawLongBits(v);
    }

    private static int b(float v) {
        return Float.floatToRawIntBits(v);
    }

    private static String name(int rm) {
        return new String[] {"RNE", "RTZ", "RDN", "RUP", "RMM"}[rm];
    }

    /** Runs {@code op} in each mode and checks the result against {@code expected} (RNE, RTZ, RDN, RUP, RMM order). */
    private void perMode(IntToLongFunction op, int flags, long... expected) {
        for (int rm : MODES) {
            rounder.flags = 0;
            long result = op.applyAsLong(rm);
            assertEquals(Long.toHexString(expected[rm]), Long.toHexString(result), name(rm));
            assertEquals(flags, rounder.flags, "flags in " + name(rm));
        }
    }

    private void perModeDouble(IntToLongFunction op, int flags, double... expected) {
        long[] bits = new long[5];
        for (int i = 0; i < 5; i++) {
            bits[i] = b(expected[i]);
        }
        perMode(op, flags, bits);
    }

    /** Like {@link #perModeDouble}, comparing the low 32 bits of the results. */
    private void perModeSingle(IntToLongFunction op, int flags, float... expected) {
        long[] bits = new long[5];
        for (int i = 0; i < 5; i++) {
            bits[i] = b(expected[i]) & 0xFFFF_FFFFL;
        }
        perMode(rm -> op.applyAsLong(rm) & 0xFFFF_FFFFL, flags, bits);
    }

    private void once(long expected, int flags, IntToLongFunction op, int rm) {
        rounder.flags = 0;
        assertEquals(Long.toHexString(expected), Long.toHexString(op.applyAsLong(rm)), name(rm));
        assertEquals(flags, rounder.flags, "flags in " + name(rm));
    }

    // ---- halfway cases ----------------------------------------------------------------------

    @Test
    void doubleHalfwayCasesInEveryMode() {
        double up = Math.nextUp(1.0);
        perModeDouble(rm -> dbl.add(b(1.0), b(0x1p-53), rm), NX, 1.0, 1.0, 1.0, up, up);
        perModeDouble(rm -> dbl.add(b(-1.0), b(-0x1p-53), rm), NX, -1.0, -1.0, -up, -1.0, -up);
        // a tie whose lower neighbour is odd: nearest-even goes up
        double up2 = Math.nextUp(up);
        perModeDouble(rm -> dbl.add(b(up), b(0x1p-53), rm), NX, up2, up, up, up2, up2);
        // just above half: every nearest mode goes up
        perModeDouble(rm -> dbl.add(b(1.0), b(0x1p-53 + 0x1p-60), rm), NX, up, 1.0, 1.0, up, up);
        // just below half (subtraction): nearest goes back to 1
        perModeDouble(rm -> dbl.subtract(b(up), b(0x1p-53 + 0x1p-70), rm), NX,
                1.0, 1.0, 1.0, up, 1.0);
    }

    @Test
    void singleHalfwayCasesInEveryMode() {
        float up = Math.nextUp(1.0f);
        perModeSingle(rm -> sgl.add(b(1.0f), b(0x1p-24f), rm), NX, 1.0f, 1.0f, 1.0f, up, up);
        perModeSingle(rm -> sgl.add(b(-1.0f), b(-0x1p-24f), rm), NX, -1.0f, -1.0f, -up, -1.0f, -up);
        float up2 = Math.nextUp(up);
        perModeSingle(rm -> sgl.add(b(up), b(0x1p-24f), rm), NX, up2, up, up, up2, up2);
        // the multiply is exact in binary64; only the final rounding decides: 3 * (1 + 2^-23)
        float product = 3.0f * (1 + 0x1p-23f); // 3 + 3 * 2^-23 lies between 3 + 2^-22 and 3 + 2^-21
        perModeSingle(rm -> sgl.multiply(b(3.0f), b(1 + 0x1p-23f), rm), NX,
                product, 3 + 0x1p-22f, 3 + 0x1p-22f, 3 + 0x1p-21f, 3 + 0x1p-21f);
    }

    // ---- overflow ---------------------------------------------------------------------------

    @Test
    void overflowGivesInfinityOrTheLargestNumberDependingOnModeAndSign() {
        double max = Double.MAX_VALUE;
        double inf = Double.POSITIVE_INFINITY;
        perModeDouble(rm -> dbl.add(b(max), b(max), rm), OF | NX, inf, max, max, inf, inf);
        perModeDouble(rm -> dbl.multiply(b(-max), b(2.0), rm), OF | NX, -inf, -max, -inf, -max, -inf);
        float fmax = Float.MAX_VALUE;
        float finf = Float.POSITIVE_INFINITY;
        perModeSingle(rm -> sgl.multiply(b(fmax), b(fmax), rm), OF | NX, finf, fmax, fmax, finf, finf);
        perModeSingle(rm -> sgl.add(b(-fmax), b(-fmax), rm), OF | NX, -finf, -fmax, -finf, -fmax, -finf);
    }

    @Test
    void overflowIsDecidedAfterRoundingWithAnUnboundedExponent() {
        IntToLongFunction halfUlpAboveMax = rm -> dbl.add(b(Double.MAX_VALUE), b(0x1p970), rm);
        // the tie goes away from the odd largest number, beyond it: overflow
        once(b(Double.POSITIVE_INFINITY), OF | NX, halfUlpAboveMax, RNE);
        once(b(Double.POSITIVE_INFINITY), OF | NX, halfUlpAboveMax, RMM);
        once(b(Double.POSITIVE_INFINITY), OF | NX, halfUlpAboveMax, RUP);
        // towards zero the rounded value is the largest number itself: only inexact
        once(b(Double.MAX_VALUE), NX, halfUlpAboveMax, RTZ);
        once(b(Double.MAX_VALUE), NX, halfUlpAboveMax, RDN);
        IntToLongFunction quarterUlpAboveMax = rm -> dbl.add(b(Double.MAX_VALUE), b(0x1p969), rm);
        once(b(Double.MAX_VALUE), NX, quarterUlpAboveMax, RNE);
        once(b(Double.POSITIVE_INFINITY), OF | NX, quarterUlpAboveMax, RUP);
    }

    // ---- underflow --------------------------------------------------------------------------

    @Test
    void tinyExactResultsDoNotRaiseUnderflow() {
        once(b(0x1p-1023), 0, rm -> dbl.multiply(b(Double.MIN_NORMAL), b(0.5), rm), RNE);
        once(b(0x1p-127f), 0, rm -> sgl.multiply(b(Float.MIN_NORMAL), b(0.5f), rm), RUP);
        once(b(Double.MIN_VALUE), 0, rm -> dbl.subtract(b(Double.MIN_NORMAL), b(0x1p-1022 - 0x1p-1074), rm), RNE);
    }

    @Test
    void halfTheSmallestSubnormalRoundsToZeroOrToTheSmallestSubnormal() {
        double min = Double.MIN_VALUE;
        perModeDouble(rm -> dbl.multiply(b(min), b(0.5), rm), UF | NX, 0.0, 0.0, 0.0, min, min);
        perModeDouble(rm -> dbl.multiply(b(-min), b(0.5), rm), UF | NX, -0.0, -0.0, -min, -0.0, -min);
        float fmin = Float.MIN_VALUE;
        perModeSingle(rm -> sgl.multiply(b(fmin), b(0.25f), rm), UF | NX, 0.0f, 0.0f, 0.0f, fmin, 0.0f);
        perModeSingle(rm -> sgl.divide(b(-fmin), b(2.0f), rm), UF | NX, -0.0f, -0.0f, -fmin, -0.0f, -fmin);
    }

    @Test
    void tininessIsDetectedAfterRounding() {
        // (1 + 2^-52) * (2^-1022 - 2^-1074) = 2^-1022 (1 - 2^-104): rounded to 53 bits with an
        // unbounded exponent it is 2^-1022, so it is not tiny in the nearest modes: only inexact.
        IntToLongFunction d = rm -> dbl.multiply(b(1 + 0x1p-52), b(0x1p-1022 - 0x1p-1074), rm);
        once(b(Double.MIN_NORMAL), NX, d, RNE);
        once(b(Double.MIN_NORMAL), NX, d, RUP);
        // towards zero the rounded value stays below 2^-1022: tiny and inexact
        once(b(0x1p-1022 - 0x1p-1074), UF | NX, d, RTZ);
        // (1 - 2^-53) * 2^-1022 is tiny even after rounding to 53 bits, though the subnormal
        // rounding carries up to the smallest normal number
        once(b(Double.MIN_NORMAL), UF | NX, rm -> dbl.multiply(b(1 - 0x1p-53), b(Double.MIN_NORMAL), rm), RNE);

        IntToLongFunction s = rm -> sgl.multiply(b(1 + 0x1p-23f), b(0x1p-126f - 0x1p-149f), rm);
        once(b(Float.MIN_NORMAL) & 0xFFFF_FFFFL, NX, s, RNE);
        once(b(0x1p-126f - 0x1p-149f) & 0xFFFF_FFFFL, UF | NX, s, RDN);
    }

    @Test
    void fusedMultiplyAddRoundsASubnormalResultOnce() {
        // 2^-1000 * 2^-75 + 2^-1074 = 1.5 * 2^-1074, a tie at the subnormal quantum: nearest-even
        // gives 2^-1073. Rounding the product first would give 0 (a tie too), then 2^-1074.
        IntToLongFunction fma = rm -> dbl.fusedMultiplyAdd(b(0x1p-1000), b(0x1p-75), b(Double.MIN_VALUE), rm);
        once(b(0x1p-1073), UF | NX, fma, RNE);
        once(b(Double.MIN_VALUE), UF | NX, fma, RTZ);
        once(b(0x1p-1073), UF | NX, fma, RMM);
    }

    // ---- the other flags and the special values ---------------------------------------------

    @Test
    void divisionByZeroAndInvalidOperations() {
        once(b(Double.POSITIVE_INFINITY), DZ, rm -> dbl.divide(b(1.0), b(0.0), rm), RNE);
        once(b(Double.NEGATIVE_INFINITY), DZ, rm -> dbl.divide(b(1.0), b(-0.0), rm), RTZ);
        once(QNAN_D, NV, rm -> dbl.divide(b(0.0), b(-0.0), rm), RNE);
        once(QNAN_D, NV, rm -> dbl.divide(b(Double.NEGATIVE_INFINITY), b(Double.POSITIVE_INFINITY), rm), RNE);
        once(b(-0.0), 0, rm -> dbl.divide(b(1.0), b(Double.NEGATIVE_INFINITY), rm), RNE);
        once(QNAN_D, NV, rm -> dbl.add(b(Double.POSITIVE_INFINITY), b(Double.NEGATIVE_INFINITY), rm), RNE);
        once(QNAN_D, NV, rm -> dbl.multiply(b(0.0), b(Double.NEGATIVE_INFINITY), rm), RNE);
        once(QNAN_D, NV, rm -> dbl.sqrt(b(-1e-300), rm), RNE);
        once(QNAN_D, NV, rm -> dbl.sqrt(b(Double.NEGATIVE_INFINITY), rm), RNE);
        once(b(-0.0), 0, rm -> dbl.sqrt(b(-0.0), rm), RNE);
        once(b(Double.POSITIVE_INFINITY), 0, rm -> dbl.sqrt(b(Double.POSITIVE_INFINITY), rm), RNE);
        once(b(Float.POSITIVE_INFINITY), DZ, rm -> sgl.divide(b(3.0f), b(0.0f), rm), RNE);
        once(CANONICAL_NAN_S, NV, rm -> sgl.divide(b(0.0f), b(0.0f), rm), RNE);
        once(b(Float.POSITIVE_INFINITY), 0, rm -> sgl.divide(b(Float.POSITIVE_INFINITY), b(0.0f), rm), RNE);
        once(b(Float.POSITIVE_INFINITY), 0, rm -> sgl.divide(b(Float.NEGATIVE_INFINITY), b(-0.0f), rm), RDN);
        once(b(Double.NEGATIVE_INFINITY), 0, rm -> dbl.divide(b(Double.POSITIVE_INFINITY), b(-0.0), rm), RUP);
        once(CANONICAL_NAN_S, NV, rm -> sgl.sqrt(b(-2.0f), rm), RNE);
        once(CANONICAL_NAN_S, NV, rm -> sgl.subtract(b(Float.POSITIVE_INFINITY), b(Float.POSITIVE_INFINITY), rm), RNE);
    }

    @Test
    void nanOperandsGiveTheCanonicalNanAndOnlySignallingOnesRaiseInvalid() {
        long negativeQuietWithPayload = 0xFFF8_0000_0000_1234L;
        once(QNAN_D, 0, rm -> dbl.add(b(1.0), negativeQuietWithPayload, rm), RNE);
        once(QNAN_D, NV, rm -> dbl.multiply(SNAN_D, b(2.0), rm), RNE);
        once(QNAN_D, NV, rm -> dbl.fusedMultiplyAdd(b(1.0), b(2.0), SNAN_D, rm), RNE);
        once(QNAN_D, 0, rm -> dbl.sqrt(negativeQuietWithPayload, rm), RNE);
        once(CANONICAL_NAN_S, NV, rm -> sgl.add(SNAN_S, b(1.0f), rm), RNE);
        once(CANONICAL_NAN_S, 0, rm -> sgl.multiply(0xFFC0_0001, b(1.0f), rm), RUP);
    }

    @Test
    void zeroTimesInfinityInAFusedMultiplyAddIsInvalidEvenWithAQuietNanAddend() {
        once(QNAN_D, NV, rm -> dbl.fusedMultiplyAdd(b(0.0), b(Double.POSITIVE_INFINITY), QNAN_D, rm), RNE);
        once(CANONICAL_NAN_S, NV,
                rm -> sgl.fusedMultiplyAdd(b(Float.NEGATIVE_INFINITY), b(-0.0f), CANONICAL_NAN_S, rm), RNE);
        once(QNAN_D, NV, rm -> dbl.fusedMultiplyAdd(b(Double.POSITIVE_INFINITY), b(1.0),
                b(Double.NEGATIVE_INFINITY), rm), RNE);
        once(b(Double.NEGATIVE_INFINITY), 0, rm -> dbl.fusedMultiplyAdd(b(Double.POSITIVE_INFINITY), b(-1.0),
                b(Double.NEGATIVE_INFINITY), rm), RNE);
    }

    @Test
    void exactZeroSumsArePositiveExceptWhenRoundingDown() {
        perModeDouble(rm -> dbl.add(b(1.5), b(-1.5), rm), 0, 0.0, 0.0, -0.0, 0.0, 0.0);
        perModeDouble(rm -> dbl.add(b(-0.0), b(-0.0), rm), 0, -0.0, -0.0, -0.0, -0.0, -0.0);
        perModeDouble(rm -> dbl.add(b(0.0), b(-0.0), rm), 0, 0.0, 0.0, -0.0, 0.0, 0.0);
        perModeDouble(rm -> dbl.fusedMultiplyAdd(b(-1.0), b(3.0), b(3.0), rm), 0, 0.0, 0.0, -0.0, 0.0, 0.0);
        perModeDouble(rm -> dbl.fusedMultiplyAdd(b(-0.0), b(3.0), b(-0.0), rm), 0, -0.0, -0.0, -0.0, -0.0, -0.0);
        perModeDouble(rm -> dbl.fusedMultiplyAdd(b(-0.0), b(3.0), b(0.0), rm), 0, 0.0, 0.0, -0.0, 0.0, 0.0);
        perModeSingle(rm -> sgl.subtract(b(2.0f), b(2.0f), rm), 0, 0.0f, 0.0f, -0.0f, 0.0f, 0.0f);
        perModeSingle(rm -> sgl.fusedMultiplyAdd(b(2.0f), b(2.0f), b(-4.0f), rm), 0, 0.0f, 0.0f, -0.0f, 0.0f, 0.0f);
    }

    @Test
    void squareRootInEveryMode() {
        double r = Math.sqrt(2.0); // above the true root
        double below = Math.nextDown(r);
        perModeDouble(rm -> dbl.sqrt(b(2.0), rm), NX, r, below, below, r, r);
        double s3 = Math.sqrt(3.0); // below the true root
        perModeDouble(rm -> dbl.sqrt(b(3.0), rm), NX, s3, s3, s3, Math.nextUp(s3), s3);
        perModeDouble(rm -> dbl.sqrt(b(0x1p-1074), rm), 0, 0x1p-537, 0x1p-537, 0x1p-537, 0x1p-537, 0x1p-537);
        float f = (float) Math.sqrt(2.0); // 1.4142135f is below the root
        perModeSingle(rm -> sgl.sqrt(b(2.0f), rm), NX, f, f, f, Math.nextUp(f), f);
    }

    @Test
    void fusedMultiplyAddInDirectedModes() {
        double up = Math.nextUp(1.0);
        perModeDouble(rm -> dbl.fusedMultiplyAdd(b(1.0), b(1.0), b(0x1p-60), rm), NX, 1.0, 1.0, 1.0, up, 1.0);
        // (1 + 2^-52)^2 - 1 = 2^-51 + 2^-104: a tie at 53 bits
        perModeDouble(rm -> dbl.fusedMultiplyAdd(b(up), b(up), b(-1.0), rm), NX,
                0x1p-51, 0x1p-51, 0x1p-51, Math.nextUp(0x1p-51), Math.nextUp(0x1p-51));
        // exact: the 2^-104 tail survives as the result's low bits
        perModeDouble(rm -> dbl.fusedMultiplyAdd(b(up), b(up), b(-1 - 0x1p-51), rm), 0,
                0x1p-104, 0x1p-104, 0x1p-104, 0x1p-104, 0x1p-104);
        // 3 * (1 + 2^-52) is a tie between 3 + 2^-51 and 3 + 2^-50; a tiny negative addend far
        // below it breaks the tie downwards (rounding the product first would go up to 3 + 2^-50)
        double lo = 3 + 0x1p-51;
        double hi = 3 + 0x1p-50;
        perModeDouble(rm -> dbl.fusedMultiplyAdd(b(3.0), b(up), b(-0x1p-1000), rm), NX, lo, lo, lo, hi, lo);
    }

    // ---- conversions ------------------------------------------------------------------------

    private IntToLongFunction toW(double v) {
        return rm -> cvt.toInteger(v, FloatConversions.W, rm);
    }

    @Test
    void floatToIntegerRoundsInEveryMode() {
        perMode(toW(2.5), NX, 2, 2, 2, 3, 3);
        perMode(toW(-2.5), NX, -2, -2, -3, -2, -3);
        perMode(toW(3.5), NX, 4, 3, 3, 4, 4);
        perMode(toW(-0.75), NX, -1, 0, -1, 0, -1);
        perMode(toW(7.0), 0, 7, 7, 7, 7, 7);
    }

    @Test
    void floatToIntegerSaturatesAtTheEdges() {
        once(Integer.MAX_VALUE, NV, toW(0x1p31), RNE);
        once(Integer.MAX_VALUE, 0, toW(0x1p31 - 1), RNE);
        once(Integer.MIN_VALUE, 0, toW(-0x1p31), RNE);
        once(Integer.MIN_VALUE, NV, toW(-0x1p31 - 1), RNE);
        once(Integer.MAX_VALUE, NV, toW(0x1p31 - 0.5), RNE);   // the tie rounds to the even 2^31
        once(Integer.MAX_VALUE, NX, toW(0x1p31 - 0.5), RTZ);
        once(Integer.MIN_VALUE, NX, toW(-0x1p31 - 0.5), RNE);
        once(Integer.MIN_VALUE, NV, toW(-0x1p31 - 0.5), RDN);
        once(Integer.MAX_VALUE, NV, toW(Double.NaN), RNE);
        once(Integer.MAX_VALUE, NV, toW(Double.POSITIVE_INFINITY), RNE);
        once(Integer.MIN_VALUE, NV, toW(Double.NEGATIVE_INFINITY), RNE);

        IntToLongFunction wu = rm -> cvt.toInteger(0x1p32, FloatConversions.WU, rm);
        once(-1L, NV, wu, RNE);                                 // 2^32 - 1, sign-extended
        once(-1L, NX, rm -> cvt.toInteger(0x1p32 - 0.6, FloatConversions.WU, rm), RNE);
        once(0, NV, rm -> cvt.toInteger(-1.0, FloatConversions.WU, rm), RTZ);
        once(0, NX, rm -> cvt.toInteger(-0.5, FloatConversions.WU, rm), RTZ);
        once(-1L, NV, rm -> cvt.toInteger(Double.NaN, FloatConversions.WU, rm), RTZ);

        once(Long.MAX_VALUE, NV, rm -> cvt.toInteger(0x1p63, FloatConversions.L, rm), RNE);
        once(Long.MIN_VALUE, 0, rm -> cvt.toInteger(-0x1p63, FloatConversions.L, rm), RNE);
        once(Long.MIN_VALUE, NV, rm -> cvt.toInteger(Double.NEGATIVE_INFINITY, FloatConversions.L, rm), RNE);
        once(Long.MAX_VALUE, NV, rm -> cvt.toInteger(Double.NaN, FloatConversions.L, rm), RNE);

        once(-1L, NV, rm -> cvt.toInteger(0x1p64, FloatConversions.LU, rm), RNE);
        once(0xFFFF_FFFF_FFFF_F800L, 0, rm -> cvt.toInteger(0x1p64 - 2048, FloatConversions.LU, rm), RNE);
        once(0x8000_0000_0000_0000L, 0, rm -> cvt.toInteger(0x1p63, FloatConversions.LU, rm), RNE);
        once(0, NV, rm -> cvt.toInteger(-1.0, FloatConversions.LU, rm), RUP);
        once(-1L, NV, rm -> cvt.toInteger(Double.NaN, FloatConversions.LU, rm), RUP);
    }

    @Test
    void integerToFloatRoundsInEveryMode() {
        FloatFormat s = FloatFormat.SINGLE;
        FloatFormat d = FloatFormat.DOUBLE;
        perModeSingle(rm -> cvt.fromInteger(s, (1 << 24) + 1, false, rm), NX,
                0x1p24f, 0x1p24f, 0x1p24f, 0x1p24f + 2, 0x1p24f + 2);
        perModeSingle(rm -> cvt.fromInteger(s, -((1 << 24) + 3), false, rm), NX,
                -0x1p24f - 4, -0x1p24f - 2, -0x1p24f - 4, -0x1p24f - 2, -0x1p24f - 4);
        perModeDouble(rm -> cvt.fromInteger(d, (1L << 53) + 1, false, rm), NX,
                0x1p53, 0x1p53, 0x1p53, 0x1p53 + 2, 0x1p53 + 2);
        perModeDouble(rm -> cvt.fromInteger(d, -1L, true, rm), NX,
                0x1p64, 0x1p64 - 2048, 0x1p64 - 2048, 0x1p64, 0x1p64);
        perModeDouble(rm -> cvt.fromInteger(d, Long.MIN_VALUE, false, rm), 0,
                -0x1p63, -0x1p63, -0x1p63, -0x1p63, -0x1p63);
        perModeSingle(rm -> cvt.fromInteger(s, 0, false, rm), 0, 0f, 0f, 0f, 0f, 0f);
    }

    @Test
    void doubleToSingleRoundsOverflowsAndUnderflows() {
        float fmax = Float.MAX_VALUE;
        float inf = Float.POSITIVE_INFINITY;
        perModeSingle(rm -> cvt.toSingle(b(1e300), rm), OF | NX, inf, fmax, fmax, inf, inf);
        float fmin = Float.MIN_VALUE;
        perModeSingle(rm -> cvt.toSingle(b(-1e-50), rm), UF | NX, -0.0f, -0.0f, -fmin, -0.0f, -0.0f);
        float up = Math.nextUp(1.0f);
        perModeSingle(rm -> cvt.toSingle(b(1 + 0x1p-24), rm), NX, 1.0f, 1.0f, 1.0f, up, up);
        once(CANONICAL_NAN_S, NV, rm -> cvt.toSingle(SNAN_D, rm), RNE);
        once(CANONICAL_NAN_S, 0, rm -> cvt.toSingle(QNAN_D | 1, rm), RNE);
        once(b(Double.NEGATIVE_INFINITY), 0, rm -> cvt.toDouble(b(Float.NEGATIVE_INFINITY)), RNE);
        once(b((double) Float.MIN_VALUE), 0, rm -> cvt.toDouble(b(Float.MIN_VALUE)), RNE);
        once(QNAN_D, NV, rm -> cvt.toDouble(SNAN_S), RNE);
    }

    // ---- comparisons --------------------------------------------------------------------------

    @Test
    void minMaxAndComparisonsOfSignedZerosAndNans() {
        FloatCompare c = new FloatCompare(rounder);
        FloatFormat d = FloatFormat.DOUBLE;
        once(b(-0.0), 0, rm -> c.min(d, b(0.0), b(-0.0)), RNE);
        once(b(0.0), 0, rm -> c.max(d, b(-0.0), b(0.0)), RNE);
        once(b(-3.0), NV, rm -> c.min(d, SNAN_D, b(-3.0)), RNE);
        once(QNAN_D, NV, rm -> c.max(d, SNAN_D, QNAN_D), RNE);
        once(b(Double.NEGATIVE_INFINITY), 0, rm -> c.min(d, b(Double.NEGATIVE_INFINITY), b(-Double.MAX_VALUE)), RNE);
        once(1, 0, rm -> c.lessThan(d, b(-0x1p-1074), b(-0.0)) ? 1 : 0, RNE);
        once(0, 0, rm -> c.lessThan(d, b(-0.0), b(0.0)) ? 1 : 0, RNE);
        once(1, 0, rm -> c.lessOrEqual(d, b(0.0), b(-0.0)) ? 1 : 0, RNE);
        once(1, 0, rm -> c.lessThan(d, b(-2.0), b(-1.0)) ? 1 : 0, RNE);
        once(0, NV, rm -> c.lessOrEqual(d, QNAN_D, QNAN_D) ? 1 : 0, RNE);
        once(0, 0, rm -> c.equal(d, QNAN_D, QNAN_D) ? 1 : 0, RNE);
        once(0, NV, rm -> c.equal(d, b(1.0), SNAN_D) ? 1 : 0, RNE);
    }
}
