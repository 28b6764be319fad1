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

/** The generated decoders, through {@link InstructionDecoder}: known encodings, every assembler form, illegal words. */
class InstructionDecoderTest {

    private final InstructionDecoder decoder = new InstructionDecoder();

    private void assertDecodes(int word, int op, int rd, int rs1, int rs2, int imm) {
        assertTrue(decoder.decode(word), () -> "0x" + Integer.toHexString(word) + " should decode");
        String what = "0x" + Integer.toHexString(word);
        assertEquals(Op.name(op), Op.name(decoder.op()), what);
        assertEquals(rd, decoder.rd(), what + " rd");
        assertEquals(rs1, decoder.rs1(), what + " rs1");
        assertEquals(rs2, decoder.rs2(), what + " rs2");
        assertEquals(imm, decoder.imm(), what + " imm");
    }

    @Test
    void wellKnownEncodings() {
        assertDecodes(0x00a00513, Op.ADDI, A0, ZERO, 0, 10);           // li a0, 10
        assertDecodes(0x00008067, Op.JALR, ZERO, RA, 0, 0);            // ret
        assertDecodes(0x34202573, Op.CSRRS, A0, ZERO, 0, 0x342);       // csrr a0, mcause
        assertDecodes(0x100522af, Op.LR_W, T0, A0, 0, 0);              // lr.w t0, (a0)
        assertDecodes(0x0ff0000f, Op.FENCE, 0, 0, 0, 0);
        assertDecodes(0x0000100f, Op.FENCE_I, 0, 0, 0, 0);
        assertDecodes(0x00000073, Op.ECALL, 0, 0, 0, 0);
        assertDecodes(0x00100073, Op.EBREAK, 0, 0, 0, 0);
        assertDecodes(0x10200073, Op.SRET, 0, 0, 0, 0);
        assertDecodes(0x30200073, Op.MRET, 0, 0, 0, 0);
        assertDecodes(0x10500073, Op.WFI, 0, 0, 0, 0);
        assertDecodes(0x12000073, Op.SFENCE_VMA, 0, 0, 0, 0);
        assertDecodes(0xfe010113, Op.ADDI, SP, SP, 0, -32);            // addi sp, sp, -32
        assertDecodes(0x800000b7, Op.LUI, RA, 0, 0, 0x80000000);
        assertDecodes(0xfe0008e3, Op.BEQ, 0, ZERO, ZERO, -16);         // beqz zero, -16
        assertDecodes(0xff9ff06f, Op.JAL, ZERO, 0, 0, -8);             // j -8
        assertDecodes(0x43f55513, Op.SRAI, A0, A0, 0, 63);
        // compressed: prologue and epilogue idioms
        assertDecodes(0x1141, Op.ADDI, SP, SP, 0, -16);                // c.addi sp, -16
        assertDecodes(0xe406, Op.SD, 0, SP, RA, 8);                    // c.sdsp ra, 8(sp)
        assertDecodes(0x60a2, Op.LD, RA, SP, 0, 8);                    // c.ldsp ra, 8(sp)
        assertDecodes(0x0800, Op.ADDI, S0, SP, 0, 16);                 // c.addi4spn s0, sp, 16
        assertDecodes(0x6105, Op.ADDI, SP, SP, 0, 32);                 // c.addi16sp sp, 32
        assertDecodes(0x8082, Op.JALR, ZERO, RA, 0, 0);                // c.jr ra
        assertDecodes(0x4501, Op.ADDI, A0, ZERO, 0, 0);                // c.li a0, 0
        assertDecodes(0x852e, Op.ADD, A0, ZERO, A1, 0);                // c.mv a0, a1
        assertDecodes(0x0001, Op.ADDI, ZERO, ZERO, 0, 0);              // c.nop
        assertDecodes(0x9002, Op.EBREAK, 0, 0, 0, 0);                  // c.ebreak
        assertTrue(decoder.compressed());
    }

    /** One instruction per line of the assembler and the operation it must decode to. */
    private static Map<String, Consumer<Asm>> everyForm() {
        Map<String, Consumer<Asm>> m = new LinkedHashMap<>();
        m.put("lui", a -> a.lui(A0, 1));
        m.put("auipc", a -> a.auipc(A0, 1));
        m.put("jal", a -> a.label("l").jal(RA, "l"));
        m.put("jalr", a -> a.jalr(RA, A0, -4));
        m.put("beq", a -> a.label("l").beq(A0, A1, "l"));
        m.put("bne", a -> a.label("l").bne(A0, A1, "l"));
        m.put("blt", a -> a.label("l").blt(A0, A1, "l"));
        m.put("bge", a -> a.label("l").bge(A0, A1, "l"));
        m.put("bltu", a -> a.label("l").bltu(A0, A1, "l"));
        m.put("bgeu", a -> a.label("l").bgeu(A0, A1, "l"));
        m.put("lb", a -> a.lb(A0, 1, A1));
        m.put("lh", a -> a.lh(A0, 2, A1));
        m.put("lw", a -> a.lw(A0, 4, A1));
        m.put("ld", a -> a.ld(A0, 8, A1));
        m.put("lbu", a -> a.lbu(A0, 1, A1));
        m.put("lhu", a -> a.lhu(A0, 2, A1));
        m.put("lwu", a -> a.lwu(A0, 4, A1));
        m.put("sb", a -> a.sb(A0, 1, A1));
        m.put("sh", a -> a.sh(A0, 2, A1));
        m.put("sw", a -> a.sw(A0, 4, A1));
        m.put("sd", a -> a.sd(A0, 8, A1));
        m.put("addi", a -> a.addi(A0, A1, -1));
        m.put("slti", a -> a.slti(A0, A1, 1));
        m.put("sltiu", a -> a.sltiu(A0, A1, 1));
        m.put("xori", a -> a.xori(A0, A1, 1));
        m.put("ori", a -> a.ori(A0, A1, 1));
        m.put("andi", a -> a.andi(A0, A1, 1));
        m.put("slli", a -> a.slli(A0, A1, 40));
        m.put("srli", a -> a.srli(A0, A1, 40));
        m.put("srai", a -> a.srai(A0, A1, 40));
        for (String r : new String[] {"add", "sub", "sll", "slt", "sltu", "xor", "srl", "sra", "or", "and",
            "addw", "subw", "sllw", "srlw", "sraw", "mul", "mulh", "mulhsu", "mulhu", "div", "divu", "rem", "remu",
            "mulw", "divw", "divuw", "remw", "remuw"}) {
            m.put(r, a -> invoke(a, r, A0, A1, A2));
        }
        m.put("addiw", a -> a.addiw(A0, A1, 3));
        m.put("slliw", a -> a.slliw(A0, A1, 31));
        m.put("srliw", a -> a.srliw(A0, A1, 31));
        m.put("sraiw", a -> a.sraiw(A0, A1, 31));
        m.put("fence", Asm::fence);
        m.put("fence.i", Asm::fence_i);
        m.put("ecall", Asm::ecall);
        m.put("ebreak", Asm::ebreak);
        m.put("lr.w", a -> a.lr_w(A0, A1));
        m.put("lr.d", a -> a.lr_d(A0, A1));
        for (String w : new String[] {"w", "d"}) {
            for (String amo : new String[] {"sc", "amoswap", "amoadd", "amoxor", "amoand", "amoor", "amomin", "amomax",
                "amominu", "amomaxu"}) {
                m.put(amo + "." + w, a -> invoke(a, amo + "_" + w, A0, A2, A1));
            }
        }
        m.put("csrrw", a -> a.csrrw(A0, 0x340, A1));
        m.put("csrrs", a -> a.csrrs(A0, 0x340, A1));
        m.put("csrrc", a -> a.csrrc(A0, 0x340, A1));
        m.put("csrrwi", a -> a.csrrwi(A0, 0x340, 5));
        m.put("csrrsi", a -> a.csrrsi(A0, 0x340, 5));
        m.put("csrrci", a -> a.csrrci(A0, 0x340, 5));
        m.put("sret", Asm::sret);
        m.put("mret", Asm::mret);
        m.put("wfi", Asm::wfi);
        m.put("sfence.vma", a -> a.sfence_vma(A0, A1));
        m.putAll(FloatDecoderTest.everyForm());
        return m;
    }

    private static void invoke(Asm a, String method, int x, int y, int z) {
        try {
            Asm.class.getMethod(method, int.class, int.class, int.class).invoke(a, x, y, z);
        } catch (ReflectiveOperationException e) {
            throw new AssertionError("no assembler method " + method, e);
        }
    }

    @Test
    void everyAssemblerFormDecodesToItsOperation() {
        Map<String, Consumer<Asm>> forms = everyForm();
        assertEquals(Op.COUNT - 1, forms.size(), "every operation but ILLEGAL is covered");
        for (Map.Entry<String, Consumer<Asm>> e : forms.entrySet()) {
            Asm a = new Asm(0x1000);
            e.getValue().accept(a);
            int word = ByteBuffer.wrap(a.assemble()).order(ByteOrder.LITTLE_ENDIAN).getInt();
            assertTrue(decoder.decode(word), e.getKey());
            assertEquals(e.getKey(), Op.name(decoder.op()));
            assertFalse(decoder.compressed());
        }
    }

    @Test
    void fieldsAreExtractedWithSignsAndScales() {
        Asm a = new Asm(0x1000).sd(A5, -2048, S1).label("back").nop().bne(T0, T1, "back").jal(RA, "fwd");
        for (int i = 0; i < 100; i++) {
            a.nop();
        }
        a.label("fwd");
        ByteBuffer b = ByteBuffer.wrap(a.assemble()).order(ByteOrder.LITTLE_ENDIAN);
        assertDecodes(b.getInt(0), Op.SD, 0, S1, A5, -2048);
        assertDecodes(b.getInt(8), Op.BNE, 0, T0, T1, -4);
        assertDecodes(b.getInt(12), Op.JAL, RA, 0, 0, 404);
    }

    @Test
    void illegalEncodings() {
        int[] words = {
            0x00000000, 0xFFFFFFFF,
            0x0000007F,                 // unused major opcode
            0x40001033,                 // sll with funct7 0100000
            0x04001013,                 // slli with bit 26 set
            0x02001013 | (1 << 26),
            0x0200101B,                 // slliw with shamt[5] set
            0x1005A2AF | (1 << 20),     // lr.w with rs2 != 0
            0x5005A2AF,                 // funct5 01010 is not an AMO
            0x0005C2AF,                 // AMO with funct3 100
            0x00004073,                 // SYSTEM funct3 100
            0x00200073,                 // uret does not exist in 1.12
            0x120000F3,                 // sfence.vma with rd != 0
            0x00007003 | 10 << 7,       // load funct3 111
            0x00004023,                 // store funct3 100
            0x00002063,                 // branch funct3 010
            0x00001067,                 // jalr funct3 001
        };
        for (int w : words) {
            assertFalse(decoder.decode(w), "0x" + Integer.toHexString(w));
            assertEquals(Op.ILLEGAL, decoder.op());
        }
    }

    @Test
    void reservedAndUnsupportedCompressedEncodings() {
        int[] halves = {
            0x0000,                     // all zero: defined illegal
            0x0010,                     // c.addi4spn with a zero immediate
            0x8000,                     // quadrant 0 opcode 100
            0x2001,                     // c.addiw rd = x0
            0x6101,                     // c.addi16sp with zero immediate
            0x6501,                     // c.lui with zero immediate
            0x4002,                     // c.lwsp rd = x0
            0x6002,                     // c.ldsp rd = x0
            0x8002,                     // c.jr x0
            0x9C41,                     // quadrant 1, 100 1 11 ... 10: reserved
            0x9C61,                     // ... 11: reserved
        };
        for (int h : halves) {
            assertFalse(decoder.decode(h), "0x" + Integer.toHexString(h));
            assertTrue(decoder.compressed());
        }
    }

    @Test
    void compressedFormsExpandToTheirBaseOperations() {
        Map<Consumer<Asm>, String> forms = new LinkedHashMap<>();
        forms.put(a -> a.c_addi4spn(A0, 8), "addi");
        forms.put(a -> a.c_lw(A0, 4, A1), "lw");
        forms.put(a -> a.c_ld(A0, 8, A1), "ld");
        forms.put(a -> a.c_sw(A0, 4, A1), "sw");
        forms.put(a -> a.c_sd(A0, 8, A1), "sd");
        forms.put(a -> a.c_nop(), "addi");
        forms.put(a -> a.c_addi(A0, -1), "addi");
        forms.put(a -> a.c_addiw(A0, -1), "addiw");
        forms.put(a -> a.c_li(A0, -1), "addi");
        forms.put(a -> a.c_addi16sp(-16), "addi");
        forms.put(a -> a.c_lui(A0, 1), "lui");
        forms.put(a -> a.c_srli(A0, 1), "srli");
        forms.put(a -> a.c_srai(A0, 1), "srai");
        forms.put(a -> a.c_andi(A0, 1), "andi");
        forms.put(a -> a.c_sub(A0, A1), "sub");
        forms.put(a -> a.c_xor(A0, A1), "xor");
        forms.put(a -> a.c_or(A0, A1), "or");
        forms.put(a -> a.c_and(A0, A1), "and");
        forms.put(a -> a.c_subw(A0, A1), "subw");
        forms.put(a -> a.c_addw(A0, A1), "addw");
        forms.put(a -> a.label("l").c_j("l"), "jal");
        forms.put(a -> a.label("l").c_beqz(A0, "l"), "beq");
        forms.put(a -> a.label("l").c_bnez(A0, "l"), "bne");
        forms.put(a -> a.c_slli(A0, 1), "slli");
        forms.put(a -> a.c_lwsp(A0, 4), "lw");
        forms.put(a -> a.c_ldsp(A0, 8), "ld");
        forms.put(a -> a.c_jr(A0), "jalr");
        forms.put(a -> a.c_mv(A0, A1), "add");
        forms.put(a -> a.c_ebreak(), "ebreak");
        forms.put(a -> a.c_jalr(A0), "jalr");
        forms.put(a -> a.c_add(A0, A1), "add");
        forms.put(a -> a.c_swsp(A0, 4), "sw");
        forms.put(a -> a.c_sdsp(A0, 8), "sd");
        for (Map.Entry<Consumer<Asm>, String> e : forms.entrySet()) {
            Asm a = new Asm(0x1000);
            e.getKey().accept(a);
            byte[] code = a.assemble();
            assertEquals(2, code.length);
            int half = (code[0] & 0xFF) | (code[1] & 0xFF) << 8;
            assertTrue(decoder.decode(half), e.getValue() + " 0x" + Integer.toHexString(half));
            assertEquals(e.getValue(), Op.name(decoder.op()), "0x" + Integer.toHexString(half));
            assertTrue(decoder.compressed());
        }
    }
}
