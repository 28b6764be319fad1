package org.osgemu.cpu.riscv.hart;

import static org.osgemu.cpu.riscv.hart.FloatRounder.*;

/**
 * The FCVT instructions: floating-point to integer with the RISC-V saturation rules (the
 * "F" chapter's table of out-of-range results: NaN and too large give the largest value, too
 * small the smallest, and only NV is raised), integer to floating-point, and between binary32
 * and binary64.
 */
final class FloatConversions {

    /** Integer sides of FCVT: 32-bit signed and unsigned, 64-bit signed and unsigned. */
    static final int W = 0, WU = 1, L = 2, LU = 3;

    private final FloatRounder rounder;

    FloatConversions(FloatRounder rounder) {
        this.rounder = rounder;
    }

    /**
     * Converts {@code v}, the exact value of a binary32 or binary64 operand, to integer
     * {@code kind} rounding in mode {@code rm}; returns the value for the integer register
     * (32-bit results sign-extended, the unsigned ones too).
     */
    long toInteger(double v, int kind, int rm) {
        double r = roundToIntegral(v, rm);
        double min = kind == W ? -0x1p31 : kind == L ? -0x1p63 : 0;
        double end = switch (kind) {
            case W -> 0x1p31;
            case WU -> 0x1p32;
            case L -> 0x1p63;
            default -> 0x1p64;
        };
        if (!(r >= min && r < end)) { // also NaN
            rounder.flags |= NV;
            return saturated(kind, v < 0);
        }
        if (r != v) {
            rounder.flags |= NX;
        }
        long n = kind == LU && r >= 0x1p63 ? (long) (r - 0x1p63) ^ Long.MIN_VALUE : (long) r;
        return kind == W || kind == WU ? (int) n : n;
    }

    private static long saturated(int kind, boolean negative) {
        return switch (kind) {
            case W -> negative ? Integer.MIN_VALUE : Integer.MAX_VALUE;
            case WU -> negative ? 0 : (int) 0xFFFF_FFFFL;
            case L -> negative ? Long.MIN_VALUE : Long.MAX_VALUE;
            default -> negative ? 0 : -1L;
        };
    }

    /** {@code v} rounded to an integral value in mode {@code rm}; infinities and NaN pass through. */
    static double roundToIntegral(double v, int rm) {
        return switch (rm) {
            case RNE -> Math.rint(v);
            case RTZ -> v < 0 ? Math.ceil(v) : Math.floor(v);
            case RDN -> Math.floor(v);
            case RUP -> Math.ceil(v);
            default -> roundHalfAway(v);
        };
    }

    private static double roundHalfAway(double v) {
        double magnitude = Math.abs(v);
        if (!(magnitude < 0x1p52)) {
            return v; // already integral, infinite or NaN
        }
        double whole = Math.floor(magnitude);
        double rounded = magnitude - whole >= 0.5 ? whole + 1 : whole; // the difference is exact
        return Math.copySign(rounded, v);
    }

    /**
     * Converts the integer {@code value} (unsigned when {@code unsigned}) to format {@code f}
     * rounding in mode {@code rm}; returns the raw bits.
     */
    long fromInteger(FloatFormat f, long value, boolean unsigned, int rm) {
        if (value == 0) {
            return 0;
        }
        boolean negative = !unsigned && value < 0;
        long magnitude = negative ? -value : value; // read as unsigned: -Long.MIN_VALUE is 2^63
        if (magnitude < 0) {
            // 64 significant bits: keep 63 and the last one as the sticky bit
            return rounder.round(f, negative, magnitude >>> 1, 1, (magnitude & 1) != 0, rm);
        }
        return rounder.round(f, negative, magnitude, 0, false, rm);
    }

    /** FCVT.S.D: rounds binary64 {@code d} to binary32. */
    int toSingle(long d, int rm) {
        FloatFormat f = FloatFormat.DOUBLE;
        if (f.isNaN(d)) {
            if (f.isSignalingNaN(d)) {
                rounder.flags |= NV;
            }
            return Binary32.CANONICAL_NAN;
        }
        double v = Double.longBitsToDouble(d);
        if (Double.isInfinite(v)) {
            return Float.floatToRawIntBits((float) v);
        }
        return rounder.toSingle(v, rm);
    }

    /** FCVT.D.S: binary32 {@code s} to binary64, always exact. */
    long toDouble(int s) {
        FloatFormat f = FloatFormat.SINGLE;
        long bits = s & 0xFFFF_FFFFL;
        if (f.isNaN(bits)) {
            if (f.isSignalingNaN(bits)) {
                rounder.flags |= NV;
            }
            return Binary64.CANONICAL_NAN;
        }
        return Double.doubleToRawLongBits(Float.intBitsToFloat(s));
    }
}
