package org.osgemu.cpu.riscv.hart;

/**
 * Sums, products, quotients and fused multiply-adds of finite, nonzero binary numbers computed
 * exactly in integers (or exactly enough: every bit that could change the rounding is kept,
 * the rest is folded into a sticky bit) and handed to {@link FloatRounder#round}. This is the
 * path for every rounding mode and every corner (subnormals, overflow, underflow); the
 * hardware fast paths of {@link Binary64} fall back to it when they cannot vouch for a result.
 *
 * <p>Operands are raw bits of format {@code f}; zeros, infinities and NaNs are the callers'
 * business.
 */
final class ExactArithmetic {

    /** Where operands are normalized: their leading bit at bit 61 leaves room for one carry. */
    private static final int TOP = 61;

    private final FloatRounder rounder;

    ExactArithmetic(FloatRounder rounder) {
        this.rounder = rounder;
    }

    /** {@code a + b} rounded. */
    long add(FloatFormat f, long a, long b, int rm) {
        long ma = f.significand(a);
        long mb = f.significand(b);
        int na = Long.numberOfLeadingZeros(ma) - (63 - TOP);
        int nb = Long.numberOfLeadingZeros(mb) - (63 - TOP);
        ma <<= na;
        mb <<= nb;
        int ea = f.exponent(a) - na;
        int eb = f.exponent(b) - nb;
        boolean negA = f.isNegative(a);
        boolean negB = f.isNegative(b);
        if (ea < eb || (ea == eb && ma < mb)) { // make a the larger magnitude
            long m = ma; ma = mb; mb = m;
            int e = ea; ea = eb; eb = e;
            boolean n = negA; negA = negB; negB = n;
        }
        int d = ea - eb;
        long small;
        boolean sticky;
        if (d == 0) {
            small = mb;
            sticky = false;
        } else if (d < 64) {
            small = mb >>> d;
            sticky = (mb << (64 - d)) != 0;
        } else {
            small = 0;
            sticky = true;
        }
        // Bits are only lost when d exceeds the zeros below a significand (at least 9), so a
        // difference with a sticky bit keeps at least 60 bits.
        long m = negA == negB ? ma + small : ma - small - (sticky ? 1 : 0);
        if (m == 0) {
            return f.zero(FloatRounder.zeroSumIsNegative(negA, negB, rm));
        }
        return rounder.round(f, negA, m, ea, sticky, rm);
    }

    /** {@code a * b} rounded. */
    long multiply(FloatFormat f, long a, long b, int rm) {
        boolean negative = f.isNegative(a) != f.isNegative(b);
        long ma = f.significand(a);
        long mb = f.significand(b);
        long hi = Math.multiplyHigh(ma, mb); // both below 2^53: the 106-bit product is positive
        long lo = ma * mb;
        int e = f.exponent(a) + f.exponent(b);
        if (hi == 0 && lo >= 0) {
            return rounder.round(f, negative, lo, e, false, rm);
        }
        int length = hi != 0 ? 128 - Long.numberOfLeadingZeros(hi) : 64;
        int s = length - (TOP + 1);
        long m = (hi << (64 - s)) | (lo >>> s);
        boolean sticky = (lo << (64 - s)) != 0;
        return rounder.round(f, negative, m, e + s, sticky, rm);
    }

    /** {@code a / b} rounded. */
    long divide(FloatFormat f, long a, long b, int rm) {
        boolean negative = f.isNegative(a) != f.isNegative(b);
        long ma = f.significand(a);
        long mb = f.significand(b);
        // Both significands normalized to [2^52, 2^53): the quotient lies in (1/2, 2).
        int na = Long.numberOfLeadingZeros(ma) - 11;
        int nb = Long.numberOfLeadingZeros(mb) - 11;
        ma <<= na;
        mb <<= nb;
        int e = (f.exponent(a) - na) - (f.exponent(b) - nb);
        // Long division, ten quotient bits per step: q = floor(ma * 2^60 / mb), more than p + 1 bits.
        long q = 0;
        long rest = ma;
        for (int i = 0; i < 6; i++) {
            rest <<= 10;
            q = (q << 10) | (rest / mb);
            rest %= mb;
        }
        return rounder.round(f, negative, q, e - 60, rest != 0, rm);
    }

    /**
     * {@code a * b + c} with a single rounding. The product is exact in 128 bits; both terms are
     * normalized with their leading bit at bit 125 and the smaller one shifted into place, its
     * lost bits (only possible when it is far below the larger one) becoming a sticky bit.
     */
    long fusedMultiplyAdd(FloatFormat f, long a, long b, long c, int rm) {
        boolean negP = f.isNegative(a) != f.isNegative(b);
        boolean negC = f.isNegative(c);
        long ma = f.significand(a);
        long mb = f.significand(b);
        long pHi = Math.multiplyHigh(ma, mb);
        long pLo = ma * mb;
        int pLength = pHi != 0 ? 128 - Long.numberOfLeadingZeros(pHi) : 64 - Long.numberOfLeadingZeros(pLo);
        int up = 126 - pLength;
        if (up >= 64) {
            pHi = pLo << (up - 64);
            pLo = 0;
        } else if (up > 0) {
            pHi = (pHi << up) | (pLo >>> (64 - up));
            pLo <<= up;
        }
        int ep = f.exponent(a) + f.exponent(b) - up;
        long mc = f.significand(c);
        int upC = 126 - (64 - Long.numberOfLeadingZeros(mc)); // at least 73
        long cHi = mc << (upC - 64);
        long cLo = 0;
        int ec = f.exponent(c) - upC;

        boolean productLarger = ep > ec || (ep == ec && Long.compareUnsigned(pHi, cHi) >= 0);
        long bHi = productLarger ? pHi : cHi;
        long bLo = productLarger ? pLo : cLo;
        long sHi = productLarger ? cHi : pHi;
        long sLo = productLarger ? cLo : pLo;
        int eBig = productLarger ? ep : ec;
        boolean negBig = productLarger ? negP : negC;
        int d = Math.abs(ep - ec);
        boolean sticky;
        if (d == 0) {
            sticky = false;
        } else if (d < 64) {
            sticky = (sLo << (64 - d)) != 0;
            sLo = (sLo >>> d) | (sHi << (64 - d));
            sHi >>>= d;
        } else if (d < 128) {
            sticky = sLo != 0 || (d > 64 && (sHi << (128 - d)) != 0);
            sLo = sHi >>> (d - 64);
            sHi = 0;
        } else {
            sticky = true;
            sHi = 0;
            sLo = 0;
        }
        long hi;
        long lo;
        if (negP == negC) {
            lo = bLo + sLo;
            hi = bHi + sHi + (Long.compareUnsigned(lo, bLo) < 0 ? 1 : 0);
        } else {
            lo = bLo - sLo;
            hi = bHi - sHi - (Long.compareUnsigned(bLo, sLo) < 0 ? 1 : 0);
            if (sticky) { // the true value lies just below: step down one unit, keep the sticky bit
                hi -= lo == 0 ? 1 : 0;
                lo--;
            }
        }
        if (hi == 0 && lo == 0) {
            return f.zero(FloatRounder.zeroSumIsNegative(negP, negC, rm));
        }
        int length = hi != 0 ? 128 - Long.numberOfLeadingZeros(hi) : 64 - Long.numberOfLeadingZeros(lo);
        int s = length - (TOP + 1);
        long m;
        if (s <= 0) {
            m = lo;
            s = 0;
        } else if (s < 64) {
            sticky |= (lo << (64 - s)) != 0;
            m = (lo >>> s) | (hi << (64 - s));
        } else {
            sticky |= lo != 0 || (s > 64 && (hi << (128 - s)) != 0);
            m = hi >>> (s - 64);
        }
        return rounder.round(f, negBig, m, eBig + s, sticky, rm);
    }
}
