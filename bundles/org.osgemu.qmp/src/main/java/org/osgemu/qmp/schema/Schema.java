package org.osgemu.qmp.schema;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * A checked set of definitions from one or more documents: names are unique across commands,
 * events and types, and every type a member, result or array names exists. Immutable.
 */
public final class Schema {

    private final Map<String, Definition.Command> commands = new TreeMap<>();
    private final Map<String, Definition.Event> events = new TreeMap<>();
    private final Map<String, Definition> types = new TreeMap<>();

    private Schema(Collection<Definition> definitions) throws SchemaException {
        Map<String, Definition> byName = new TreeMap<>();
        for (Definition d : definitions) {
            Definition previous = byName.put(d.name(), d);
            if (previous != null) {
                throw new SchemaException("schema " + d.source() + ": '" + d.name() + "' is defined again (first in "
                        + previous.source() + ")");
            }
            if (Builtin.named(d.name()).isPresent()) {
                throw new SchemaException("schema " + d.source() + ": '" + d.name() + "' is a builtin type name");
            }
            switch (d) {
                case Definition.Command c -> commands.put(c.name(), c);
                case Definition.Event e -> events.put(e.name(), e);
                case Definition.Struct s -> types.put(s.name(), s);
                case Definition.Enum e -> types.put(e.name(), e);
            }
        }
        List<String> unresolved = new ArrayList<>();
        for (Definition d : definitions) {
            for (String type : referencedTypes(d)) {
                if (!isType(type)) {
                    unresolved.add(d.name() + " -> " + type);
                }
            }
        }
        if (!unresolved.isEmpty()) {
            throw new UnresolvedTypes(unresolved);
        }
    }

    /** Checks and combines {@code definitions}. */
    public static Schema of(Collection<Definition> definitions) throws SchemaException {
        return new Schema(definitions);
    }

    /** Thrown when a definition names a type nobody defines (yet). */
    public static final class UnresolvedTypes extends SchemaException {
        private static final long serialVersionUID = 1L;

        UnresolvedTypes(List<String> references) {
            super("unknown type(s): " + String.join(", ", references));
        }
    }

    private static List<String> referencedTypes(Definition d) {
        List<String> names = new ArrayList<>();
        List<Member> members = switch (d) {
            case Definition.Command c -> {
                if (!c.returns().isEmpty()) names.add(c.returns());
                yield c.arguments();
            }
            case Definition.Event e -> e.data();
            case Definition.Struct s -> s.members();
            case Definition.Enum e -> List.of();
        };
        members.forEach(m -> names.add(m.type()));
        return names;
    }

    /** Whether {@code type} names a builtin, a defined type, or an array of one. */
    public boolean isType(String type) {
        String element = elementType(type).orElse(type);
        return Builtin.named(element).isPresent() || types.containsKey(element);
    }

    /** The element type of an array type {@code [T]}, empty for other types. */
    public static Optional<String> elementType(String type) {
        if (type.length() > 2 && type.startsWith("[") && type.endsWith("]")) {
            return Optional.of(type.substring(1, type.length() - 1));
        }
        return Optional.empty();
    }

    public Optional<Definition.Command> command(String name) {
        return Optional.ofNullable(commands.get(name));
    }

    public Optional<Definition.Event> event(String name) {
        return Optional.ofNullable(events.get(name));
    }

    /** A defined struct or enum. */
    public Optional<Definition> type(String name) {
        return Optional.ofNullable(types.get(name));
    }

    /** Commands by name, sorted. */
    public Collection<Definition.Command> commands() {
        return commands.values();
    }

    /** Events by name, sorted. */
    public Collection<Definition.Event> events() {
        return events.values();
    }

    /** Defined structs and enums by name, sorted. */
    public Collection<Definition> types() {
        return types.values();
    }

    /**
     * The JSON type of {@code type} as {@code SchemaInfoBuiltin.json-type} names them: string,
     * int, number, boolean, null, object, array, value.
     */
    public String jsonType(String type) {
        if (elementType(type).isPresent()) {
            return "array";
        }
        Optional<Builtin> builtin = Builtin.named(type);
        if (builtin.isPresent()) {
            return builtin.get().jsonType();
        }
        return types.get(type) instanceof Definition.Enum ? "string" : "object";
    }
}
