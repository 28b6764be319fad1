package org.osgemu.cpu.riscv.hart;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.util.function.IntFunction;

/**
 * A slow, independent reference for the tests: values as exact fractions of big integers,
 * rounded by comparing against the rounding points and midpoints (IEEE 754-2008 4.3, 7.4,
 * 7.5, 7.6 with tininess after rounding). It shares nothing with the implementation but the
 * format constants.
 */
final class ReferenceFloat {

    private ReferenceFloat() {
    }

    /** A result and the flags it raises. */
    record Result(long bits, int flags) {
        @Override
        public String toString() {
            return "0x" + Long.toHexString(bits) + " flags " + Integer.toBinaryString(flags);
        }
    }

    /** A finite number {@code (negative ? -1 : 1) * num / den}, den > 0. */
    record Fraction(boolean negative, BigInteger num, BigInteger den) {
        boolean isZero() {
            return num.signum() == 0;
        }

        Fraction negate() {
            return new Fraction(!negative, num, den);
        }
    }

    static Fraction of(FloatFormat f, long bits) {
        long fraction = bits & f.fractionMask;
        int field = (int) ((bits & f.magnitudeMask) >>> (f.precision - 1));
        BigInteger m = BigInteger.valueOf(field == 0 ? fraction : fraction | 1L << (f.precision - 1));
        int e = (field == 0 ? 1 : field) - f.bias - (f.precision - 1);
        boolean negative = (bits & f.signBit) != 0;
        return e >= 0 ? new Fraction(negative, m.shiftLeft(e), BigInteger.ONE)
                : new Fraction(negative, m, BigInteger.ONE.shiftLeft(-e));
    }

    static Fraction ofInteger(BigInteger v) {
        return new Fraction(v.signum() < 0, v.abs(), BigInteger.ONE);
    }

    static Fraction add(Fraction a, Fraction b) {
        BigInteger x = signed(a).multiply(b.den).add(signed(b).multiply(a.den));
        return new Fraction(x.signum() < 0, x.abs(), a.den.multiply(b.den));
    }

    static Fraction multiply(Fraction a, Fraction b) {
        return new Fraction(a.negative != b.negative, a.num.multiply(b.num), a.den.multiply(b.den));
    }

    static Fraction divide(Fraction a, Fraction b) {
        return new Fraction(a.negative != b.negative, a.num.multiply(b.den), a.den.multiply(b.num));
    }

    private static BigInteger signed(Fraction a) {
        return a.negative ? a.num.negate() : a.num;
    }

    /** floor(log2(num/den)) of a positive fraction. */
    private static int floorLog2(BigInteger num, BigInteger den) {
        int e = num.bitLength() - den.bitLength();
        return compareWithPowerOfTwo(num, den, e) < 0 ? e - 1 : e;
    }

    private static int compareWithPowerOfTwo(BigInteger num, BigInteger den, int k) {
        return k >= 0 ? num.compareTo(den.shiftLeft(k)) : num.shiftLeft(-k).compareTo(den);
    }

    /** The value divided by 2^q: its integer part, where the rest lies against one half, exactness. */
    private record Scaled(BigInteger integer, int againstHalf, boolean exact) {}

    private static Scaled scale(BigInteger num, BigInteger den, int q) {
        BigInteger n = q >= 0 ? num : num.shiftLeft(-q);
        BigInteger d = q >= 0 ? den.shiftLeft(q) : den;
        BigInteger[] qr = n.divideAndRemainder(d);
        return new Scaled(qr[0], qr[1].shiftLeft(1).compareTo(d), qr[1].signum() == 0);
    }

    private static Scaled scaleRoot(BigInteger num, BigInteger den, int q) {
        BigInteger n = q >= 0 ? num : num.shiftLeft(-2 * q);
        BigInteger d = q >= 0 ? den.shiftLeft(2 * q) : den;
        BigInteger root = n.divide(d).sqrt();
        boolean exact = root.multiply(root).multiply(d).equals(n);
        BigInteger twice = root.shiftLeft(1).add(BigInteger.ONE);
        int againstHalf = n.shiftLeft(2).compareTo(twice.multiply(twice).multiply(d));
        return new Scaled(root, againstHalf, exact);
    }

    private static BigInteger roundInteger(Scaled s, boolean negative, int rm) {
        boolean up = !s.exact && switch (rm) {
            case FloatRounder.RNE -> s.againstHalf > 0 || (s.againstHalf == 0 && s.integer.testBit(0));
            case FloatRounder.RMM -> s.againstHalf >= 0;
            case FloatRounder.RDN -> negative;
            case FloatRounder.RUP -> !negative;
            default -> false;
        };
        return up ? s.integer.add(BigInteger.ONE) : s.integer;
    }

    /** Rounds a nonzero fraction to format {@code f}. */
    static Result round(FloatFormat f, Fraction v, int rm) {
        return round(f, v.negative, floorLog2(v.num, v.den), q -> scale(v.num, v.den, q), rm);
    }

    /** Rounds the square root of a positive fraction to format {@code f}. */
    static Result roundSqrt(FloatFormat f, Fraction v, int rm) {
        int e = Math.floorDiv(floorLog2(v.num, v.den), 2);
        return round(f, false, e, q -> scaleRoot(v.num, v.den, q), rm);
    }

    private static Result round(FloatFormat f, boolean negative, int e, IntFunction<Scaled> at, int rm) {
        int p = f.precision;
        long sign = negative ? f.signBit : 0;
        Scaled unbounded = at.apply(e - (p - 1));
        BigInteger i = roundInteger(unbounded, negative, rm);
        int exponent = i.bitLength() > p ? e + 1 : e;
        if (exponent > f.emax) {
            boolean infinite = rm == FloatRounder.RNE || rm == FloatRounder.RMM
                    || (rm == FloatRounder.RDN && negative) || (rm == FloatRounder.RUP && !negative);
            return new Result(sign | (infinite ? f.infinity : f.maxFinite), FloatRounder.OF | FloatRounder.NX);
        }
        if (exponent >= f.emin) {
            long fraction = (i.bitLength() > p ? i.shiftRight(1) : i).longValue() & f.fractionMask;
            long bits = sign | (long) (exponent + f.bias) << (p - 1) | fraction;
            return new Result(bits, unbounded.exact ? 0 : FloatRounder.NX);
        }
        Scaled subnormal = at.apply(f.emin - (p - 1));
        long bits = sign | roundInteger(subnormal, negative, rm).longValue();
        return new Result(bits, subnormal.exact ? 0 : FloatRounder.UF | FloatRounder.NX);
    }

    /** An exact zero sum: the common sign of the terms, else +0 (-0 when rounding down). */
    static Result zeroSum(FloatFormat f, boolean aNegative, boolean bNegative, int rm) {
        boolean negative = aNegative == bNegative ? aNegative : rm == FloatRounder.RDN;
        return new Result(negative ? f.signBit : 0, 0);
    }

    /** FCVT to an integer of {@code bits} signed/unsigned, {@code width} 32 or 64, as the x register receives it. */
    static Result toInteger(double v, boolean unsigned, int width, int rm) {
        BigInteger max = unsigned ? BigInteger.ONE.shiftLeft(width).subtract(BigInteger.ONE)
                : BigInteger.ONE.shiftLeft(width - 1).subtract(BigInteger.ONE);
        BigInteger min = unsigned ? BigInteger.ZERO : BigInteger.ONE.shiftLeft(width - 1).negate();
        if (Double.isNaN(v)) {
            return new Result(register(max, width), FloatRounder.NV);
        }
        if (Double.isInfinite(v)) {
            return new Result(register(v > 0 ? max : min, width), FloatRounder.NV);
        }
        BigDecimal exact = new BigDecimal(v);
        RoundingMode mode = switch (rm) {
            case FloatRounder.RNE -> RoundingMode.HALF_EVEN;
            case FloatRounder.RTZ -> RoundingMode.DOWN;
            case FloatRounder.RDN -> RoundingMode.FLOOR;
            case FloatRounder.RUP -> RoundingMode.CEILING;
            default -> RoundingMode.HALF_UP;
        };
        BigInteger rounded = exact.setScale(0, mode).toBigIntegerExact();
        if (rounded.compareTo(max) > 0 || rounded.compareTo(min) < 0) {
            return new Result(register(v > 0 ? max : min, width), FloatRounder.NV);
        }
        boolean inexact = new BigDecimal(rounded).compareTo(exact) != 0;
        return new Result(register(rounded, width), inexact ? FloatRounder.NX : 0);
    }

    private static long register(BigInteger v, int width) {
        long bits = v.longValue();
        return width == 32 ? (int) bits : bits;
    }
}
