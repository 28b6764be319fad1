package org.osgemu.cpu.riscv.hart;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.osgemu.cpu.riscv.testing.Asm.*;

import java.math.BigInteger;

import org.junit.jupiter.api.Test;
import org.osgemu.cpu.riscv.testing.HartTest;

/** The M extension, including the division corner cases that must not trap. */
class Rv64mTest extends HartTest {

    @Test
    void multiplications() {
        long a = 0x9234_5678_9ABC_DEF1L;
        long b = 0x7EDC_BA98_7654_3211L;
        run(program().li(A0, a).li(A1, b)
                .mul(S1, A0, A1).mulh(S2, A0, A1).mulhsu(S3, A0, A1).mulhu(S4, A0, A1)
                .mulhsu(S5, A1, A0)
                .mulw(S6, A0, A1)
                .wfi());
        BigInteger sa = BigInteger.valueOf(a);
        BigInteger sb = BigInteger.valueOf(b);
        BigInteger ua = new BigInteger(Long.toUnsignedString(a));
        BigInteger ub = new BigInteger(Long.toUnsignedString(b));
        assertEquals(a * b, x(S1));
        assertEquals(sa.multiply(sb).shiftRight(64).longValue(), x(S2));
        assertEquals(sa.multiply(ub).shiftRight(64).longValue(), x(S3));
        assertEquals(ua.multiply(ub).shiftRight(64).longValue(), x(S4));
        assertEquals(sb.multiply(ua).shiftRight(64).longValue(), x(S5));
        assertEquals((long) ((int) a * (int) b), x(S6));
    }

    @Test
    void divisionAndRemainder() {
        run(program().li(A0, -7).li(A1, 2)
                .div(S1, A0, A1).divu(S2, A0, A1).rem(S3, A0, A1).remu(S4, A0, A1)
                .divw(S5, A0, A1).divuw(S6, A0, A1).remw(S7, A0, A1).remuw(S8, A0, A1)
                .wfi());
        assertEquals(-3, x(S1));
        assertEquals(Long.divideUnsigned(-7, 2), x(S2));
        assertEquals(-1, x(S3));
        assertEquals(Long.remainderUnsigned(-7, 2), x(S4));
        assertEquals(-3, x(S5));
        assertEquals((long) Integer.divideUnsigned(-7, 2), x(S6));
        assertEquals(-1, x(S7));
        assertEquals((long) Integer.remainderUnsigned(-7, 2), x(S8));
    }

    @Test
    void divisionByZeroGivesAllOnesAndTheDividend() {
        run(program().li(A0, 1234)
                .div(S1, A0, ZERO).divu(S2, A0, ZERO).rem(S3, A0, ZERO).remu(S4, A0, ZERO)
                .divw(S5, A0, ZERO).divuw(S6, A0, ZERO).remw(S7, A0, ZERO).remuw(S8, A0, ZERO)
                .wfi());
        assertEquals(-1, x(S1));
        assertEquals(-1, x(S2));
        assertEquals(1234, x(S3));
        assertEquals(1234, x(S4));
        assertEquals(-1, x(S5));
        assertEquals(-1, x(S6));
        assertEquals(1234, x(S7));
        assertEquals(1234, x(S8));
    }

    @Test
    void signedOverflowGivesTheDividendAndZero() {
        run(program().li(A0, Long.MIN_VALUE).li(A1, -1).li(A2, Integer.MIN_VALUE)
                .div(S1, A0, A1).rem(S2, A0, A1)
                .divw(S3, A2, A1).remw(S4, A2, A1)
                .wfi());
        assertEquals(Long.MIN_VALUE, x(S1));
        assertEquals(0, x(S2));
        assertEquals(Integer.MIN_VALUE, x(S3));
        assertEquals(0, x(S4));
    }

    @Test
    void wordFormsUseOnlyTheLow32Bits() {
        run(program().li(A0, 0x1_0000_0006L).li(A1, 0x5_0000_0004L)
                .divw(S1, A0, A1).remuw(S2, A0, A1).mulw(S3, A0, A1)
                .wfi());
        assertEquals(1, x(S1));
        assertEquals(2, x(S2));
        assertEquals(24, x(S3));
    }
}
