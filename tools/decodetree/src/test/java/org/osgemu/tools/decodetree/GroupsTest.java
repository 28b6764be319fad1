package org.osgemu.tools.decodetree;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Overlap groups, nested no-overlap groups and fall-through on rejection. */
class GroupsTest {
    static final String SPEC = """
            %imm   20:s12
            &ri    rd rs1 imm
            &rr    rd rs1 rs2
            @ri    ............ rs1:5 ... rd:5 ....... &ri imm=%imm
            @rr    ....... rs2:5 rs1:5 ... rd:5 ....... &rr

            {
              nop     000000000000 00000 000 00000 0010011
              [
                li    ............ 00000 000 ..... 0010011 @ri
                mv    000000000000 ....1 000 ..... 0010011 @ri
              ]
              addi    ............ ..... 000 ..... 0010011 @ri
            }
            [
              {
                special  1111111 ..... ..... 000 ..... 0110011 @rr
                generic  ....... ..... ..... 000 ..... 0110011 @rr
              }
              other      ....... ..... ..... 001 ..... 0110011 @rr
            ]
            """;

    static Decoder dec;

    @BeforeAll
    static void build() throws Exception {
        dec = Decoder.of(SPEC, 32);
    }

    @BeforeEach
    void acceptAll() {
        dec.reject.clear();
    }

    static int ri(int imm, int rs1, int rd) {
        return (imm & 0xfff) << 20 | rs1 << 15 | rd << 7 | 0x13;
    }

    static List<String> methods(Decoder.Result r) {
        return r.calls().stream().map(Decoder.Call::method).toList();
    }

    @Test
    void firstMatchWins() throws Exception {
        Decoder.Result r = dec.decode(0x00000013);
        assertTrue(r.accepted());
        assertEquals(List.of("trans_nop"), methods(r));
    }

    @Test
    void rejectionFallsThroughInOrder() throws Exception {
        dec.reject.add("trans_nop");
        Decoder.Result r = dec.decode(0x00000013);
        assertTrue(r.accepted());
        assertEquals(List.of("trans_nop", "trans_li"), methods(r));
        assertEquals(Map.of("rd", 0, "rs1", 0, "imm", 0), r.calls().get(1).args());

        dec.reject.add("trans_li");
        r = dec.decode(0x00000013);
        assertTrue(r.accepted());
        assertEquals(List.of("trans_nop", "trans_li", "trans_addi"), methods(r));

        dec.reject.add("trans_addi");
        r = dec.decode(0x00000013);
        assertFalse(r.accepted());
        assertEquals(3, r.calls().size());
    }

    @Test
    void nestedNoOverlapGroupPicksItsMember() throws Exception {
        Decoder.Result r = dec.decode(ri(0, 3, 9));
        assertEquals(List.of("trans_mv"), methods(r));
        assertEquals(Map.of("rd", 9, "rs1", 3, "imm", 0), r.calls().getFirst().args());

        dec.reject.add("trans_mv");
        r = dec.decode(ri(0, 3, 9));
        assertTrue(r.accepted());
        assertEquals(List.of("trans_mv", "trans_addi"), methods(r));

        assertEquals(List.of("trans_li"), methods(dec.decode(ri(-7, 0, 5))));
        assertEquals(-7, dec.one(ri(-7, 0, 5)).arg("imm"));
        assertEquals(List.of("trans_addi"), methods(dec.decode(ri(100, 2, 5))));
    }

    @Test
    void overlapGroupInsideNoOverlapGroup() throws Exception {
        int special = 0x7f << 25 | 1 << 20 | 2 << 15 | 3 << 7 | 0x33;
        assertEquals(List.of("trans_special"), methods(dec.decode(special)));
        dec.reject.add("trans_special");
        Decoder.Result r = dec.decode(special);
        assertEquals(List.of("trans_special", "trans_generic"), methods(r));
        assertEquals(Map.of("rd", 3, "rs1", 2, "rs2", 1), r.calls().get(1).args());
        assertEquals(List.of("trans_generic"), methods(dec.decode(0x33)));
        assertEquals(List.of("trans_other"), methods(dec.decode(0x1033)));
        assertFalse(dec.decode(0x2033).accepted());
    }
}
