package org.osgemu.cpu.riscv.testing;

import org.osgemu.cpu.riscv.hart.Csr;

/**
 * Base of FP instruction tests: programs that start with mstatus.FS = Initial, helpers that put
 * constants into FP registers through integer registers, and readers of FP registers and
 * fflags from the hart's register dump.
 */
public abstract class FloatHartTest extends HartTest {

    /** FP register names in the order of their numbers, as the register dump lists them. */
    public static final String[] FP_ABI = {
        "ft0", "ft1", "ft2", "ft3", "ft4", "ft5", "ft6", "ft7", "fs0", "fs1", "fa0", "fa1", "fa2", "fa3", "fa4", "fa5",
        "fa6", "fa7", "fs2", "fs3", "fs4", "fs5", "fs6", "fs7", "fs8", "fs9", "fs10", "fs11", "ft8", "ft9", "ft10",
        "ft11"};

    /** mstatus.FS = Initial: FP instructions allowed, state not yet dirty. */
    public static final long FS_INITIAL = 1L << 13;

    /** A program with the FP unit switched on (FS = Initial); clobbers t0 and t6. */
    protected Asm fpProgram() {
        return program().li(Asm.T0, FS_INITIAL).csrs(Csr.MSTATUS, Asm.T0);
    }

    /** Emits code putting binary64 {@code v} into FP register {@code fd} (clobbers t0). */
    protected static Asm loadDouble(Asm a, int fd, double v) {
        return loadDoubleBits(a, fd, Double.doubleToRawLongBits(v));
    }

    protected static Asm loadDoubleBits(Asm a, int fd, long bits) {
        return a.li(Asm.T0, bits).fmv_d_x(fd, Asm.T0);
    }

    /** Emits code putting binary32 {@code v}, NaN-boxed, into FP register {@code fd} (clobbers t0). */
    protected static Asm loadSingle(Asm a, int fd, float v) {
        return loadSingleBits(a, fd, Float.floatToRawIntBits(v));
    }

    protected static Asm loadSingleBits(Asm a, int fd, int bits) {
        return a.li(Asm.T0, bits).fmv_w_x(fd, Asm.T0);
    }

    /** The raw 64 bits of FP register {@code r}. */
    protected long f(int r) {
        return reg(FP_ABI[r]);
    }

    /** FP register {@code r} as a binary64 value. */
    protected double fd(int r) {
        return Double.longBitsToDouble(f(r));
    }

    /** The low half of FP register {@code r} as a binary32 value (the boxing is not checked). */
    protected float fs(int r) {
        return Float.intBitsToFloat((int) f(r));
    }

    protected long fflags() {
        return reg("fcsr") & 0x1F;
    }

    protected long mstatusFs() {
        return (reg("mstatus") >>> 13) & 3;
    }
}
