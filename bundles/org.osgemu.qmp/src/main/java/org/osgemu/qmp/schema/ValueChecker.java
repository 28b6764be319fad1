package org.osgemu.qmp.schema;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.osgemu.api.command.CommandException;

/**
 * Checks a plain-Java value against a schema type, the way QEMU's input visitor does, and
 * words each failure as QEMU does ({@code Parameter 'x' is missing}, {@code Invalid parameter
 * type for 'x', expected: integer}, ...), naming nested members {@code a.b} and array elements
 * {@code a[0]}. Members are checked in schema order; unexpected members are reported last.
 * The result is the value normalized: every integer a {@code Long}, numbers {@code Double} or
 * {@code Long}, objects and arrays copied.
 */
public final class ValueChecker {

    private static final BigInteger TWO_TO_64 = BigInteger.ONE.shiftLeft(64);

    private final Schema schema;

    public ValueChecker(Schema schema) {
        this.schema = schema;
    }

    /**
     * Checks an object against {@code members}.
     *
     * @param path the object's own name ({@code ""} for a command's argument object)
     * @param open whether members beyond {@code members} pass (unchecked)
     */
    public Map<String, Object> checkObject(String path, List<Member> members, boolean open, Map<String, Object> value)
            throws CommandException {
        Map<String, Object> result = new LinkedHashMap<>();
        Set<String> seen = new HashSet<>();
        for (Member member : members) {
            String name = join(path, member.name());
            if (!value.containsKey(member.name())) {
                if (!member.optional()) {
                    throw new CommandException("Parameter '" + name + "' is missing");
                }
                continue;
            }
            seen.add(member.name());
            result.put(member.name(), check(name, member.type(), value.get(member.name())));
        }
        for (Map.Entry<String, Object> entry : value.entrySet()) {
            if (!seen.contains(entry.getKey())) {
                if (!open) {
                    throw new CommandException("Parameter '" + join(path, entry.getKey()) + "' is unexpected");
                }
                result.put(entry.getKey(), entry.getValue());
            }
        }
        return result;
    }

    /** Checks {@code value} against {@code type}; {@code path} names it in messages. */
    public Object check(String path, String type, Object value) throws CommandException {
        Optional<String> element = Schema.elementType(type);
        if (element.isPresent()) {
            if (!(value instanceof List<?> list)) {
                throw wrongType(path, "array");
            }
            List<Object> result = new ArrayList<>(list.size());
            for (int i = 0; i < list.size(); i++) {
                result.add(check(path + "[" + i + "]", element.get(), list.get(i)));
            }
            return result;
        }
        Optional<Builtin> builtin = Builtin.named(type);
        if (builtin.isPresent()) {
            return checkBuiltin(path, builtin.get(), value);
        }
        Definition definition = schema.type(type)
                .orElseThrow(() -> new IllegalStateException("schema has no type '" + type + "'"));
        return switch (definition) {
            case Definition.Enum e -> {
                if (!(value instanceof String s)) {
                    throw wrongType(path, "string");
                }
                if (!e.valueNames().contains(s)) {
                    throw new CommandException("Parameter '" + path + "' does not accept value '" + s + "'");
                }
                yield s;
            }
            case Definition.Struct s -> {
                if (!(value instanceof Map<?, ?> map)) {
                    throw wrongType(path, "object");
                }
                yield checkObject(path, s.members(), false, stringKeys(path, map));
            }
            default -> throw new IllegalStateException("'" + type + "' is not a type");
        };
    }

    private Object checkBuiltin(String path, Builtin builtin, Object value) throws CommandException {
        return switch (builtin.jsonType()) {
            case "string" -> {
                if (!(value instanceof String)) throw wrongType(path, "string");
                yield value;
            }
            case "boolean" -> {
                if (!(value instanceof Boolean)) throw wrongType(path, "boolean");
                yield value;
            }
            case "null" -> {
                if (value != null) throw wrongType(path, "null");
                yield null;
            }
            case "number" -> {
                if (value instanceof Double || value instanceof Float) yield ((Number) value).doubleValue();
                if (isIntegral(value)) yield value instanceof BigInteger b ? (Object) b.doubleValue() : ((Number) value).longValue();
                throw wrongType(path, "number");
            }
            case "int" -> checkInteger(path, builtin, value);
            default -> value; // any
        };
    }

    private static Long checkInteger(String path, Builtin builtin, Object value) throws CommandException {
        boolean unsigned64 = builtin.max() == -1;
        if (!isIntegral(value)) {
            if (unsigned64) {
                throw new CommandException("Parameter '" + path + "' expects " + builtin.name());
            }
            throw wrongType(path, "integer");
        }
        if (value instanceof BigInteger big) {
            // only the unsigned 64-bit types reach past Long.MAX_VALUE
            if (unsigned64 && big.signum() > 0 && big.compareTo(TWO_TO_64) < 0) {
                return big.longValue();
            }
            throw unsigned64 ? new CommandException("Parameter '" + path + "' expects " + builtin.name())
                    : wrongType(path, "integer");
        }
        long v = ((Number) value).longValue();
        if (!unsigned64 && (v < builtin.min() || v > builtin.max())) {
            throw new CommandException("Parameter '" + path + "' expects " + builtin.name());
        }
        return v;
    }

    private static boolean isIntegral(Object value) {
        return value instanceof Long || value instanceof Integer || value instanceof Short || value instanceof Byte
                || value instanceof BigInteger;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> stringKeys(String path, Map<?, ?> map) throws CommandException {
        for (Object key : map.keySet()) {
            if (!(key instanceof String)) {
                throw wrongType(path, "object");
            }
        }
        return (Map<String, Object>) map;
    }

    private static CommandException wrongType(String path, String expected) {
        return new CommandException("Invalid parameter type for '" + (path.isEmpty() ? "null" : path)
                + "', expected: " + expected);
    }

    private static String join(String path, String member) {
        return path.isEmpty() ? member : path + "." + member;
    }
}
