package org.osgemu.cpu.riscv.hart;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.osgemu.cpu.riscv.testing.Asm.*;

import org.junit.jupiter.api.Test;
import org.osgemu.cpu.riscv.testing.Asm;
import org.osgemu.cpu.riscv.testing.HartTest;
import org.osgemu.cpu.riscv.testing.TestMachine;

/** RV64I: every base instruction, run as small programs. */
class Rv64iTest extends HartTest {

    @Test
    void luiAndAuipc() {
        Asm a = program()
                .lui(A0, 0x12345)
                .lui(A1, 0x80000)          // sign-extends to 64 bits
                .label("here").auipc(A2, 1)
                .auipc(A3, 0xFFFFF)        // pc - 4096
                .wfi();
        run(a);
        assertEquals(0x12345000L, x(A0));
        assertEquals(0xFFFF_FFFF_8000_0000L, x(A1));
        assertEquals(a.address("here") + 0x1000, x(A2));
        assertEquals(a.address("here") + 4 - 0x1000, x(A3));
    }

    @Test
    void jalAndJalrLinkAndJump() {
        Asm a = program()
                .jal(RA, "func")
                .label("after").li(A1, 1)
                .la(T0, "func2")
                .jalr(S0, T0, 1)           // bit 0 of the target is cleared
                .label("after2").wfi()
                .label("func").li(A0, 42).jalr(ZERO, RA, 0)
                .label("func2").li(A2, 7).jalr(ZERO, S0, 0);
        run(a);
        assertEquals(42, x(A0));
        assertEquals(1, x(A1));
        assertEquals(7, x(A2));
        assertEquals(a.address("after"), x(RA));
        assertEquals(a.address("after2"), x(S0));
    }

    @Test
    void jalrWithRdEqualToRs1UsesTheOldValue() {
        Asm a = program().la(A0, "target").jalr(A0, A0, 0).label("back").wfi()
                .label("target").wfi();
        run(a);
        assertEquals(a.address("back"), x(A0));
        assertEquals(a.address("target") + 4, hart.pc());
    }

    @Test
    void branchesTakeAndFallThrough() {
        Asm a = program().li(A0, -1).li(A1, 1).li(S1, 0)
                // each taken branch adds its bit to s1; a fall-through would add 0x1000
                .beq(A0, A0, "b1").addi(S1, S1, 0x400).label("b1").ori(S1, S1, 1)
                .bne(A0, A1, "b2").addi(S1, S1, 0x400).label("b2").ori(S1, S1, 2)
                .blt(A0, A1, "b3").addi(S1, S1, 0x400).label("b3").ori(S1, S1, 4)
                .bge(A1, A0, "b4").addi(S1, S1, 0x400).label("b4").ori(S1, S1, 8)
                .bltu(A1, A0, "b5").addi(S1, S1, 0x400).label("b5").ori(S1, S1, 16)
                .bgeu(A0, A1, "b6").addi(S1, S1, 0x400).label("b6").ori(S1, S1, 32)
                // not taken
                .li(S2, 0)
                .beq(A0, A1, "n").addi(S2, S2, 1)
                .bne(A0, A0, "n").addi(S2, S2, 1)
                .blt(A1, A0, "n").addi(S2, S2, 1)
                .bge(A0, A1, "n").addi(S2, S2, 1)
                .bltu(A0, A1, "n").addi(S2, S2, 1)
                .bgeu(A1, A0, "n").addi(S2, S2, 1)
                .label("n").wfi();
        run(a);
        assertEquals(63, x(S1));
        assertEquals(6, x(S2));
    }

    @Test
    void backwardBranchLoops() {
        run(program().li(A0, 0).li(A1, 10).label("loop").addi(A0, A0, 3).addi(A1, A1, -1).bne(A1, ZERO, "loop").wfi());
        assertEquals(30, x(A0));
    }

    @Test
    void loadsSignAndZeroExtend() {
        machine.writeRam(DATA, 0x8877_6655_8483_8281L, 8);
        run(program().li(S0, DATA)
                .lb(A0, 0, S0).lbu(A1, 0, S0)
                .lh(A2, 0, S0).lhu(A3, 0, S0)
                .lw(A4, 0, S0).lwu(A5, 0, S0)
                .ld(A6, 0, S0).lb(A7, 7, S0)
                .wfi());
        assertEquals(0xFFFF_FFFF_FFFF_FF81L, x(A0));
        assertEquals(0x81L, x(A1));
        assertEquals(0xFFFF_FFFF_FFFF_8281L, x(A2));
        assertEquals(0x8281L, x(A3));
        assertEquals(0xFFFF_FFFF_8483_8281L, x(A4));
        assertEquals(0x8483_8281L, x(A5));
        assertEquals(0x8877_6655_8483_8281L, x(A6));
        assertEquals(0xFFFF_FFFF_FFFF_FF88L, x(A7));
    }

    @Test
    void storesWriteTheLowBytesAndMarkRamDirty() {
        run(program().li(S0, DATA).li(A0, 0x1122_3344_5566_7788L)
                .sd(A0, 0, S0).sw(A0, 8, S0).sh(A0, 16, S0).sb(A0, 24, S0).sb(A0, -1, S0)
                .wfi());
        assertEquals(0x1122_3344_5566_7788L, machine.readRam(DATA, 8));
        assertEquals(0x5566_7788L, machine.readRam(DATA + 8, 8));
        assertEquals(0x7788L, machine.readRam(DATA + 16, 8));
        assertEquals(0x88L, machine.readRam(DATA + 24, 8));
        assertEquals(0x88L, machine.readRam(DATA - 1, 1));
        assertEquals(true, machine.ram.isDirty(org.osgemu.api.memory.DirtyClient.MIGRATION, DATA - TestMachine.RAM_BASE));
    }

    @Test
    void immediateArithmeticAndLogic() {
        run(program().li(A0, 100)
                .addi(S1, A0, -101)
                .slti(S2, A0, 101).slti(S3, A0, -1)
                .sltiu(S4, A0, -1)       // -1 is the largest unsigned value
                .sltiu(S5, A0, 100)
                .xori(S6, A0, -1)
                .ori(S7, A0, 0x0F)
                .andi(S8, A0, 0x0F)
                .wfi());
        assertEquals(-1, x(S1));
        assertEquals(1, x(S2));
        assertEquals(0, x(S3));
        assertEquals(1, x(S4));
        assertEquals(0, x(S5));
        assertEquals(~100L, x(S6));
        assertEquals(100 | 15, x(S7));
        assertEquals(100 & 15, x(S8));
    }

    @Test
    void shiftsUseSixBitAmounts() {
        run(program().li(A0, 0x8000_0000_0000_0001L).li(A1, 65)
                .slli(S1, A0, 63).srli(S2, A0, 63).srai(S3, A0, 63)
                .sll(S4, A0, A1).srl(S5, A0, A1).sra(S6, A0, A1)
                .wfi());
        assertEquals(0x8000_0000_0000_0000L, x(S1));
        assertEquals(1, x(S2));
        assertEquals(-1, x(S3));
        assertEquals(2, x(S4));                       // shift by 65 & 63 = 1
        assertEquals(0x4000_0000_0000_0000L, x(S5));
        assertEquals(0xC000_0000_0000_0000L, x(S6));
    }

    @Test
    void registerArithmeticAndCompare() {
        run(program().li(A0, -5).li(A1, 3)
                .add(S1, A0, A1).sub(S2, A1, A0)
                .slt(S3, A0, A1).sltu(S4, A0, A1)
                .xor(S5, A0, A1).or(S6, A0, A1).and(S7, A0, A1)
                .wfi());
        assertEquals(-2, x(S1));
        assertEquals(8, x(S2));
        assertEquals(1, x(S3));
        assertEquals(0, x(S4));
        assertEquals(-5L ^ 3, x(S5));
        assertEquals(-5L | 3, x(S6));
        assertEquals(-5L & 3, x(S7));
    }

    @Test
    void wordOperationsSignExtendTheirResults() {
        run(program().li(A0, 0x7FFF_FFFFL).li(A1, 1).li(A2, 0xFFFF_FFFF_0000_0010L).li(A3, 36)
                .addiw(S1, A0, 1)
                .slliw(S2, A1, 31)
                .srliw(S3, A2, 4)
                .sraiw(S4, S2, 4)
                .addw(S5, A0, A1)
                .subw(S6, ZERO, A0)
                .sllw(S7, A1, A3)          // amount taken mod 32: 4
                .srlw(S8, S2, A3)
                .sraw(S9, S2, A3)
                .addiw(S10, A2, 0)         // sext.w
                .wfi());
        assertEquals(0xFFFF_FFFF_8000_0000L, x(S1));
        assertEquals(0xFFFF_FFFF_8000_0000L, x(S2));
        assertEquals(1, x(S3));
        assertEquals(0xFFFF_FFFF_F800_0000L, x(S4));
        assertEquals(0xFFFF_FFFF_8000_0000L, x(S5));
        assertEquals(0xFFFF_FFFF_8000_0001L, x(S6));
        assertEquals(16, x(S7));
        assertEquals(0x0800_0000L, x(S8));
        assertEquals(0xFFFF_FFFF_F800_0000L, x(S9));
        assertEquals(16, x(S10));
    }

    @Test
    void writesToX0AreDiscarded() {
        run(program().addi(ZERO, ZERO, 5).lui(ZERO, 1).add(A0, ZERO, ZERO).wfi());
        assertEquals(0, x(ZERO));
        assertEquals(0, x(A0));
    }

    @Test
    void liBuildsAnyConstant() {
        long[] values = {0, 1, -1, 2047, -2048, 2048, 0x7FFF_FFFFL, -0x8000_0000L, 0x8000_0000L,
            0x1234_5678_9ABC_DEF0L, Long.MIN_VALUE, Long.MAX_VALUE, 0xFFFF_FFFF_FFFF_F800L};
        Asm a = program();
        for (int i = 0; i < values.length; i++) {
            a.li(A0, values[i]).li(S0, DATA + 8 * i).sd(A0, 0, S0);
        }
        run(a.wfi());
        for (int i = 0; i < values.length; i++) {
            assertEquals(values[i], machine.readRam(DATA + 8 * i, 8), "li " + values[i]);
        }
    }

    @Test
    void fencesAreAcceptedAndFenceIMakesNewCodeVisible() {
        // The program rewrites the instruction at "patched" (li a0, 1 -> li a0, 2), then runs it.
        Asm a = program()
                .fence()
                .la(S0, "patched").li(T0, 0x00200513) // addi a0, zero, 2
                .label("first").jal(RA, "patched")
                .mv(S1, A0)
                .sw(T0, 0, S0)
                .fence_i()
                .jal(RA, "patched")
                .wfi()
                .label("patched").addi(A0, ZERO, 1).jalr(ZERO, RA, 0);
        run(a);
        assertEquals(1, x(S1));
        assertEquals(2, x(A0));
    }

    @Test
    void executesFromRom() {
        Asm rom = new Asm(TestMachine.ROM_BASE).li(A0, 77).li(T0, TestMachine.RAM_BASE + 0x100).jalr(ZERO, T0, 0);
        byte[] code = rom.assemble();
        machine.bus.loadBytes(TestMachine.ROM_BASE, code, 0, code.length);
        Asm a = program().li(T0, TestMachine.ROM_BASE).jalr(ZERO, T0, 0);
        while (a.here() < TestMachine.RAM_BASE + 0x100) {
            a.nop();
        }
        run(a.wfi());
        assertEquals(77, x(A0));
    }
}
