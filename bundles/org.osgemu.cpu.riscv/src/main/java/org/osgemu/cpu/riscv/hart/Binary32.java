package org.osgemu.cpu.riscv.hart;

import static org.osgemu.cpu.riscv.hart.FloatRounder.*;

/**
 * The rounding arithmetic of the F extension on raw binary32 bits. Every operation is
 * computed in binary64 first, where it is either exact (products, sums with their TwoSum
 * error, FMA's product) or rounded to odd from the nearest-even result and the sign of its
 * exact error (quotients and roots, by an FMA remainder). Binary64 has more than twice the
 * precision plus two bits, so rounding that intermediate to binary32 gives the correctly
 * rounded result in every mode with the right flags; {@link FloatRounder#toSingle} does it.
 */
final class Binary32 {

    private static final FloatFormat S = FloatFormat.SINGLE;
    static final int CANONICAL_NAN = 0x7FC0_0000;

    private final FloatRounder rounder;

    Binary32(FloatRounder rounder) {
        this.rounder = rounder;
    }

    private static double value(int bits) {
        return Float.intBitsToFloat(bits);
    }

    private static boolean isNaN(int bits) {
        return S.isNaN(bits & 0xFFFF_FFFFL);
    }

    private static boolean isSignalingNaN(int bits) {
        return S.isSignalingNaN(bits & 0xFFFF_FFFFL);
    }

    private int nan(int a, int b) {
        if (isSignalingNaN(a) || isSignalingNaN(b)) {
            rounder.flags |= NV;
        }
        return CANONICAL_NAN;
    }

    private int invalid() {
        rounder.flags |= NV;
        return CANONICAL_NAN;
    }

    int add(int a, int b, int rm) {
        if (isNaN(a) || isNaN(b)) {
            return nan(a, b);
        }
        double x = value(a);
        double y = value(b);
        double s = x + y;
        if (Double.isNaN(s)) {
            return invalid(); // inf - inf
        }
        if (Double.isInfinite(s)) {
            return Float.floatToRawIntBits((float) s); // an infinite operand: exact
        }
        return sum(x, y, s, rm);
    }

    int subtract(int a, int b, int rm) {
        return add(a, b ^ Integer.MIN_VALUE, rm);
    }

    /** Rounds {@code s = x + y} (nearest-even in binary64, finite) to binary32. */
    private int sum(double x, double y, double s, int rm) {
        double error = sumError(x, y, s);
        if (s == 0 && error == 0) {
            boolean negative = zeroSumIsNegative(bits(x) < 0, bits(y) < 0, rm);
            return negative ? Integer.MIN_VALUE : 0;
        }
        return rounder.toSingle(toOdd(s, error), rm);
    }

    private static long bits(double v) {
        return Double.doubleToRawLongBits(v);
    }

    int multiply(int a, int b, int rm) {
        if (isNaN(a) || isNaN(b)) {
            return nan(a, b);
        }
        double p = value(a) * value(b); // 24 x 24 bits: exact
        if (Double.isNaN(p)) {
            return invalid(); // 0 * inf
        }
        if (Double.isInfinite(p) || p == 0) {
            return Float.floatToRawIntBits((float) p);
        }
        return rounder.toSingle(p, rm);
    }

    int divide(int a, int b, int rm) {
        if (isNaN(a) || isNaN(b)) {
            return nan(a, b);
        }
        double x = value(a);
        double y = value(b);
        if ((x == 0 && y == 0) || (Double.isInfinite(x) && Double.isInfinite(y))) {
            return invalid();
        }
        if (y == 0 && !Double.isInfinite(x)) {
            rounder.flags |= DZ; // an infinite dividend gives an exact infinity: no flag
        }
        double q = x / y;
        if (Double.isInfinite(q) || q == 0) {
            return Float.floatToRawIntBits((float) q); // exact: an infinite or zero operand
        }
        // The remainder x - q*y is exact; its sign and y's tell on which side the quotient lies.
        double remainder = Math.fma(-q, y, x);
        return rounder.toSingle(toOdd(q, remainder * Math.signum(y)), rm);
    }

    int sqrt(int a, int rm) {
        if (isNaN(a)) {
            return nan(a, a);
        }
        double x = value(a);
        if (x == 0 || x == Double.POSITIVE_INFINITY) {
            return a;
        }
        if (x < 0) {
            return invalid();
        }
        double r = Math.sqrt(x);
        return rounder.toSingle(toOdd(r, Math.fma(-r, r, x)), rm);
    }

    /** {@code a * b + c} with one rounding; the FMA family negates operands before calling. */
    int fusedMultiplyAdd(int a, int b, int c, int rm) {
        double x = value(a);
        double y = value(b);
        double z = value(c);
        boolean zeroTimesInfinity = (x == 0 && Double.isInfinite(y)) || (Double.isInfinite(x) && y == 0);
        if (isNaN(a) || isNaN(b) || isNaN(c)) {
            // RISC-V: 0 * inf raises NV even when the addend is a quiet NaN.
            if (zeroTimesInfinity || isSignalingNaN(c)) {
                rounder.flags |= NV;
            }
            return nan(a, b);
        }
        if (zeroTimesInfinity) {
            return invalid();
        }
        double p = x * y; // exact
        double s = p + z;
        if (Double.isNaN(s)) {
            return invalid(); // inf - inf
        }
        if (Double.isInfinite(s)) {
            return Float.floatToRawIntBits((float) s);
        }
        return sum(p, z, s, rm);
    }
}
