package org.osgemu.qmp.schema;

import java.util.Map;
import java.util.Optional;

/**
 * The builtin types of QAPI and how each looks on the wire. Integer types other than
 * {@code int} carry their range; {@code uint64} and {@code size} also take negative values, as
 * QEMU accepts them for backward compatibility (they wrap).
 *
 * @param name the type name in schemas
 * @param jsonType the JSON type ({@code SchemaInfoBuiltin.json-type}): string, int, number, boolean, null, value
 * @param min smallest integer accepted (integer types only)
 * @param max largest integer accepted, or -1 for the full unsigned 64-bit range
 */
public record Builtin(String name, String jsonType, long min, long max) {

    private static final Map<String, Builtin> ALL = Map.ofEntries(
            entry("str", "string"), entry("number", "number"), entry("bool", "boolean"),
            entry("null", "null"), entry("any", "value"),
            integer("int", Long.MIN_VALUE, Long.MAX_VALUE), integer("int64", Long.MIN_VALUE, Long.MAX_VALUE),
            integer("int8", Byte.MIN_VALUE, Byte.MAX_VALUE), integer("int16", Short.MIN_VALUE, Short.MAX_VALUE),
            integer("int32", Integer.MIN_VALUE, Integer.MAX_VALUE),
            integer("uint8", 0, 0xFF), integer("uint16", 0, 0xFFFF), integer("uint32", 0, 0xFFFF_FFFFL),
            integer("uint64", Long.MIN_VALUE, -1), integer("size", Long.MIN_VALUE, -1));

    private static Map.Entry<String, Builtin> entry(String name, String jsonType) {
        return Map.entry(name, new Builtin(name, jsonType, 0, 0));
    }

    private static Map.Entry<String, Builtin> integer(String name, long min, long max) {
        return Map.entry(name, new Builtin(name, "int", min, max));
    }

    /** The builtin named {@code name}, if there is one. */
    public static Optional<Builtin> named(String name) {
        return Optional.ofNullable(ALL.get(name));
    }

    /** Whether values are integers. */
    public boolean isInteger() {
        return jsonType.equals("int");
    }

    /**
     * The name introspection shows: every integer type is {@code int} there, as QEMU maps them,
     * because the ranges are not part of the wire ABI.
     */
    public String introspectionName() {
        return isInteger() ? "int" : name;
    }
}
