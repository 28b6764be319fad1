package org.osgemu.cpu.riscv.hart;

import org.osgemu.cpu.riscv.decode.Op;

/**
 * The M extension. Division never traps: by zero the quotient is all ones and the remainder
 * the dividend; the signed overflow (most negative / -1) gives the dividend and remainder 0
 * (unprivileged manual, table "Semantics for division by zero and division overflow"). Java's
 * {@code /} and {@code %} already give the overflow results.
 */
final class MulDiv {

    private MulDiv() {
    }

    static long compute(int op, long a, long b) {
        return switch (op) {
            case Op.MUL -> a * b;
            case Op.MULH -> Math.multiplyHigh(a, b);
            // a signed, b unsigned: the signed high product, plus a when b's top bit was read as a sign
            case Op.MULHSU -> Math.multiplyHigh(a, b) + (b < 0 ? a : 0);
            case Op.MULHU -> Math.unsignedMultiplyHigh(a, b);
            case Op.DIV -> b == 0 ? -1 : a / b;
            case Op.DIVU -> b == 0 ? -1 : Long.divideUnsigned(a, b);
            case Op.REM -> b == 0 ? a : a % b;
            case Op.REMU -> b == 0 ? a : Long.remainderUnsigned(a, b);
            case Op.MULW -> (int) a * (int) b;
            case Op.DIVW -> (int) b == 0 ? -1 : (int) a / (int) b;
            case Op.DIVUW -> (int) b == 0 ? -1 : Integer.divideUnsigned((int) a, (int) b);
            case Op.REMW -> (int) b == 0 ? (int) a : (int) a % (int) b;
            case Op.REMUW -> (int) b == 0 ? (int) a : Integer.remainderUnsigned((int) a, (int) b);
            default -> throw new IllegalArgumentException("not an M-extension operation: " + Op.name(op));
        };
    }
}
