package org.osgemu.tools.decodetree;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A 16-bit decoder modelled on a few RISC-V compressed instructions. */
class Rvc16Test {
    static final String SPEC = """
            %rd       7:5
            %imm_ci   12:s1 2:5
            %imm_cj   12:s1 8:1 9:2 6:1 7:1 2:1 11:1 3:3 !function=shl1
            %uimm_cl  5:1 10:3 6:1 <<2
            %rd_3     2:3 !function=plus8
            %rs1_3    7:3 !function=plus8

            &i   imm rs1 rd
            &j   imm rd

            @ci  ... . ..... ..... ..  &i imm=%imm_ci rs1=%rd %rd

            {
              c_nop    000 0 00000 00000 01
              c_addi   000 . ..... ..... 01 @ci
            }
            c_li      010 . ..... ..... 01 &i imm=%imm_ci rs1=0 %rd
            c_j       101 ........... 01   &j imm=%imm_cj rd=0
            c_lw      010 ... ... .. ... 00 &i imm=%uimm_cl rs1=%rs1_3 rd=%rd_3
            """;

    static Decoder dec;

    @BeforeAll
    static void build() throws Exception {
        dec = Decoder.of(SPEC, 16);
    }

    static int cj(int off) {
        return 0b101 << 13 | (off >> 11 & 1) << 12 | (off >> 4 & 1) << 11 | (off >> 8 & 3) << 9
                | (off >> 10 & 1) << 8 | (off >> 6 & 1) << 7 | (off >> 7 & 1) << 6
                | (off >> 1 & 7) << 3 | (off >> 5 & 1) << 2 | 0b01;
    }

    @Test
    void knownEncodings() throws Exception {
        assertEquals("trans_c_nop", dec.one(0x0001).method());
        Decoder.Call li = dec.one(0x557d);                      // c.li a0, -1
        assertEquals("trans_c_li", li.method());
        assertEquals(Map.of("imm", -1, "rs1", 0, "rd", 10), li.args());
        assertEquals(Map.of("imm", 0, "rd", 0), dec.one(0xa001).args());   // c.j .
    }

    @Test
    void upperHalfIsIgnored() throws Exception {
        assertEquals("trans_c_nop", dec.one(0xffff0001).method());
        assertEquals(-1, dec.one(0x1234557d).arg("imm"));
    }

    @Test
    void compressedJumpOffsetsRoundTrip() throws Exception {
        for (int off = -2048; off < 2048; off += 2) {
            Decoder.Call c = dec.one(cj(off));
            assertEquals("trans_c_j", c.method());
            assertEquals(off, c.arg("imm"), "offset " + off);
        }
    }

    @Test
    void functionAndShiftedFields() throws Exception {
        // c.lw x9, 124(x15): uimm[5:3]=111 at 12:10, uimm[2]=1 at 6, uimm[6]=1 at 5
        int insn = 0b010 << 13 | 0b111 << 10 | 0b111 << 7 | 1 << 6 | 1 << 5 | 0b001 << 2;
        Decoder.Call lw = dec.one(insn);
        assertEquals("trans_c_lw", lw.method());
        assertEquals(Map.of("imm", 124, "rs1", 15, "rd", 9), lw.args());
    }

    @Test
    void overlapGroupFallsThroughIn16Bits() throws Exception {
        dec.reject.add("trans_c_nop");
        try {
            Decoder.Result r = dec.decode(0x0001);
            assertTrue(r.accepted());
            assertEquals("trans_c_addi", r.calls().get(1).method());
            assertEquals(Map.of("imm", 0, "rs1", 0, "rd", 0), r.calls().get(1).args());
        } finally {
            dec.reject.clear();
        }
        Decoder.Call addi = dec.one(0b000 << 13 | 1 << 12 | 5 << 7 | 0b11110 << 2 | 1);   // c.addi x5, -2
        assertEquals(Map.of("imm", -2, "rs1", 5, "rd", 5), addi.args());
        assertFalse(dec.decode(0x0000).accepted());
        assertTrue(dec.source.contains("insn &= 0xffff;"));
    }
}
