package org.osgemu.cpu.riscv.hart;

/**
 * The one place where exact values become binary32 or binary64 results: rounding in the five
 * RISC-V rounding modes, overflow, and underflow with tininess detected after rounding, as the
 * RISC-V unprivileged manual ("F" chapter, 11.2) and IEEE 754-2008 (7.4, 7.5, 7.6) specify.
 * The exception flags raised accumulate in {@link #flags} until the FPU collects them.
 *
 * <p>An exact value is given as {@code (-1)^negative * (m + d) * 2^e} with an unsigned integer
 * {@code m < 2^63} and {@code 0 < d < 1} when {@code sticky} is set ({@code d = 0} otherwise):
 * the value lies strictly between two consecutive integers times {@code 2^e}. Callers that set
 * {@code sticky} keep at least p + 1 bits in {@code m}, so the rounding position is at least
 * one bit above the unit and the open interval holds no rounding point or midpoint: every
 * value in it rounds alike, and inexactly.
 *
 * <p>Not thread-safe: one per hart.
 */
final class FloatRounder {

    /** Rounding modes, as encoded in the rm field and in frm. */
    static final int RNE = 0, RTZ = 1, RDN = 2, RUP = 3, RMM = 4, DYNAMIC = 7;

    /** Exception flags, as laid out in fflags. */
    static final int NX = 1, UF = 2, OF = 4, DZ = 8, NV = 16;

    /** Flags raised since the FPU last cleared them. */
    int flags;

    /** Whether the last {@link #roundShift} dropped a nonzero part. */
    private boolean inexact;

    /** Rounds {@code (-1)^negative * (m + sticky) * 2^e} (see the class comment) to format {@code f}. */
    long round(FloatFormat f, boolean negative, long m, int e, boolean sticky, int rm) {
        long sign = negative ? f.signBit : 0;
        int p = f.precision;
        int length = 64 - Long.numberOfLeadingZeros(m);
        // First as if the exponent were unbounded: decides overflow and, after rounding, tininess.
        long q = roundShift(m, length - p, sticky, negative, rm);
        int exponent = e + length - 1;
        if (q == 1L << p) {
            q >>>= 1;
            exponent++;
        }
        if (exponent > f.emax) {
            flags |= OF | NX;
            return sign | overflowMagnitude(f, negative, rm);
        }
        if (exponent >= f.emin) {
            if (inexact) {
                flags |= NX;
            }
            return sign | (long) (exponent + f.bias) << (p - 1) | (q & f.fractionMask);
        }
        // Tiny: round again to the fixed quantum of the subnormals. A carry into the hidden bit
        // position encodes the smallest normal number, as it should.
        long subnormal = roundShift(m, f.emin - (p - 1) - e, sticky, negative, rm);
        if (inexact) {
            flags |= UF | NX;
        }
        return sign | subnormal;
    }

    /**
     * {@code m >> shift} rounded in mode {@code rm}, the dropped bits and {@code sticky}
     * deciding; sets {@link #inexact}. A shift of zero or less is exact.
     */
    private long roundShift(long m, int shift, boolean sticky, boolean negative, int rm) {
        if (shift <= 0) {
            inexact = sticky;
            return m << -shift;
        }
        long q;
        long rest;
        long half;
        if (shift >= 64) {
            // Everything is dropped and lies below half a unit (m < 2^63 <= half).
            q = 0;
            rest = m;
            half = Long.MAX_VALUE;
        } else {
            q = m >>> shift;
            rest = m & ((1L << shift) - 1);
            half = 1L << (shift - 1);
        }
        inexact = rest != 0 || sticky;
        boolean up = switch (rm) {
            case RNE -> rest > half || (rest == half && (sticky || (q & 1) != 0));
            case RMM -> rest >= half;
            case RDN -> inexact && negative;
            case RUP -> inexact && !negative;
            default -> false;
        };
        return up ? q + 1 : q;
    }

    /** The magnitude an overflow delivers: infinity, or the largest finite number when rounding towards zero. */
    static long overflowMagnitude(FloatFormat f, boolean negative, int rm) {
        boolean toInfinity = switch (rm) {
            case RNE, RMM -> true;
            case RDN -> negative;
            case RUP -> !negative;
            default -> false;
        };
        return toInfinity ? f.infinity : f.maxFinite;
    }

    /** Rounds the finite number {@code bits} of format {@code from} to format {@code to}. */
    long narrow(FloatFormat from, long bits, FloatFormat to, int rm) {
        boolean negative = from.isNegative(bits);
        if (from.isZero(bits)) {
            return to.zero(negative);
        }
        return round(to, negative, from.significand(bits), from.exponent(bits), false, rm);
    }

    /**
     * Rounds {@code v} to binary32. {@code v} is either an exact result or one rounded to odd
     * (see {@link #toOdd}); with 53 bits against 24, both round to the same binary32 result in
     * every mode, with the same flags. Returns the binary32 bits.
     */
    int toSingle(double v, int rm) {
        if (rm == RNE) {
            float r = (float) v; // the hardware conversion is round-to-nearest-even
            float magnitude = Math.abs(r);
            // Above the smallest normal and finite: neither tiny nor overflowed, only inexact.
            if (magnitude > 0x1p-126f && magnitude <= Float.MAX_VALUE) {
                if (r != v) {
                    flags |= NX;
                }
                return Float.floatToRawIntBits(r);
            }
        }
        if (v == 0) {
            return Float.floatToRawIntBits((float) v);
        }
        return (int) narrow(FloatFormat.DOUBLE, Double.doubleToRawLongBits(v), FloatFormat.SINGLE, rm);
    }

    /**
     * Round-to-odd of an exact value known as a nearest-even double {@code v} plus a sign for
     * the exact value's side: {@code direction > 0} when the exact value is above {@code v},
     * {@code < 0} when below, {@code 0} when {@code v} is exact. An inexact result ends in an
     * odd significand bit, which keeps the stickiness a later narrower rounding needs.
     */
    static double toOdd(double v, double direction) {
        if (direction == 0 || (Double.doubleToRawLongBits(v) & 1) != 0) {
            return v;
        }
        return direction > 0 ? Math.nextUp(v) : Math.nextDown(v);
    }

    /** The exact error of {@code s = a + b} rounded to nearest (Knuth's TwoSum); needs a finite {@code s}. */
    static double sumError(double a, double b, double s) {
        double bVirtual = s - a;
        double aVirtual = s - bVirtual;
        return (a - aVirtual) + (b - bVirtual);
    }

    /**
     * The sign of an exact sum that is zero (IEEE 754 6.3): the common sign of two zeros of one
     * sign, else +0, or -0 when rounding down.
     */
    static boolean zeroSumIsNegative(boolean aNegative, boolean bNegative, int rm) {
        return aNegative == bNegative ? aNegative : rm == RDN;
    }
}
