package org.osgemu.qmp.schema;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Reads a schema document: a JSON array of definitions in the spirit of QEMU's QAPI, written
 * as strict JSON so that every tool reads it, with descriptions as {@code doc} members instead
 * of comments.
 *
 * <pre>
 * [
 *   {"enum": "RunState", "doc": "...", "data": ["running", {"name": "paused", "doc": "..."}]},
 *   {"struct": "StatusInfo", "doc": "...",
 *    "data": {"running": {"type": "bool", "doc": "..."}, "status": "RunState"}},
 *   {"command": "query-status", "doc": "...", "returns": "StatusInfo",
 *    "example": ["-> { \"execute\": \"query-status\" }", "<- { \"return\": ... }"]},
 *   {"command": "device_add", "doc": "...", "gen": false,
 *    "data": {"driver": "str", "*id": "str"}},
 *   {"event": "SHUTDOWN", "doc": "...", "data": {"guest": "bool", "reason": "ShutdownCause"}}
 * ]
 * </pre>
 *
 * A member is {@code "name": TYPE} or {@code "name": {"type": TYPE, "doc": "..."}}; a leading
 * {@code *} makes it optional; {@code TYPE} is a type name or {@code [TYPE]} (a JSON array of
 * one name) for an array. Unknown keys are refused, so a misspelt key does not pass unnoticed.
 */
public final class SchemaParser {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> COMMAND_KEYS = Set.of("command", "doc", "data", "returns", "gen", "allow-oob", "example");
    private static final Set<String> EVENT_KEYS = Set.of("event", "doc", "data", "example");
    private static final Set<String> STRUCT_KEYS = Set.of("struct", "doc", "data");
    private static final Set<String> ENUM_KEYS = Set.of("enum", "doc", "data");
    private static final Set<String> MEMBER_KEYS = Set.of("type", "doc");
    private static final String NAME_PATTERN = "[A-Za-z_][A-Za-z0-9_.-]*";

    private SchemaParser() {
    }

    /** Parses the document read from {@code in}; {@code source} names it in messages. */
    public static List<Definition> parse(String source, InputStream in) throws SchemaException {
        JsonNode root;
        try {
            root = JSON.readTree(in);
        } catch (IOException e) {
            throw new SchemaException("schema " + source + ": not valid JSON: " + e.getMessage(), e);
        }
        if (root == null || !root.isArray()) {
            throw new SchemaException("schema " + source + ": must be a JSON array of definitions");
        }
        List<Definition> definitions = new ArrayList<>();
        int index = 0;
        for (JsonNode node : root) {
            definitions.add(definition(source + " [" + index++ + "]", source, node));
        }
        return definitions;
    }

    private static Definition definition(String where, String source, JsonNode node) throws SchemaException {
        if (!(node instanceof ObjectNode object)) {
            throw new SchemaException("schema " + where + ": a definition must be a JSON object");
        }
        if (object.has("command")) {
            String name = name(where, object, "command", COMMAND_KEYS);
            String at = "schema " + source + ", command " + name;
            boolean open = optionalBoolean(at, object, "gen", true) == false;
            return new Definition.Command(name, doc(at, object), source, members(at, object.get("data")),
                    typeName(at, object.get("returns"), true), open, optionalBoolean(at, object, "allow-oob", false),
                    example(at, object));
        }
        if (object.has("event")) {
            String name = name(where, object, "event", EVENT_KEYS);
            String at = "schema " + source + ", event " + name;
            return new Definition.Event(name, doc(at, object), source, members(at, object.get("data")), example(at, object));
        }
        if (object.has("struct")) {
            String name = name(where, object, "struct", STRUCT_KEYS);
            String at = "schema " + source + ", struct " + name;
            if (!object.has("data")) {
                throw new SchemaException(at + ": lacks 'data'");
            }
            return new Definition.Struct(name, doc(at, object), source, members(at, object.get("data")));
        }
        if (object.has("enum")) {
            String name = name(where, object, "enum", ENUM_KEYS);
            String at = "schema " + source + ", enum " + name;
            return new Definition.Enum(name, doc(at, object), source, enumValues(at, object.get("data")));
        }
        throw new SchemaException("schema " + where + ": a definition needs one of 'command', 'event', 'struct', 'enum'");
    }

    private static String name(String where, ObjectNode object, String kind, Set<String> allowed) throws SchemaException {
        JsonNode value = object.get(kind);
        if (!value.isTextual() || !value.asText().matches(NAME_PATTERN)) {
            throw new SchemaException("schema " + where + ": '" + kind + "' must be a name, not " + value);
        }
        for (Iterator<String> keys = object.fieldNames(); keys.hasNext(); ) {
            String key = keys.next();
            if (!allowed.contains(key)) {
                throw new SchemaException("schema " + where + ", " + kind + " " + value.asText() + ": unknown key '"
                        + key + "' (allowed: " + String.join(", ", allowed.stream().sorted().toList()) + ")");
            }
        }
        return value.asText();
    }

    private static String doc(String at, ObjectNode object) throws SchemaException {
        JsonNode doc = object.get("doc");
        if (doc == null || !doc.isTextual() || doc.asText().isBlank()) {
            throw new SchemaException(at + ": needs a 'doc' string describing it");
        }
        return doc.asText();
    }

    private static boolean optionalBoolean(String at, ObjectNode object, String key, boolean absent) throws SchemaException {
        JsonNode value = object.get(key);
        if (value == null) {
            return absent;
        }
        if (!value.isBoolean()) {
            throw new SchemaException(at + ": '" + key + "' must be true or false, not " + value);
        }
        return value.asBoolean();
    }

    private static List<String> example(String at, ObjectNode object) throws SchemaException {
        JsonNode example = object.get("example");
        List<String> lines = new ArrayList<>();
        if (example == null) {
            return lines;
        }
        if (!example.isArray()) {
            throw new SchemaException(at + ": 'example' must be an array of lines");
        }
        for (JsonNode line : example) {
            if (!line.isTextual()) {
                throw new SchemaException(at + ": 'example' lines must be strings, not " + line);
            }
            lines.add(line.asText());
        }
        return lines;
    }

    private static List<Member> members(String at, JsonNode data) throws SchemaException {
        List<Member> members = new ArrayList<>();
        if (data == null) {
            return members;
        }
        if (!data.isObject()) {
            throw new SchemaException(at + ": 'data' must be an object of members");
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = data.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            boolean optional = field.getKey().startsWith("*");
            String name = optional ? field.getKey().substring(1) : field.getKey();
            if (!name.matches(NAME_PATTERN)) {
                throw new SchemaException(at + ": member name '" + field.getKey() + "' is not a name");
            }
            JsonNode spec = field.getValue();
            String doc = "";
            JsonNode type = spec;
            if (spec.isObject()) {
                for (Iterator<String> keys = spec.fieldNames(); keys.hasNext(); ) {
                    String key = keys.next();
                    if (!MEMBER_KEYS.contains(key)) {
                        throw new SchemaException(at + ", member " + name + ": unknown key '" + key + "' (allowed: doc, type)");
                    }
                }
                type = spec.get("type");
                doc = spec.has("doc") ? spec.get("doc").asText() : "";
            }
            members.add(new Member(name, typeName(at + ", member " + name, type, false), optional, doc));
        }
        return members;
    }

    /** {@code "T"} or {@code ["T"]} (written {@code [T]}); empty for an absent optional type. */
    private static String typeName(String at, JsonNode type, boolean mayBeAbsent) throws SchemaException {
        if (type == null && mayBeAbsent) {
            return "";
        }
        if (type != null && type.isTextual() && type.asText().matches(NAME_PATTERN)) {
            return type.asText();
        }
        if (type != null && type.isArray() && type.size() == 1 && type.get(0).isTextual()
                && type.get(0).asText().matches(NAME_PATTERN)) {
            return "[" + type.get(0).asText() + "]";
        }
        throw new SchemaException(at + ": a type must be a name or a one-element array of a name, not " + type);
    }

    private static List<Definition.EnumValue> enumValues(String at, JsonNode data) throws SchemaException {
        if (data == null || !data.isArray() || data.isEmpty()) {
            throw new SchemaException(at + ": 'data' must be a non-empty array of values");
        }
        List<Definition.EnumValue> values = new ArrayList<>();
        for (JsonNode value : data) {
            if (value.isTextual()) {
                values.add(new Definition.EnumValue(value.asText(), ""));
            } else if (value.isObject() && value.path("name").isTextual()) {
                values.add(new Definition.EnumValue(value.get("name").asText(), value.path("doc").asText("")));
            } else {
                throw new SchemaException(at + ": an enum value must be a string or {\"name\": ..., \"doc\": ...}, not " + value);
            }
        }
        return values;
    }
}
