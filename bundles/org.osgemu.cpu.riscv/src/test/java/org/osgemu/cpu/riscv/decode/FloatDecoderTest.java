package org.osgemu.cpu.riscv.decode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.osgemu.cpu.riscv.testing.Asm.*;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;

import org.junit.jupiter.api.Test;
import org.osgemu.cpu.riscv.testing.Asm;

/** Decoding of the F and D instructions: every form, the packed rm/rs3 operand, compressed loads and stores. */
class FloatDecoderTest {

    private final InstructionDecoder decoder = new InstructionDecoder();

    /** One assembler form per F/D operation, by mnemonic; {@link InstructionDecoderTest} checks them all. */
    static Map<String, Consumer<Asm>> everyForm() {
        Map<String, Consumer<Asm>> m = new LinkedHashMap<>();
        m.put("flw", a -> a.flw(1, 4, A1));
        m.put("fsw", a -> a.fsw(1, 4, A1));
        m.put("fld", a -> a.fld(1, 8, A1));
        m.put("fsd", a -> a.fsd(1, 8, A1));
        m.put("fmadd.s", a -> a.fmadd_s(1, 2, 3, 4, RNE));
        m.put("fmsub.s", a -> a.fmsub_s(1, 2, 3, 4, RNE));
        m.put("fnmsub.s", a -> a.fnmsub_s(1, 2, 3, 4, RNE));
        m.put("fnmadd.s", a -> a.fnmadd_s(1, 2, 3, 4, RNE));
        m.put("fmadd.d", a -> a.fmadd_d(1, 2, 3, 4, RNE));
        m.put("fmsub.d", a -> a.fmsub_d(1, 2, 3, 4, RNE));
        m.put("fnmsub.d", a -> a.fnmsub_d(1, 2, 3, 4, RNE));
        m.put("fnmadd.d", a -> a.fnmadd_d(1, 2, 3, 4, RNE));
        m.put("fadd.s", a -> a.fadd_s(1, 2, 3, DYN));
        m.put("fsub.s", a -> a.fsub_s(1, 2, 3, DYN));
        m.put("fmul.s", a -> a.fmul_s(1, 2, 3, DYN));
        m.put("fdiv.s", a -> a.fdiv_s(1, 2, 3, DYN));
        m.put("fsqrt.s", a -> a.fsqrt_s(1, 2, DYN));
        m.put("fadd.d", a -> a.fadd_d(1, 2, 3, DYN));
        m.put("fsub.d", a -> a.fsub_d(1, 2, 3, DYN));
        m.put("fmul.d", a -> a.fmul_d(1, 2, 3, DYN));
        m.put("fdiv.d", a -> a.fdiv_d(1, 2, 3, DYN));
        m.put("fsqrt.d", a -> a.fsqrt_d(1, 2, DYN));
        for (String w : new String[] {"s", "d"}) {
            for (String r : new String[] {"fsgnj", "fsgnjn", "fsgnjx", "fmin", "fmax", "feq", "flt", "fle"}) {
                m.put(r + "." + w, a -> invoke(a, r + "_" + w, 1, 2, 3));
            }
            for (String c : new String[] {"w", "wu", "l", "lu"}) {
                m.put("fcvt." + c + "." + w, a -> invoke(a, "fcvt_" + c + "_" + w, A0, 2, RTZ));
                m.put("fcvt." + w + "." + c, a -> invoke(a, "fcvt_" + w + "_" + c, 1, A0, DYN));
            }
        }
        m.put("fmv.x.w", a -> a.fmv_x_w(A0, 1));
        m.put("fmv.w.x", a -> a.fmv_w_x(1, A0));
        m.put("fclass.s", a -> a.fclass_s(A0, 1));
        m.put("fmv.x.d", a -> a.fmv_x_d(A0, 1));
        m.put("fmv.d.x", a -> a.fmv_d_x(1, A0));
        m.put("fclass.d", a -> a.fclass_d(A0, 1));
        m.put("fcvt.s.d", a -> a.fcvt_s_d(1, 2, DYN));
        m.put("fcvt.d.s", a -> a.fcvt_d_s(1, 2, DYN));
        return m;
    }

    private static void invoke(Asm a, String method, int x, int y, int z) {
        try {
            Asm.class.getMethod(method, int.class, int.class, int.class).invoke(a, x, y, z);
        } catch (ReflectiveOperationException e) {
            throw new AssertionError("no assembler method " + method, e);
        }
    }

    private int word(Consumer<Asm> form) {
        Asm a = new Asm(0x1000);
        form.accept(a);
        byte[] code = a.assemble();
        return code.length == 2 ? (code[0] & 0xFF) | (code[1] & 0xFF) << 8
                : ByteBuffer.wrap(code).order(ByteOrder.LITTLE_ENDIAN).getInt();
    }

    @Test
    void fusedMultiplyAddPacksRoundingModeAndThirdSourceIntoTheImmediate() {
        assertTrue(decoder.decode(word(a -> a.fnmadd_d(31, 30, 29, 28, RMM))));
        assertEquals(Op.FNMADD_D, decoder.op());
        assertEquals(31, decoder.rd());
        assertEquals(30, decoder.rs1());
        assertEquals(29, decoder.rs2());
        assertEquals(RMM | 28 << 3, decoder.imm());
        assertTrue(decoder.decode(word(a -> a.fdiv_s(5, 6, 7, RUP))));
        assertEquals(RUP, decoder.imm());
    }

    @Test
    void reservedRoundingModesStillDecodeAndTrapOnlyWhenExecuted() {
        // rm = 5 and 6 are reserved; rejecting them is the FPU's job, where DYN is resolved too.
        assertTrue(decoder.decode(word(a -> a.fadd_d(1, 2, 3, 5))));
        assertEquals(5, decoder.imm());
    }

    @Test
    void wellKnownEncodings() {
        assertTrue(decoder.decode(0x00b57553));   // fadd.s fa0, fa0, fa1 (rm = dyn)
        assertEquals(Op.FADD_S, decoder.op());
        assertEquals(7, decoder.imm());
        assertTrue(decoder.decode(0xe2050553));   // fmv.x.d a0, fa0
        assertEquals(Op.FMV_X_D, decoder.op());
        assertTrue(decoder.decode(0xc2051553));   // fcvt.w.d a0, fa0, rtz
        assertEquals(Op.FCVT_W_D, decoder.op());
        assertEquals(RTZ, decoder.imm());
        assertTrue(decoder.decode(0x00053507));   // fld fa0, 0(a0)
        assertEquals(Op.FLD, decoder.op());
    }

    @Test
    void compressedDoubleLoadsAndStoresExpandToFldAndFsd() {
        Map<Consumer<Asm>, int[]> forms = new LinkedHashMap<>();
        // op, rd, rs1, rs2, imm
        forms.put(a -> a.c_fld(9, 248, S1), new int[] {Op.FLD, 9, S1, 0, 248});
        forms.put(a -> a.c_fsd(15, 8, A5), new int[] {Op.FSD, 0, A5, 15, 8});
        forms.put(a -> a.c_fldsp(0, 504), new int[] {Op.FLD, 0, SP, 0, 504});
        forms.put(a -> a.c_fsdsp(31, 496), new int[] {Op.FSD, 0, SP, 31, 496});
        for (Map.Entry<Consumer<Asm>, int[]> e : forms.entrySet()) {
            int half = word(e.getKey());
            int[] want = e.getValue();
            String what = "0x" + Integer.toHexString(half);
            assertTrue(decoder.decode(half), what);
            assertTrue(decoder.compressed(), what);
            assertEquals(Op.name(want[0]), Op.name(decoder.op()), what);
            assertEquals(want[1], decoder.rd(), what + " rd");
            assertEquals(want[2], decoder.rs1(), what + " rs1");
            assertEquals(want[3], decoder.rs2(), what + " rs2");
            assertEquals(want[4], decoder.imm(), what + " imm");
        }
    }

    @Test
    void encodingsOutsideFAndDAreIllegal() {
        int[] words = {
            0x04000053,                 // fadd with fmt 10 (half precision, no Zfh)
            0x06000053,                 // fadd with fmt 11 (quad precision, no Q)
            0x0000404B | 3 << 25,       // fnmsub.q
            0x58100053,                 // fsqrt.s with rs2 = 1
            0x20003053,                 // fsgnj.s with funct3 011
            0x28002053,                 // fmin.s with funct3 010
            0xA0003053,                 // feq/flt/fle.s with funct3 011
            0xC0400053,                 // fcvt.w.s with rs2 = 4
            0xE0002053,                 // fmv.x.w with funct3 010
            0xF0001053,                 // fmv.w.x with funct3 001
            0x40200053,                 // fcvt.s.h (rs2 = 2; no Zfh)
            0x00004007,                 // flq-like load funct3 100
            0x00004027,                 // fsq-like store funct3 100
        };
        for (int w : words) {
            assertFalse(decoder.decode(w), "0x" + Integer.toHexString(w));
            assertEquals(Op.ILLEGAL, decoder.op());
        }
    }
}
