package org.osgemu.tools.decodetree;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.Random;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Decodes a 32-bit RISC-V subset written for this test. */
class RiscvDecodeTest {
    static final String SPEC = """
            # RV32I subset, written for the generator's tests.
            %rs2       20:5
            %rs1       15:5
            %rd        7:5
            %imm_i     20:s12
            %imm_s     25:s7 7:5
            %imm_b     31:s1 7:1 25:6 8:4   !function=shl1
            %imm_j     s31:1 12:8 20:1 \\
                       21:10 !function=shl1
            %imm_u     12:s20 <<12
            %sh5       20:5

            &r      rd rs1 rs2
            &i      imm rs1 rd
            &s      imm rs1 rs2
            &b      imm rs2 rs1
            &u      imm rd
            &j      imm rd
            &shift  shamt rs1 rd
            &empty

            @r   ....... ..... ..... ... ..... ....... &r %rs2 %rs1 %rd
            @i   ............ ..... ... ..... ....... &i imm=%imm_i %rs1 %rd
            @s   ....... ..... ..... ... ..... ....... &s imm=%imm_s %rs2 %rs1
            @b   ....... ..... ..... ... ..... ....... &b imm=%imm_b %rs2 %rs1
            @u   .................... ..... ....... &u imm=%imm_u %rd
            @j   .................... ..... ....... &j imm=%imm_j %rd
            @sh5 ....... ..... ..... ... ..... ....... &shift shamt=%sh5 %rs1 %rd

            lui     .................... ..... 0110111 @u
            auipc   .................... ..... 0010111 @u
            jal     .................... ..... 1101111 @j
            jalr    ............ ..... 000 ..... 1100111 @i
            beq     ....... ..... ..... 000 ..... 1100011 @b
            bne     ....... ..... ..... 001 ..... 1100011 @b
            blt     ....... ..... ..... 100 ..... 1100011 @b
            lw      ............ ..... 010 ..... 0000011 @i
            sw      ....... ..... ..... 010 ..... 0100011 @s
            addi    ............ ..... 000 ..... 0010011 @i
            slli    0000000 ..... ..... 001 ..... 0010011 @sh5
            srli    0000000 ..... ..... 101 ..... 0010011 @sh5
            srai    0100000 ..... ..... 101 ..... 0010011 @sh5
            add     0000000 ..... ..... 000 ..... 0110011 @r
            sub     0100000 ..... ..... 000 ..... 0110011 @r
            ecall   000000000000 00000 000 00000 1110011
            ebreak  000000000001 00000 000 00000 1110011
            csrrw   csr:12 rs1:5 001 rd:5 1110011
            fence   ---- pred:4 succ:4 ----- 000 ----- 0001111
            """;

    static Decoder dec;

    @BeforeAll
    static void build() throws Exception {
        dec = Decoder.of(SPEC, 32);
    }

    static int r(int f7, int rs2, int rs1, int f3, int rd, int op) {
        return f7 << 25 | rs2 << 20 | rs1 << 15 | f3 << 12 | rd << 7 | op;
    }

    static int i(int imm, int rs1, int f3, int rd, int op) {
        return (imm & 0xfff) << 20 | rs1 << 15 | f3 << 12 | rd << 7 | op;
    }

    static int s(int imm, int rs2, int rs1, int f3, int op) {
        return (imm >> 5 & 0x7f) << 25 | rs2 << 20 | rs1 << 15 | f3 << 12 | (imm & 0x1f) << 7 | op;
    }

    static int b(int imm, int rs2, int rs1, int f3) {
        return (imm >> 12 & 1) << 31 | (imm >> 5 & 0x3f) << 25 | rs2 << 20 | rs1 << 15 | f3 << 12
                | (imm >> 1 & 0xf) << 8 | (imm >> 11 & 1) << 7 | 0x63;
    }

    static int j(int imm, int rd) {
        return (imm >> 20 & 1) << 31 | (imm >> 1 & 0x3ff) << 21 | (imm >> 11 & 1) << 20
                | (imm >> 12 & 0xff) << 12 | rd << 7 | 0x6f;
    }

    @Test
    void rTypeDispatchAndFields() throws Exception {
        Decoder.Call add = dec.one(r(0, 3, 2, 0, 1, 0x33));
        assertEquals("trans_add", add.method());
        assertEquals("ArgsR", add.type());
        assertEquals(Map.of("rd", 1, "rs1", 2, "rs2", 3), add.args());
        assertEquals("trans_sub", dec.one(r(0x20, 31, 30, 0, 29, 0x33)).method());
        assertEquals(Map.of("rd", 29, "rs1", 30, "rs2", 31), dec.one(r(0x20, 31, 30, 0, 29, 0x33)).args());
    }

    @Test
    void knownEncodings() throws Exception {
        assertEquals(Map.of("imm", 0, "rs1", 0, "rd", 0), dec.one(0x00000013).args());        // nop
        assertEquals(Map.of("imm", -1, "rs1", 0, "rd", 1), dec.one(0xfff00093).args());       // li x1,-1
        assertEquals(Map.of("imm", -4, "rd", 0), dec.one(0xffdff06f).args());                // j .-4
        assertEquals(Map.of("imm", -4, "rs1", 0, "rs2", 0), dec.one(0xfe000ee3).args());      // beq x0,x0,.-4
        assertEquals("trans_beq", dec.one(0xfe000ee3).method());
        assertEquals(Map.of("imm", 0x12345000, "rd", 5), dec.one(0x123452b7).args());         // lui t0,0x12345
        assertEquals(-0x1000, dec.one(0xfffff297).arg("imm"));                               // auipc t0,0xfffff
    }

    @Test
    void signedImmediatesRoundTrip() throws Exception {
        Random rnd = new Random(42);
        for (int n = 0; n < 500; n++) {
            int bi = (rnd.nextInt(1 << 12) - (1 << 11)) << 1;
            Decoder.Call bc = dec.one(b(bi, 7, 9, 4));
            assertEquals("trans_blt", bc.method());
            assertEquals(Map.of("imm", bi, "rs2", 7, "rs1", 9), bc.args());

            int ji = (rnd.nextInt(1 << 20) - (1 << 19)) << 1;
            assertEquals(Map.of("imm", ji, "rd", 1), dec.one(j(ji, 1)).args());

            int si = rnd.nextInt(1 << 12) - (1 << 11);
            Decoder.Call sc = dec.one(s(si, 10, 11, 2, 0x23));
            assertEquals("trans_sw", sc.method());
            assertEquals(Map.of("imm", si, "rs1", 11, "rs2", 10), sc.args());

            int ii = rnd.nextInt(1 << 12) - (1 << 11);
            assertEquals(Map.of("imm", ii, "rs1", 3, "rd", 4), dec.one(i(ii, 3, 0, 4, 0x67)).args());
        }
        assertEquals(4094, dec.one(b(4094, 0, 0, 1)).arg("imm"));
        assertEquals(-4096, dec.one(b(-4096, 0, 0, 1)).arg("imm"));
        assertEquals((1 << 20) - 2, dec.one(j((1 << 20) - 2, 0)).arg("imm"));
        assertEquals(-(1 << 20), dec.one(j(-(1 << 20), 0)).arg("imm"));
    }

    @Test
    void shiftsDistinguishedByFunct7() throws Exception {
        Decoder.Call srai = dec.one(r(0x20, 7, 1, 5, 2, 0x13));
        assertEquals("trans_srai", srai.method());
        assertEquals("ArgsShift", srai.type());
        assertEquals(Map.of("shamt", 7, "rs1", 1, "rd", 2), srai.args());
        assertEquals("trans_srli", dec.one(r(0, 7, 1, 5, 2, 0x13)).method());
        assertEquals("trans_slli", dec.one(r(0, 31, 1, 1, 2, 0x13)).method());
        assertFalse(dec.decode(r(0x01, 7, 1, 5, 2, 0x13)).accepted());
    }

    @Test
    void implicitArgumentSets() throws Exception {
        Decoder.Call ecall = dec.one(0x00000073);
        assertEquals("trans_ecall", ecall.method());
        assertEquals("ArgsEmpty", ecall.type());
        assertTrue(ecall.args().isEmpty());
        assertEquals("trans_ebreak", dec.one(0x00100073).method());

        Decoder.Call csr = dec.one(i(0x305, 6, 1, 7, 0x73));
        assertEquals("ArgsCsrrw", csr.type());
        assertEquals(Map.of("csr", 0x305, "rs1", 6, "rd", 7), csr.args());

        Decoder.Call fence = dec.one(0x0ff0000f | 0xf0000000 | 0xf8f80);
        assertEquals("trans_fence", fence.method());
        assertEquals(Map.of("pred", 15, "succ", 15), fence.args());
    }

    @Test
    void unmatchedWordsAndRejectingTranslator() throws Exception {
        assertFalse(dec.decode(0).accepted());
        assertFalse(dec.decode(0xffffffff).accepted());
        assertFalse(dec.decode(0x00200073).accepted());
        dec.reject.add("trans_add");
        try {
            Decoder.Result res = dec.decode(r(0, 3, 2, 0, 1, 0x33));
            assertFalse(res.accepted());
            assertEquals(1, res.calls().size());
        } finally {
            dec.reject.clear();
        }
    }

    @Test
    void sourceUsesSwitchOnMajorOpcode() {
        assertTrue(dec.source.contains("switch (insn & 0x0000007f) {"), dec.source);
        assertTrue(dec.source.contains("public record ArgsR(int rd, int rs1, int rs2)"), dec.source);
        assertTrue(dec.source.contains("boolean trans_add(ArgsR a);"), dec.source);
        assertTrue(dec.source.contains("gen.test.Fns.shl1("), dec.source);
    }
}
