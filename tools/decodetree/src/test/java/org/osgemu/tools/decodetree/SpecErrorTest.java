package org.osgemu.tools.decodetree;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Every malformed spec is reported as {@code file:line:column: message}. */
class SpecErrorTest {
    private static final String R = "....... ..... ..... 000 ..... 0110011";

    /** Asserts the spec fails at {@code line:column} with a message containing {@code text}. */
    private static SpecException assertError(String spec, int width, String where, String text) {
        SpecException e = assertThrows(SpecException.class, () -> Generator.generate("bad.decode", spec,
                new Generator.Options("p", "D", width, null, null)));
        assertTrue(e.getMessage().startsWith("bad.decode:" + where + ": "), e.getMessage());
        assertTrue(e.getMessage().contains(text), e.getMessage());
        assertEquals(where, e.pos().line() + ":" + e.pos().column());
        return e;
    }

    private static SpecException assertError(String spec, String where, String text) {
        return assertError(spec, 32, where, text);
    }

    @Test
    void unknownFieldReference() {
        assertError("""
                &i imm rd
                addi ............ ..... 000 rd:5 0010011 %imm_x
                """, "2:42", "unknown field %imm_x");
    }

    @Test
    void unknownFieldInNamedAssignment() {
        assertError("""
                add %s""".formatted(R) + " rd=%nope\n", "1:46", "unknown field %nope");
    }

    @Test
    void unknownFormat() {
        assertError("add " + R + " @nope\n", "1:43", "unknown format @nope");
    }

    @Test
    void unknownArgumentSet() {
        assertError("\n\nadd " + R + " &nope\n", "3:43", "unknown argument set &nope");
    }

    @Test
    void patternBitCountDiffersFromWidth() {
        assertError("""
                # comment line
                  add   ...... ..... ..... 000 ..... 0110011
                """, "2:3", "pattern add has 31 bits, expected 32");
    }

    @Test
    void formatBitCountDiffersFromWidth() {
        assertError("@r ....... ..... ..... 000 ..... 01100111 rd:1\n", "1:1", "format @r has 34 bits");
    }

    @Test
    void sixteenBitPatternInThirtyTwoBitMode() {
        assertError("c_nop 000 0 00000 00000 01\n", 32, "1:1", "has 16 bits, expected 32");
        assertError("c_nop 000 0 00000 00000 01 0\n", 16, "1:1", "has 17 bits, expected 16");
    }

    @Test
    void badTokenInPattern() {
        assertError("add ....... ..... ..x.. 000 ..... 0110011\n", "1:19", "bad token '..x..'");
    }

    @Test
    void badTokenStartingAStatement() {
        assertError("\n  $add " + R + "\n", "2:3", "bad token '$add'");
    }

    @Test
    void badTokenInFieldDefinition() {
        assertError("%f 3-4\n", "1:4", "bad token '3-4'");
    }

    @Test
    void duplicateField() {
        assertError("%f 1:2\n%g 3:4\n %f 5:6\n", "3:2", "duplicate definition of field %f (first defined at bad.decode:1:1)");
    }

    @Test
    void duplicateArgumentSet() {
        assertError("&a x\n&a y\n", "2:1", "duplicate definition of argument set &a");
    }

    @Test
    void duplicateFormat() {
        assertError("@f " + R + "\n@f " + R + "\n", "2:1", "duplicate definition of format @f");
    }

    @Test
    void unclosedOverlapGroup() {
        assertError("\n  {\nadd " + R + "\n", "2:3", "unbalanced '{'");
    }

    @Test
    void unclosedNoOverlapGroup() {
        assertError("{\n  [\n  add " + R + "\n}\n", "4:1", "'}' does not close '[' opened at bad.decode:2:3");
    }

    @Test
    void strayClosingBracket() {
        assertError("add " + R + "\n    ]\n", "2:5", "unbalanced ']'");
    }

    @Test
    void overlappingPatternsOutsideGroup() {
        SpecException e = assertError("""
                add  0000000 ..... ..... 000 ..... 0110011
                sub  0100000 ..... ..... 000 ..... 0110011
                any  ....... ..... ..... 000 ..... 0110011
                """, "3:1", "pattern any overlaps pattern add (bad.decode:1:1)");
        assertTrue(e.getMessage().contains("outside an overlap group"), e.getMessage());
    }

    @Test
    void overlapInsideNoOverlapGroupNestedInOverlapGroup() {
        assertError("""
                {
                  nop  0000000 00000 00000 000 00000 0110011
                  [
                    add  0000000 ..... ..... 000 ..... 0110011
                    all  ....... ..... ..... 000 ..... 0110011
                  ]
                }
                """, "5:5", "pattern all overlaps pattern add (bad.decode:4:5)");
    }

    @Test
    void overlapBetweenGroupAndPattern() {
        assertError("""
                {
                  nop  0000000 00000 00000 000 00000 0110011
                  add  0000000 ..... ..... 000 ..... 0110011
                }
                nop2 0000000 00000 00000 000 00000 0110011
                """, "5:1", "pattern nop2 overlaps pattern nop (bad.decode:2:3)");
    }

    @Test
    void fieldSegmentOutOfRange() {
        assertError("%ok 0:1\n%f 20:5 30:3\n", "2:9", "field segment 30:3 out of range for 32-bit instructions");
    }

    @Test
    void fieldSegmentOutOfRangeFor16Bits() {
        assertError("%f 12:5\n", 16, "1:4", "out of range for 16-bit instructions");
    }

    @Test
    void zeroLengthInlineField() {
        assertError("add ....... x:0 ..... ..... 000 ..... 0110011\n", "1:13", "field segment x:0 out of range");
    }

    @Test
    void argumentMemberNotAssigned() {
        assertError("""
                %rd 7:5
                &r rd rs1 rs2
                add 0000000 rs2:5 ..... 000 ..... 0110011 &r %rd
                """, "3:1", "argument set member rs1 of argument set &r is not assigned by pattern add");
    }

    @Test
    void argumentMemberNotAssignedThroughFormat() {
        assertError("""
                &r rd rs1 rs2
                @r ....... ..... rs1:5 ... rd:5 ....... &r
                  add 0000000 ..... ..... 000 ..... 0110011 @r
                """, "3:3", "argument set member rs2 of argument set &r is not assigned by pattern add");
    }

    @Test
    void assignmentOutsideArgumentSet() {
        assertError("&r rd\nadd " + R + " &r rd=1 extra=2\n", "2:51", "extra is not a member of argument set &r");
    }

    @Test
    void functionWithoutFunctionsClass() {
        assertError("%f 0:5 !function=fn\nadd " + R + " %f\n", "1:1", "no functions class was given");
    }

    @Test
    void reservedWordAsArgument() {
        assertError("&a rd int\n", "1:7", "'int' cannot be an argument name");
        assertError("add " + R + " hashCode=1\n", "1:43", "'hashCode' cannot be an argument name");
    }

    @Test
    void argumentAssignedTwice() {
        assertError("add ....... ..... rd:5 000 ..... 0110011 rd=3\n", "1:42", "rd is assigned twice");
    }

    @Test
    void errorOnContinuationLineHasPhysicalPosition() {
        assertError("add ....... ..... ..... \\\n    000 ..... 0110011 \\\n    &nope\n", "3:5", "unknown argument set &nope");
    }

    @Test
    void patternFixesBitsDifferentlyFromFormat() {
        assertError("@f ....... ..... ..... ... ..... 0110011\nadd " + R.replace("0110011", "0110001") + " @f\n",
                "2:43", "fix bit 1 to different values");
    }

    @Test
    void argumentSetsWithClashingJavaNames() {
        assertError("&a_b x\n&aB y\n", "2:1", "same Java name ArgsAB");
    }

    @Test
    void signedSegmentNotFirst() {
        assertError("%f 31:1 7:s1\n", "1:9", "only the first (most significant) segment may be signed");
    }
}
