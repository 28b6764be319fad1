package org.osgemu.tools.decodetree;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** Constants, functions, shared pattern names, method splitting and extern argument sets. */
class FeaturesTest {

    @Test
    void constantsRenamedFieldsAndFunctions() throws Exception {
        Decoder dec = Decoder.of("""
                %hi   !function=high12
                %p8   7:5 !function=plus8
                %sh   20:3 <<2
                &k    a b c d
                k1    ....... ..... ..... 010 ..... 0110011 &k a=%hi b=%p8 c=%sh d=0x10
                k2    ....... ..... ..... 011 ..... 0110011 &k a=-3 b=%p8 c=%sh \\
                      d=%hi
                """, 32);
        int insn = 0xabc << 20 | 3 << 7 | 0x2033;   // bits 22:20 = 0b100
        assertEquals(Map.of("a", 0xabc, "b", 11, "c", 16, "d", 16), dec.one(insn).args());
        assertEquals(Map.of("a", -3, "b", 11, "c", 16, "d", 0xabc), dec.one(insn | 0x1000).args());
        assertEquals("trans_k2", dec.one(insn | 0x1000).method());
    }

    @Test
    void patternsSharingANameShareOrOverloadTheMethod() throws Exception {
        Decoder dec = Decoder.of("""
                &k    a b
                dup   ....... ..... ..... 100 ..... 0110011 &k a=1 b=2
                dup   ....... ..... ..... 101 ..... 0110011 &k a=5 b=6
                dup   ....... ..... ..... 110 x:5 0110011
                """, 32);
        assertEquals(Map.of("a", 1, "b", 2), dec.one(0x4033).args());
        assertEquals(Map.of("a", 5, "b", 6), dec.one(0x5033).args());
        Decoder.Call third = dec.one(0x6033 | 17 << 7);
        assertEquals("trans_dup", third.method());
        assertEquals("ArgsDup", third.type());
        assertEquals(Map.of("x", 17), third.args());
        List<Method> dups = Arrays.stream(dec.translator.getMethods())
                .filter(m -> m.getName().equals("trans_dup")).toList();
        assertEquals(2, dups.size());
    }

    @Test
    void largeSwitchArmsBecomeMethods() throws Exception {
        StringBuilder spec = new StringBuilder("""
                &n n
                ax ....... ..... ..... 001 ..... 0110011 &n n=999
                bx ....... ..... ..... 001 ..... 0111011 &n n=998
                """);
        for (int i = 0; i < 40; i++) {
            String f7 = String.format("%7s", Integer.toBinaryString(i)).replace(' ', '0');
            spec.append("a").append(i).append(' ').append(f7).append(" ..... ..... 000 ..... 0110011 &n n=")
                    .append(i).append('\n');
            spec.append("b").append(i).append(' ').append(f7).append(" ..... ..... 000 ..... 0111011 &n n=")
                    .append(100 + i).append('\n');
        }
        Decoder dec = Decoder.of(spec.toString(), 32);
        assertTrue(dec.source.contains("private static boolean decode1(Translator t, int insn)"), dec.source);
        assertTrue(dec.source.contains("private static boolean decode2(Translator t, int insn)"), dec.source);
        for (int i = 0; i < 40; i++) {
            Decoder.Call a = dec.one(i << 25 | 0x33);
            assertEquals("trans_a" + i, a.method());
            assertEquals(i, a.arg("n"));
            assertEquals(100 + i, dec.one(i << 25 | 0x3b).arg("n"));
        }
        assertFalse(dec.decode(40 << 25 | 0x33).accepted());
        assertEquals(999, dec.one(0x7f << 25 | 0x1033).arg("n"));
        assertEquals(998, dec.one(0x103b).arg("n"));
    }

    @Test
    void externArgumentSetsComeFromAnotherDecoder() throws Exception {
        String spec32 = """
                &i    imm rs1 rd
                addi  imm:s12 rs1:5 000 rd:5 0010011 &i
                """;
        String spec16 = """
                &i    imm rs1 rd !extern
                &own  x
                c_addi   000 imm:s1 rd:5 ..... 01 &i rs1=0
                c_own    001 x:11 00
                """;
        String src32 = Generator.generate("a.decode", spec32,
                new Generator.Options(Decoder.PKG, "Dec32", 32, null, null));
        String src16 = Generator.generate("b.decode", spec16,
                new Generator.Options(Decoder.PKG, "Dec16", 16, null, Decoder.PKG + ".Dec32"));
        assertFalse(src16.contains("record ArgsI("), src16);
        assertTrue(src16.contains("record ArgsOwn("), src16);
        ClassLoader loader = InMemoryCompiler.compile(Decoder.sources(
                Decoder.PKG + ".Dec32", src32, Decoder.PKG + ".Dec16", src16));
        Decoder d16 = Decoder.load(loader, src16, "Dec16");
        Decoder d32 = Decoder.load(loader, src32, "Dec32");
        Method m16 = d16.translator.getMethod("trans_c_addi", loader.loadClass(Decoder.PKG + ".Dec32$ArgsI"));
        assertEquals(boolean.class, m16.getReturnType());
        Decoder.Call c = d16.one(1 << 12 | 7 << 7 | 1);
        assertEquals(Map.of("imm", -1, "rs1", 0, "rd", 7), c.args());
        assertEquals(Map.of("imm", -1, "rs1", 2, "rd", 3), d32.one(0xfff10193).args());
    }

    @Test
    void externWithoutExternClassIsEmittedLocally() throws Exception {
        Decoder dec = Decoder.of("""
                &i    imm rd !extern
                li    imm:s20 rd:5 0110111 &i
                """, 32);
        assertEquals("ArgsI", dec.one(0xfffff0b7).type());
        assertEquals(Map.of("imm", -1, "rd", 1), dec.one(0xfffff0b7).args());
    }
}
