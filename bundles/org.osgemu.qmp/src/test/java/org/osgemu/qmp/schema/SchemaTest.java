package org.osgemu.qmp.schema;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

class SchemaTest {

    static List<Definition> parse(String json) throws SchemaException {
        return SchemaParser.parse("test.json", new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void readsCommandsEventsStructsAndEnumsWithTheirDocs() throws Exception {
        List<Definition> defs = parse("""
                [{"enum": "Color", "doc": "A color.", "data": ["red", {"name": "green", "doc": "grass"}]},
                 {"struct": "Paint", "doc": "Some paint.", "data": {"color": "Color", "*litres": {"type": "int", "doc": "how much"}}},
                 {"command": "mix", "doc": "Mixes.", "data": {"paints": ["Paint"]}, "returns": "Paint", "example": ["-> x"]},
                 {"event": "MIXED", "doc": "Mixed.", "data": {"color": "Color"}}]""");
        Schema schema = Schema.of(defs);
        Definition.Command mix = schema.command("mix").orElseThrow();
        assertEquals("[Paint]", mix.arguments().getFirst().type());
        assertEquals("Paint", mix.returns());
        assertEquals(List.of("-> x"), mix.example());
        Definition.Struct paint = (Definition.Struct) schema.type("Paint").orElseThrow();
        assertTrue(paint.members().get(1).optional());
        assertEquals("how much", paint.members().get(1).doc());
        assertEquals(List.of("red", "green"), ((Definition.Enum) schema.type("Color").orElseThrow()).valueNames());
        assertEquals("array", schema.jsonType("[Paint]"));
        assertEquals("string", schema.jsonType("Color"));
        assertEquals("int", schema.jsonType("uint8"));
    }

    @Test
    void misspeltKeyIsRefusedWithItsName() {
        SchemaException e = assertThrows(SchemaException.class,
                () -> parse("[{\"command\": \"x\", \"doc\": \"X.\", \"retruns\": \"str\"}]"));
        assertTrue(e.getMessage().contains("unknown key 'retruns'"), e.getMessage());
        assertTrue(e.getMessage().contains("command x"), e.getMessage());
    }

    @Test
    void definitionWithoutDocIsRefused() {
        SchemaException e = assertThrows(SchemaException.class, () -> parse("[{\"event\": \"E\"}]"));
        assertTrue(e.getMessage().contains("event E: needs a 'doc'"), e.getMessage());
    }

    @Test
    void unknownTypesAreListed() throws Exception {
        List<Definition> defs = parse("[{\"command\": \"x\", \"doc\": \"X.\", \"data\": {\"a\": \"Nope\"}, \"returns\": \"Gone\"}]");
        SchemaException e = assertThrows(SchemaException.class, () -> Schema.of(defs));
        assertInstanceOf(Schema.UnresolvedTypes.class, e);
        assertTrue(e.getMessage().contains("x -> Gone") && e.getMessage().contains("x -> Nope"), e.getMessage());
    }

    @Test
    void aNameDefinedTwiceIsRefusedNamingBothDocuments() throws Exception {
        List<Definition> defs = new ArrayList<>(parse("[{\"command\": \"x\", \"doc\": \"X.\"}]"));
        defs.addAll(SchemaParser.parse("other.json", new ByteArrayInputStream(
                "[{\"event\": \"x\", \"doc\": \"X.\"}]".getBytes(StandardCharsets.UTF_8))));
        SchemaException e = assertThrows(SchemaException.class, () -> Schema.of(defs));
        assertTrue(e.getMessage().contains("'x' is defined again (first in test.json)"), e.getMessage());
    }

    @Test
    void notAnArrayIsRefused() {
        assertThrows(SchemaException.class, () -> parse("{\"command\": \"x\"}"));
        assertThrows(SchemaException.class, () -> parse("[1"));
    }
}
