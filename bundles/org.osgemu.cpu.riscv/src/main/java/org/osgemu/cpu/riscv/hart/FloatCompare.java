package org.osgemu.cpu.riscv.hart;

import static org.osgemu.cpu.riscv.hart.FloatRounder.NV;

/**
 * The non-rounding FP operations that look at values: FMIN/FMAX (IEEE 754-2019
 * minimumNumber/maximumNumber, as the F chapter 2.2 requires: -0 below +0, a NaN loses to a
 * number, two NaNs give the canonical NaN), the quiet FEQ and the signalling FLT/FLE, and
 * FCLASS. Operands are raw bits of the given format.
 */
final class FloatCompare {

    /** FCLASS result bits. */
    static final int NEGATIVE_INFINITY = 1, NEGATIVE_NORMAL = 1 << 1, NEGATIVE_SUBNORMAL = 1 << 2,
            NEGATIVE_ZERO = 1 << 3, POSITIVE_ZERO = 1 << 4, POSITIVE_SUBNORMAL = 1 << 5, POSITIVE_NORMAL = 1 << 6,
            POSITIVE_INFINITY = 1 << 7, SIGNALING_NAN = 1 << 8, QUIET_NAN = 1 << 9;

    private final FloatRounder rounder;

    FloatCompare(FloatRounder rounder) {
        this.rounder = rounder;
    }

    long min(FloatFormat f, long a, long b) {
        return select(f, a, b, true);
    }

    long max(FloatFormat f, long a, long b) {
        return select(f, a, b, false);
    }

    private long select(FloatFormat f, long a, long b, boolean smaller) {
        if (f.isSignalingNaN(a) || f.isSignalingNaN(b)) {
            rounder.flags |= NV;
        }
        boolean nanA = f.isNaN(a);
        boolean nanB = f.isNaN(b);
        if (nanA || nanB) {
            return nanA && nanB ? f.canonicalNaN : nanA ? b : a;
        }
        return less(f, a, b) == smaller ? a : b;
    }

    /** Whether {@code a} is below {@code b}, for numbers (no NaN), with -0 below +0. */
    private static boolean less(FloatFormat f, long a, long b) {
        boolean negA = f.isNegative(a);
        boolean negB = f.isNegative(b);
        if (negA != negB) {
            return negA;
        }
        long magA = a & f.magnitudeMask;
        long magB = b & f.magnitudeMask;
        return negA ? magA > magB : magA < magB;
    }

    /** FEQ: quiet, NV only for signalling NaNs; +0 equals -0. */
    boolean equal(FloatFormat f, long a, long b) {
        if (f.isNaN(a) || f.isNaN(b)) {
            if (f.isSignalingNaN(a) || f.isSignalingNaN(b)) {
                rounder.flags |= NV;
            }
            return false;
        }
        return a == b || (f.isZero(a) && f.isZero(b));
    }

    /** FLT: signalling, NV for any NaN. */
    boolean lessThan(FloatFormat f, long a, long b) {
        if (f.isNaN(a) || f.isNaN(b)) {
            rounder.flags |= NV;
            return false;
        }
        return !(f.isZero(a) && f.isZero(b)) && less(f, a, b);
    }

    /** FLE: signalling, NV for any NaN. */
    boolean lessOrEqual(FloatFormat f, long a, long b) {
        if (f.isNaN(a) || f.isNaN(b)) {
            rounder.flags |= NV;
            return false;
        }
        return (f.isZero(a) && f.isZero(b)) || a == b || less(f, a, b);
    }

    /** FCLASS: the one bit of the 10-bit mask that names the class of {@code a}. */
    static int classify(FloatFormat f, long a) {
        boolean negative = f.isNegative(a);
        if (f.isNaN(a)) {
            return f.isSignalingNaN(a) ? SIGNALING_NAN : QUIET_NAN;
        }
        if (f.isInfinite(a)) {
            return negative ? NEGATIVE_INFINITY : POSITIVE_INFINITY;
        }
        if (f.isZero(a)) {
            return negative ? NEGATIVE_ZERO : POSITIVE_ZERO;
        }
        if (f.isSubnormal(a)) {
            return negative ? NEGATIVE_SUBNORMAL : POSITIVE_SUBNORMAL;
        }
        return negative ? NEGATIVE_NORMAL : POSITIVE_NORMAL;
    }
}
