package org.osgemu.qmp.schema;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.math.BigInteger;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.osgemu.api.command.CommandException;

/** The argument checks of the schema, worded as QEMU words them. */
class ValueCheckerTest {

    private final Schema schema = schema();
    private final ValueChecker checker = new ValueChecker(schema);

    private static Schema schema() {
        try {
            return Schema.of(SchemaTest.parse("""
                    [{"enum": "Mode", "doc": "M.", "data": ["fast", "slow"]},
                     {"struct": "Inner", "doc": "I.", "data": {"n": "uint8"}},
                     {"command": "c", "doc": "C.", "data": {"name": "str", "*count": "int", "*mode": "Mode",
                       "*inner": "Inner", "*list": ["Inner"], "*flag": "bool", "*size": "size", "*ratio": "number", "*x": "any"}}]"""));
        } catch (SchemaException e) {
            throw new AssertionError(e);
        }
    }

    private String failure(Map<String, Object> args) {
        Definition.Command c = schema.command("c").orElseThrow();
        return assertThrows(CommandException.class, () -> checker.checkObject("", c.arguments(), false, args)).getMessage();
    }

    private Map<String, Object> ok(Map<String, Object> args) throws CommandException {
        Definition.Command c = schema.command("c").orElseThrow();
        return checker.checkObject("", c.arguments(), false, args);
    }

    private static Map<String, Object> args(Object... pairs) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            map.put((String) pairs[i], pairs[i + 1]);
        }
        return map;
    }

    @Test
    void missingMandatoryMember() {
        assertEquals("Parameter 'name' is missing", failure(args()));
    }

    @Test
    void wrongTypes() {
        assertEquals("Invalid parameter type for 'name', expected: string", failure(args("name", 5L)));
        assertEquals("Invalid parameter type for 'count', expected: integer", failure(args("name", "a", "count", "5")));
        assertEquals("Invalid parameter type for 'count', expected: integer", failure(args("name", "a", "count", 1.5)));
        assertEquals("Invalid parameter type for 'flag', expected: boolean", failure(args("name", "a", "flag", "yes")));
        assertEquals("Invalid parameter type for 'inner', expected: object", failure(args("name", "a", "inner", List.of())));
        assertEquals("Invalid parameter type for 'list', expected: array", failure(args("name", "a", "list", Map.of())));
        assertEquals("Invalid parameter type for 'ratio', expected: number", failure(args("name", "a", "ratio", true)));
    }

    @Test
    void unexpectedMemberIsReportedAfterTheDeclaredOnesAreChecked() {
        assertEquals("Parameter 'bogus' is unexpected", failure(args("name", "a", "bogus", 1L)));
        assertEquals("Parameter 'name' is missing", failure(args("bogus", 1L)));
    }

    @Test
    void enumValues() {
        assertEquals("Parameter 'mode' does not accept value 'medium'", failure(args("name", "a", "mode", "medium")));
        assertEquals("Invalid parameter type for 'mode', expected: string", failure(args("name", "a", "mode", 1L)));
    }

    @Test
    void nestedMembersAndArrayElementsAreNamedWithTheirPath() {
        assertEquals("Parameter 'inner.n' expects uint8", failure(args("name", "a", "inner", Map.of("n", 256L))));
        assertEquals("Parameter 'inner.n' is missing", failure(args("name", "a", "inner", Map.of())));
        assertEquals("Parameter 'list[1].n' expects uint8",
                failure(args("name", "a", "list", List.of(Map.of("n", 1L), Map.of("n", -1L)))));
        assertEquals("Parameter 'inner.zz' is unexpected", failure(args("name", "a", "inner", Map.of("n", 1L, "zz", 1L))));
    }

    @Test
    void integersAreNormalizedToLongAndUnsigned64WrapsAsInQemu() throws CommandException {
        Map<String, Object> checked = ok(args("name", "a", "count", 7, "size", new BigInteger("18446744073709551615"),
                "ratio", 2L, "x", List.of("anything")));
        assertEquals(7L, checked.get("count"));
        assertEquals(-1L, checked.get("size"));
        assertEquals(2L, checked.get("ratio"));
        assertEquals(List.of("anything"), checked.get("x"));
        assertEquals("Parameter 'size' expects size", failure(args("name", "a", "size", "big")));
        assertEquals("Invalid parameter type for 'count', expected: integer",
                failure(args("name", "a", "count", new BigInteger("99999999999999999999"))));
    }

    @Test
    void optionalMembersLeftOutStayAbsent() throws CommandException {
        assertEquals(Map.of("name", "a"), ok(args("name", "a")));
    }
}
