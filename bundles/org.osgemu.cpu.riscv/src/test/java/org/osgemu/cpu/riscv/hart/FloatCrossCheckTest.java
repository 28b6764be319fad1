package org.osgemu.cpu.riscv.hart;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.math.BigInteger;
import java.util.Random;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

import org.junit.jupiter.api.Test;
import org.osgemu.cpu.riscv.hart.ReferenceFloat.Fraction;
import org.osgemu.cpu.riscv.hart.ReferenceFloat.Result;

/**
 * Random operands, biased towards the hard places (subnormals, the ends of the exponent range,
 * short significands that make exact results and ties, nearby exponents that cancel), run
 * through every rounding operation in every rounding mode and compared, result bits and flags,
 * with {@link ReferenceFloat}. The seed is fixed so a failure repeats.
 */
class FloatCrossCheckTest {

    private static final int CASES = 2500;
    private static final int[] MODES = {FloatRounder.RNE, FloatRounder.RTZ, FloatRounder.RDN, FloatRounder.RUP,
        FloatRounder.RMM};
    private static final FloatFormat S = FloatFormat.SINGLE;
    private static final FloatFormat D = FloatFormat.DOUBLE;

    private final Random random = new Random(0x5EED_F00DL);
    private final FloatRounder rounder = new FloatRounder();
    private final Binary64 dbl = new Binary64(rounder, new ExactArithmetic(rounder));
    private final Binary32 sgl = new Binary32(rounder);
    private final FloatConversions cvt = new FloatConversions(rounder);

    /** A finite nonzero number of format {@code f}, from one of several distributions. */
    private long operand(FloatFormat f) {
        int p = f.precision;
        int maxField = (int) (f.infinity >>> (p - 1)) - 1;
        long fraction = random.nextLong() & f.fractionMask;
        int field = switch (random.nextInt(6)) {
            case 0 -> random.nextInt(maxField + 1);                  // anywhere
            case 1 -> random.nextInt(p + 3);                          // subnormal or barely normal
            case 2 -> maxField - random.nextInt(p + 3);               // near overflow
            case 3 -> {
                fraction &= -1L << (p - 1 - random.nextInt(6));       // a few significant bits
                yield f.bias + random.nextInt(41) - 20;
            }
            default -> f.bias + random.nextInt(121) - 60;
        };
        long bits = (long) field << (p - 1) | fraction;
        if ((bits & f.magnitudeMask) == 0) {
            bits = 1;
        }
        return random.nextBoolean() ? bits | f.signBit : bits;
    }

    /** A second operand, often with an exponent close to the first one's. */
    private long near(FloatFormat f, long first) {
        long other = operand(f);
        if (random.nextInt(3) == 0) {
            int p = f.precision;
            int maxField = (int) (f.infinity >>> (p - 1)) - 1;
            int field = (int) ((first & f.magnitudeMask) >>> (p - 1)) + random.nextInt(2 * p + 5) - p - 2;
            field = Math.max(0, Math.min(maxField, field));
            other = (other & ~(f.magnitudeMask & ~f.fractionMask)) | (long) field << (p - 1);
            if ((other & f.magnitudeMask) == 0) {
                other |= 1;
            }
        }
        return other;
    }

    private void check(String what, int rm, LongSupplier actual, long mask, Supplier<Result> expected) {
        rounder.flags = 0;
        long got = actual.getAsLong() & mask;
        Result want = expected.get();
        String context = what + " rm=" + rm;
        assertEquals(Long.toHexString(want.bits() & mask), Long.toHexString(got), context);
        assertEquals(want.flags(), rounder.flags, context + " flags");
    }

    private static Result sum(FloatFormat f, Fraction a, Fraction b, int rm) {
        Fraction s = ReferenceFloat.add(a, b);
        return s.isZero() ? ReferenceFloat.zeroSum(f, a.negative(), b.negative(), rm) : ReferenceFloat.round(f, s, rm);
    }

    private static String hex(long... values) {
        StringBuilder sb = new StringBuilder();
        for (long v : values) {
            sb.append(" 0x").append(Long.toHexString(v));
        }
        return sb.toString();
    }

    @Test
    void doubleArithmeticMatchesTheReference() {
        for (int n = 0; n < CASES; n++) {
            long a = operand(D);
            long b = near(D, a);
            long c = near(D, a);
            Fraction fa = ReferenceFloat.of(D, a);
            Fraction fb = ReferenceFloat.of(D, b);
            Fraction fc = ReferenceFloat.of(D, c);
            Fraction product = ReferenceFloat.multiply(fa, fb);
            long positive = a & ~D.signBit;
            for (int rm : MODES) {
                check("add" + hex(a, b), rm, () -> dbl.add(a, b, rm), -1L, () -> sum(D, fa, fb, rm));
                check("sub" + hex(a, b), rm, () -> dbl.subtract(a, b, rm), -1L, () -> sum(D, fa, fb.negate(), rm));
                check("mul" + hex(a, b), rm, () -> dbl.multiply(a, b, rm), -1L,
                        () -> ReferenceFloat.round(D, product, rm));
                check("div" + hex(a, b), rm, () -> dbl.divide(a, b, rm), -1L,
                        () -> ReferenceFloat.round(D, ReferenceFloat.divide(fa, fb), rm));
                check("sqrt" + hex(positive), rm, () -> dbl.sqrt(positive, rm), -1L,
                        () -> ReferenceFloat.roundSqrt(D, ReferenceFloat.of(D, positive), rm));
                check("fma" + hex(a, b, c), rm, () -> dbl.fusedMultiplyAdd(a, b, c, rm), -1L,
                        () -> sum(D, product, fc, rm));
            }
        }
    }

    @Test
    void fusedMultiplyAddNearCancellationMatchesTheReference() {
        // c close to -a*b: the product's low bits decide everything
        for (int n = 0; n < CASES; n++) {
            long a = operand(D);
            long b = near(D, a);
            double p = Double.longBitsToDouble(a) * Double.longBitsToDouble(b);
            if (!Double.isFinite(p) || p == 0) {
                continue;
            }
            long c = Double.doubleToRawLongBits(-p) + random.nextInt(5) - 2;
            if (!D.isNaN(c) && !D.isInfinite(c) && !D.isZero(c)) {
                Fraction product = ReferenceFloat.multiply(ReferenceFloat.of(D, a), ReferenceFloat.of(D, b));
                Fraction fc = ReferenceFloat.of(D, c);
                for (int rm : MODES) {
                    check("fma" + hex(a, b, c), rm, () -> dbl.fusedMultiplyAdd(a, b, c, rm), -1L,
                            () -> sum(D, product, fc, rm));
                }
            }
        }
    }

    @Test
    void resultsAroundTheSmallestNormalNumberMatchTheReference() {
        // products and quotients landing within a few units of 2^emin, where tininess after
        // rounding and the subnormal rounding disagree most
        for (int n = 0; n < CASES; n++) {
            double x = 1 + random.nextInt(1 << 30) * 0x1p-30;
            long a = Double.doubleToRawLongBits(x);
            long b = Double.doubleToRawLongBits(Double.MIN_NORMAL / x) + random.nextInt(7) - 3;
            float xs = (float) x;
            int as = Float.floatToRawIntBits(xs);
            int bs = Float.floatToRawIntBits(Float.MIN_NORMAL / xs) + random.nextInt(7) - 3;
            Fraction fa = ReferenceFloat.of(D, a);
            Fraction fb = ReferenceFloat.of(D, b);
            Fraction fas = ReferenceFloat.of(S, as & 0xFFFF_FFFFL);
            Fraction fbs = ReferenceFloat.of(S, bs & 0xFFFF_FFFFL);
            long quotientDivisor = Double.doubleToRawLongBits(1 / x);
            for (int rm : MODES) {
                check("mul" + hex(a, b), rm, () -> dbl.multiply(a, b, rm), -1L,
                        () -> ReferenceFloat.round(D, ReferenceFloat.multiply(fa, fb), rm));
                check("div" + hex(b, quotientDivisor), rm, () -> dbl.divide(b, quotientDivisor, rm), -1L,
                        () -> ReferenceFloat.round(D,
                                ReferenceFloat.divide(fb, ReferenceFloat.of(D, quotientDivisor)), rm));
                check("mul.s" + hex(as, bs), rm, () -> sgl.multiply(as, bs, rm), 0xFFFF_FFFFL,
                        () -> ReferenceFloat.round(S, ReferenceFloat.multiply(fas, fbs), rm));
            }
        }
    }

    @Test
    void singleArithmeticMatchesTheReference() {
        long mask = 0xFFFF_FFFFL;
        for (int n = 0; n < CASES; n++) {
            int a = (int) operand(S);
            int b = (int) near(S, a & mask);
            int c = (int) near(S, a & mask);
            Fraction fa = ReferenceFloat.of(S, a & mask);
            Fraction fb = ReferenceFloat.of(S, b & mask);
            Fraction fc = ReferenceFloat.of(S, c & mask);
            Fraction product = ReferenceFloat.multiply(fa, fb);
            int positive = a & Integer.MAX_VALUE;
            for (int rm : MODES) {
                check("add.s" + hex(a, b), rm, () -> sgl.add(a, b, rm), mask, () -> sum(S, fa, fb, rm));
                check("sub.s" + hex(a, b), rm, () -> sgl.subtract(a, b, rm), mask, () -> sum(S, fa, fb.negate(), rm));
                check("mul.s" + hex(a, b), rm, () -> sgl.multiply(a, b, rm), mask,
                        () -> ReferenceFloat.round(S, product, rm));
                check("div.s" + hex(a, b), rm, () -> sgl.divide(a, b, rm), mask,
                        () -> ReferenceFloat.round(S, ReferenceFloat.divide(fa, fb), rm));
                check("sqrt.s" + hex(positive), rm, () -> sgl.sqrt(positive, rm), mask,
                        () -> ReferenceFloat.roundSqrt(S, ReferenceFloat.of(S, positive), rm));
                check("fma.s" + hex(a, b, c), rm, () -> sgl.fusedMultiplyAdd(a, b, c, rm), mask,
                        () -> sum(S, product, fc, rm));
            }
        }
    }

    @Test
    void conversionsMatchTheReference() {
        long mask32 = 0xFFFF_FFFFL;
        for (int n = 0; n < CASES; n++) {
            long d = operand(D);
            long integer = switch (random.nextInt(3)) {
                case 0 -> random.nextLong();
                case 1 -> random.nextLong() >> random.nextInt(64);
                default -> (random.nextLong() >> random.nextInt(64)) & (-1L << random.nextInt(40));
            };
            // a value near the integer range limits, to exercise saturation and the last valid values
            double scaled = Math.scalb(1.0 + random.nextInt(1 << 20) * 0x1p-20, random.nextInt(70)) * (random.nextBoolean() ? 1 : -1);
            double fromSingle = Float.intBitsToFloat((int) operand(S));
            for (int rm : MODES) {
                check("fcvt.s.d" + hex(d), rm, () -> cvt.toSingle(d, rm), mask32,
                        () -> ReferenceFloat.round(S, ReferenceFloat.of(D, d), rm));
                for (FloatFormat f : new FloatFormat[] {S, D}) {
                    long m = f == S ? mask32 : -1L;
                    BigInteger signed = BigInteger.valueOf(integer);
                    BigInteger unsigned = new BigInteger(Long.toUnsignedString(integer));
                    BigInteger word = BigInteger.valueOf((int) integer);
                    BigInteger unsignedWord = BigInteger.valueOf(integer & mask32);
                    check("fcvt." + f + ".l" + hex(integer), rm, () -> cvt.fromInteger(f, integer, false, rm), m,
                            () -> integerResult(f, signed, rm));
                    check("fcvt." + f + ".lu" + hex(integer), rm, () -> cvt.fromInteger(f, integer, true, rm), m,
                            () -> integerResult(f, unsigned, rm));
                    check("fcvt." + f + ".w" + hex(integer), rm, () -> cvt.fromInteger(f, (int) integer, false, rm), m,
                            () -> integerResult(f, word, rm));
                    check("fcvt." + f + ".wu" + hex(integer), rm,
                            () -> cvt.fromInteger(f, integer & mask32, true, rm), m,
                            () -> integerResult(f, unsignedWord, rm));
                }
                for (double v : new double[] {Double.longBitsToDouble(d), scaled, fromSingle}) {
                    String x = hex(Double.doubleToRawLongBits(v));
                    check("fcvt.w" + x, rm, () -> cvt.toInteger(v, FloatConversions.W, rm), -1L,
                            () -> ReferenceFloat.toInteger(v, false, 32, rm));
                    check("fcvt.wu" + x, rm, () -> cvt.toInteger(v, FloatConversions.WU, rm), -1L,
                            () -> ReferenceFloat.toInteger(v, true, 32, rm));
                    check("fcvt.l" + x, rm, () -> cvt.toInteger(v, FloatConversions.L, rm), -1L,
                            () -> ReferenceFloat.toInteger(v, false, 64, rm));
                    check("fcvt.lu" + x, rm, () -> cvt.toInteger(v, FloatConversions.LU, rm), -1L,
                            () -> ReferenceFloat.toInteger(v, true, 64, rm));
                }
            }
        }
    }

    private static Result integerResult(FloatFormat f, BigInteger v, int rm) {
        return v.signum() == 0 ? new Result(0, 0) : ReferenceFloat.round(f, ReferenceFloat.ofInteger(v), rm);
    }
}
