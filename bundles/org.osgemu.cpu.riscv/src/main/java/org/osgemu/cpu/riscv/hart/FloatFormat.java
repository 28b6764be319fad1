package org.osgemu.cpu.riscv.hart;

/**
 * The two IEEE 754 binary interchange formats of the F and D extensions, described by their
 * precision and exponent width; every bit pattern helper the soft-float code needs is derived
 * from those two numbers. Values are handled as raw bits in the low bits of a {@code long}.
 */
enum FloatFormat {
    /** binary32: 24-bit significand, 8-bit exponent. */
    SINGLE(24, 8),
    /** binary64: 53-bit significand, 11-bit exponent. */
    DOUBLE(53, 11);

    /** Significand bits including the hidden one (p). */
    final int precision;
    final int bias;
    /** Exponent of the smallest normal number (1 - bias). */
    final int emin;
    /** Exponent of the largest finite number (bias). */
    final int emax;
    final long signBit;
    final long fractionMask;
    /** The hidden bit, the lowest bit of the exponent field. */
    final long hiddenBit;
    /** Exponent field and fraction: the magnitude bits. */
    final long magnitudeMask;
    final long infinity;
    final long maxFinite;
    /** The quiet NaN RISC-V returns for every NaN result: positive, only the quiet bit set. */
    final long canonicalNaN;
    final long quietBit;

    FloatFormat(int precision, int exponentBits) {
        this.precision = precision;
        this.bias = (1 << (exponentBits - 1)) - 1;
        this.emin = 1 - bias;
        this.emax = bias;
        int width = precision + exponentBits;
        this.signBit = 1L << (width - 1);
        this.fractionMask = (1L << (precision - 1)) - 1;
        this.hiddenBit = 1L << (precision - 1);
        this.magnitudeMask = signBit - 1;
        this.infinity = ((1L << exponentBits) - 1) << (precision - 1);
        this.maxFinite = infinity - 1;
        this.quietBit = hiddenBit >>> 1;
        this.canonicalNaN = infinity | quietBit;
    }

    boolean isNaN(long bits) {
        return (bits & magnitudeMask) > infinity;
    }

    boolean isSignalingNaN(long bits) {
        return isNaN(bits) && (bits & quietBit) == 0;
    }

    boolean isInfinite(long bits) {
        return (bits & magnitudeMask) == infinity;
    }

    boolean isZero(long bits) {
        return (bits & magnitudeMask) == 0;
    }

    boolean isNegative(long bits) {
        return (bits & signBit) != 0;
    }

    /** Whether {@code bits} is a subnormal number: exponent field zero, fraction not. */
    boolean isSubnormal(long bits) {
        return (bits & magnitudeMask) != 0 && (bits & infinity) == 0;
    }

    /**
     * The integer significand of a finite number: value = significand * 2^{@link #exponent}.
     * Normal numbers get their hidden bit; subnormals do not.
     */
    long significand(long bits) {
        long fraction = bits & fractionMask;
        return (bits & infinity) == 0 ? fraction : fraction | hiddenBit;
    }

    /** The exponent of the integer significand's lowest bit, for a finite number. */
    int exponent(long bits) {
        int field = (int) ((bits & infinity) >>> (precision - 1));
        return Math.max(field, 1) - bias - (precision - 1);
    }

    /** Zero with the given sign. */
    long zero(boolean negative) {
        return negative ? signBit : 0;
    }
}
