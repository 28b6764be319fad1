package org.osgemu.cpu.riscv.hart;

import static org.osgemu.cpu.riscv.hart.FloatRounder.*;

/**
 * The rounding arithmetic of the D extension on raw binary64 bits: add, subtract, multiply,
 * divide, square root and fused multiply-add, with NaN, infinity and zero rules and flags.
 *
 * <p>Round-to-nearest-even is what the JVM computes (and {@link Math#fma} is correctly
 * rounded), so in that mode the hardware result is used whenever an error-free transformation
 * can prove cheaply whether it is exact: operands and result well inside the normal range,
 * where TwoSum, the FMA-computed product error and the division remainder are exact. Anything
 * else (other rounding modes, results near underflow or overflow) goes to
 * {@link ExactArithmetic}.
 */
final class Binary64 {

    private static final FloatFormat D = FloatFormat.DOUBLE;
    static final long CANONICAL_NAN = 0x7FF8_0000_0000_0000L;

    private final FloatRounder rounder;
    private final ExactArithmetic exact;

    Binary64(FloatRounder rounder, ExactArithmetic exact) {
        this.rounder = rounder;
        this.exact = exact;
    }

    private static double value(long bits) {
        return Double.longBitsToDouble(bits);
    }

    private static long bits(double v) {
        return Double.doubleToRawLongBits(v);
    }

    /** The canonical NaN, raising NV when any of the operands is a signalling NaN. */
    private long nan(long a, long b) {
        if (D.isSignalingNaN(a) || D.isSignalingNaN(b)) {
            rounder.flags |= NV;
        }
        return CANONICAL_NAN;
    }

    private long invalid() {
        rounder.flags |= NV;
        return CANONICAL_NAN;
    }

    long add(long a, long b, int rm) {
        if (rm == RNE) {
            double x = value(a);
            double y = value(b);
            double s = x + y;
            // Bounded away from overflow, TwoSum is exact; sums never underflow inexactly.
            if (Math.abs(x) <= 0x1p1021 && Math.abs(y) <= 0x1p1021) {
                if (sumError(x, y, s) != 0) {
                    rounder.flags |= NX;
                }
                return bits(s);
            }
        }
        if (D.isNaN(a) || D.isNaN(b)) {
            return nan(a, b);
        }
        if (D.isInfinite(a)) {
            return D.isInfinite(b) && (a != b) ? invalid() : a;
        }
        if (D.isInfinite(b)) {
            return b;
        }
        if (D.isZero(a)) {
            return D.isZero(b) ? D.zero(zeroSumIsNegative(D.isNegative(a), D.isNegative(b), rm)) : b;
        }
        if (D.isZero(b)) {
            return a;
        }
        return exact.add(D, a, b, rm);
    }

    long subtract(long a, long b, int rm) {
        return add(a, b ^ D.signBit, rm);
    }

    long multiply(long a, long b, int rm) {
        if (rm == RNE) {
            double x = value(a);
            double y = value(b);
            double p = x * y;
            double magnitude = Math.abs(p);
            // Far enough from the subnormals for the product's error to be exact in an FMA.
            if (magnitude >= 0x1p-960 && magnitude <= Double.MAX_VALUE) {
                if (Math.fma(x, y, -p) != 0) {
                    rounder.flags |= NX;
                }
                return bits(p);
            }
        }
        if (D.isNaN(a) || D.isNaN(b)) {
            return nan(a, b);
        }
        long sign = (a ^ b) & D.signBit;
        if (D.isInfinite(a) || D.isInfinite(b)) {
            return D.isZero(a) || D.isZero(b) ? invalid() : sign | D.infinity;
        }
        if (D.isZero(a) || D.isZero(b)) {
            return sign;
        }
        return exact.multiply(D, a, b, rm);
    }

    long divide(long a, long b, int rm) {
        if (rm == RNE) {
            double x = value(a);
            double y = value(b);
            double q = x / y;
            double magnitude = Math.abs(q);
            // With the dividend and quotient well inside the normal range the remainder is exact.
            if (magnitude >= 0x1p-960 && magnitude <= Double.MAX_VALUE && Math.abs(x) >= 0x1p-960
                    && Math.abs(x) <= Double.MAX_VALUE && y != 0) {
                if (Math.fma(-q, y, x) != 0) {
                    rounder.flags |= NX;
                }
                return bits(q);
            }
        }
        if (D.isNaN(a) || D.isNaN(b)) {
            return nan(a, b);
        }
        long sign = (a ^ b) & D.signBit;
        if (D.isInfinite(a)) {
            return D.isInfinite(b) ? invalid() : sign | D.infinity;
        }
        if (D.isInfinite(b)) {
            return sign;
        }
        if (D.isZero(b)) {
            if (D.isZero(a)) {
                return invalid();
            }
            rounder.flags |= DZ;
            return sign | D.infinity;
        }
        if (D.isZero(a)) {
            return sign;
        }
        return exact.divide(D, a, b, rm);
    }

    /**
     * Square root in every mode from the hardware's nearest-even root: the operand is scaled by
     * an even power of two into [1, 4), where {@code t - r*r} computed by an FMA is exact in
     * sign, which says on which side of {@code r} the true root lies (it is never a midpoint).
     */
    long sqrt(long a, int rm) {
        if (D.isNaN(a)) {
            return nan(a, a);
        }
        if (D.isZero(a)) {
            return a;
        }
        if (D.isNegative(a)) {
            return invalid();
        }
        if (D.isInfinite(a)) {
            return a;
        }
        long m = D.significand(a);
        int shift = Long.numberOfLeadingZeros(m) - 11;
        int e = D.exponent(a) - shift + 52; // a = t * 2^e with t in [1, 2)
        double t = Math.scalb((double) (m << shift), -52);
        if ((e & 1) != 0) {
            t *= 2;
            e--;
        }
        double r = Math.sqrt(t);
        double residual = Math.fma(-r, r, t);
        if (residual != 0) {
            rounder.flags |= NX;
            if (residual < 0 && (rm == RTZ || rm == RDN)) {
                r = Math.nextDown(r);
            } else if (residual > 0 && rm == RUP) {
                r = Math.nextUp(r);
            }
        }
        return bits(Math.scalb(r, e / 2)); // the root of a double is normal: scaling is exact
    }

    /** {@code a * b + c} with one rounding; the FMA family negates operands before calling. */
    long fusedMultiplyAdd(long a, long b, long c, int rm) {
        if (rm == RNE) {
            double x = value(a);
            double y = value(b);
            double z = value(c);
            double r = Math.fma(x, y, z);
            double p = Math.abs(x * y);
            double magnitude = Math.abs(r);
            if (magnitude >= 0x1p-960 && magnitude <= 0x1p1020 && p >= 0x1p-960 && p <= 0x1p1020
                    && Math.abs(z) <= 0x1p1020) {
                // If c - r is exact, a*b + c - r = a*b + (c - r) is computed exactly in sign by
                // another FMA: all terms are multiples of 2^-1074, so no underflow hides a rest.
                double d = z - r;
                if (sumError(z, -r, d) == 0) {
                    if (Math.fma(x, y, d) != 0) {
                        rounder.flags |= NX;
                    }
                    return bits(r);
                }
            }
        }
        if (D.isNaN(a) || D.isNaN(b) || D.isNaN(c)) {
            // RISC-V: 0 * inf raises NV even when the addend is a quiet NaN.
            if ((D.isInfinite(a) && D.isZero(b)) || (D.isZero(a) && D.isInfinite(b))) {
                rounder.flags |= NV;
            }
            if (D.isSignalingNaN(c)) {
                rounder.flags |= NV;
            }
            return nan(a, b);
        }
        boolean productNegative = D.isNegative(a) != D.isNegative(b);
        if (D.isInfinite(a) || D.isInfinite(b)) {
            if (D.isZero(a) || D.isZero(b)) {
                return invalid();
            }
            if (D.isInfinite(c) && D.isNegative(c) != productNegative) {
                return invalid();
            }
            return (productNegative ? D.signBit : 0) | D.infinity;
        }
        if (D.isInfinite(c)) {
            return c;
        }
        if (D.isZero(a) || D.isZero(b)) {
            return D.isZero(c) ? D.zero(zeroSumIsNegative(productNegative, D.isNegative(c), rm)) : c;
        }
        if (D.isZero(c)) {
            return exact.multiply(D, a, b, rm);
        }
        return exact.fusedMultiplyAdd(D, a, b, c, rm);
    }
}
