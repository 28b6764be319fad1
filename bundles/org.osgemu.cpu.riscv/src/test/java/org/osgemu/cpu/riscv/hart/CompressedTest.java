package org.osgemu.cpu.riscv.hart;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.osgemu.cpu.riscv.testing.Asm.*;

import org.junit.jupiter.api.Test;
import org.osgemu.cpu.riscv.testing.Asm;
import org.osgemu.cpu.riscv.testing.HartTest;

/** Every RV64C instruction, run and checked against the effect of its expansion. */
class CompressedTest extends HartTest {

    @Test
    void stackPointerForms() {
        run(program().li(SP, DATA + 0x100).li(A0, 0x1122_3344_5566_7788L)
                .c_addi16sp(-64)                 // sp = DATA + 0xC0
                .c_sdsp(A0, 8).c_swsp(A0, 16)
                .c_ldsp(S2, 8).c_lwsp(S3, 16)
                .c_addi4spn(S1, 24)              // s1 = sp + 24
                .c_addi16sp(496)
                .wfi());
        assertEquals(DATA + 0xC0 + 496, x(SP));
        assertEquals(0x1122_3344_5566_7788L, machine.readRam(DATA + 0xC8, 8));
        assertEquals(0x5566_7788L, machine.readRam(DATA + 0xD0, 4));
        assertEquals(0x1122_3344_5566_7788L, x(S2));
        assertEquals(0x5566_7788L, x(S3));
        assertEquals(DATA + 0xC0 + 24, x(S1));
    }

    @Test
    void registerBasedLoadsAndStores() {
        run(program().li(S0, DATA).li(A0, -2L)
                .c_sd(A0, 248, S0).c_sw(A0, 124, S0)
                .c_ld(A1, 248, S0).c_lw(A2, 124, S0)
                .wfi());
        assertEquals(-2L, machine.readRam(DATA + 248, 8));
        assertEquals(0xFFFF_FFFEL, machine.readRam(DATA + 124, 4));
        assertEquals(-2L, x(A1));
        assertEquals(-2L, x(A2));                 // c.lw sign-extends
    }

    @Test
    void immediateForms() {
        run(program()
                .c_li(A0, -32).c_li(A1, 31)
                .c_addi(A0, 5)
                .c_nop()
                .c_lui(A2, -1)                    // 0xFFFF_F000
                .c_lui(A3, 31)
                .li(A4, 0x7FFF_FFFFL).c_addiw(A4, 1)
                .c_slli(A1, 33)
                .li(S0, -256).c_srli(S0, 60).li(S1, -256).c_srai(S1, 4)
                .li(A5, 0xFF).c_andi(A5, -16)
                .wfi());
        assertEquals(-27, x(A0));
        assertEquals(31L << 33, x(A1));
        assertEquals(0xFFFF_FFFF_FFFF_F000L, x(A2));
        assertEquals(31L << 12, x(A3));
        assertEquals(0xFFFF_FFFF_8000_0000L, x(A4));
        assertEquals(15, x(S0));
        assertEquals(-16, x(S1));
        assertEquals(0xF0, x(A5));
    }

    @Test
    void registerForms() {
        run(program().li(S0, 12).li(S1, 5).li(A2, 0x7FFF_FFFFL).li(A3, 1)
                .c_mv(A0, S0)
                .c_add(A0, S1)                    // 17
                .mv(A4, S0).c_sub(A4, S1)         // 7
                .mv(A5, S0).c_xor(A5, S1)
                .mv(S2, S0).mv(T0, S0)
                .c_mv(S3, S0)
                .li(A1, 12).c_or(A1, S1)
                .li(S0, 12).c_and(S0, S1)
                .c_addw(A2, A3)
                .li(A3, 0).li(S1, 1).c_subw(A3, S1)
                .wfi());
        assertEquals(17, x(A0));
        assertEquals(7, x(A4));
        assertEquals(12 ^ 5, x(A5));
        assertEquals(12 | 5, x(A1));
        assertEquals(12 & 5, x(S0));
        assertEquals(0xFFFF_FFFF_8000_0000L, x(A2));
        assertEquals(-1, x(A3));
        assertEquals(12, x(S3));
    }

    @Test
    void jumpsAndBranches() {
        Asm a = program().li(S0, 0).li(S1, 3).li(A0, 0)
                .c_j("skip")
                .li(A0, 99)
                .label("skip")
                .c_beqz(S0, "zero_taken").li(A0, 98)
                .label("zero_taken")
                .c_bnez(S1, "nonzero_taken").li(A0, 97)
                .label("nonzero_taken")
                .c_beqz(S1, "wrong").c_bnez(S0, "wrong")
                .la(T0, "func").c_jalr(T0)
                .label("back")
                .la(T1, "end").c_jr(T1)
                .label("wrong").li(A0, 96)
                .label("end").wfi()
                .label("func").li(A1, 55).c_jr(RA);
        run(a);
        assertEquals(0, x(A0));
        assertEquals(55, x(A1));
        assertEquals(a.address("back"), x(RA));
    }

    @Test
    void cEbreakRaisesABreakpoint() {
        Asm a = program().label("bp").c_ebreak().wfi();
        runToTrap(a, TrapCause.BREAKPOINT);
        assertEquals(a.address("bp"), reg("mepc"));
    }

    @Test
    void compressedAndFullInstructionsMix() {
        // a 32-bit instruction at a 2-byte-aligned address
        Asm a = program().c_li(A0, 1).addi(A0, A0, 1).c_addi(A0, 1).wfi();
        run(a);
        assertEquals(3, x(A0));
    }
}
