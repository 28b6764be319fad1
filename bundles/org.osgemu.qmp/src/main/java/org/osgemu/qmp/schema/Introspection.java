package org.osgemu.qmp.schema;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code query-qmp-schema}: the schema as a list of QEMU {@code SchemaInfo} objects. Commands and
 * events keep their names; argument objects get QEMU's unmasked implicit names
 * ({@code q_obj_<command>-arg}, {@code q_empty} for none), arrays are named {@code [T]}, and
 * every integer type shows as {@code int}, as in QEMU. Only types that a command or event
 * reaches are listed. Enums carry both {@code members} and {@code values} (QEMU 6.2 and later).
 */
public final class Introspection {

    /** QEMU's name of the empty object type. */
    public static final String EMPTY_OBJECT = "q_empty";

    private final Schema schema;
    private final Map<String, Map<String, Object>> entities = new LinkedHashMap<>();
    private final List<Map<String, Object>> types = new ArrayList<>();

    private Introspection(Schema schema) {
        this.schema = schema;
    }

    /** The {@code SchemaInfo} list of {@code schema}: commands, then events, then the types they use. */
    public static List<Map<String, Object>> of(Schema schema) {
        Introspection i = new Introspection(schema);
        List<Map<String, Object>> result = new ArrayList<>();
        for (Definition.Command c : schema.commands()) {
            Map<String, Object> info = entity(c.name(), "command");
            info.put("arg-type", i.implicitObject(c.name(), c.arguments()));
            info.put("ret-type", c.returns().isEmpty() ? i.emptyObject() : i.use(c.returns()));
            if (c.allowOob()) {
                info.put("allow-oob", true);
            }
            result.add(info);
        }
        for (Definition.Event e : schema.events()) {
            Map<String, Object> info = entity(e.name(), "event");
            info.put("arg-type", i.implicitObject(e.name(), e.data()));
            result.add(info);
        }
        result.addAll(i.types);
        return result;
    }

    private static Map<String, Object> entity(String name, String metaType) {
        Map<String, Object> info = new LinkedHashMap<>();
        info.put("name", name);
        info.put("meta-type", metaType);
        return info;
    }

    private String emptyObject() {
        if (!entities.containsKey(EMPTY_OBJECT)) {
            Map<String, Object> info = entity(EMPTY_OBJECT, "object");
            info.put("members", List.of());
            add(EMPTY_OBJECT, info);
        }
        return EMPTY_OBJECT;
    }

    private String implicitObject(String owner, List<Member> members) {
        if (members.isEmpty()) {
            return emptyObject();
        }
        String name = "q_obj_" + owner + "-arg";
        objectType(name, members);
        return name;
    }

    private void objectType(String name, List<Member> members) {
        Map<String, Object> info = entity(name, "object");
        add(name, info); // before the members, so that a type reaching itself stops here
        List<Map<String, Object>> list = new ArrayList<>();
        for (Member m : members) {
            Map<String, Object> member = new LinkedHashMap<>();
            member.put("name", m.name());
            member.put("type", use(m.type()));
            if (m.optional()) {
                member.put("default", null);
            }
            list.add(member);
        }
        info.put("members", list);
    }

    /** Adds {@code type} (and what it uses) to the list once; returns its introspection name. */
    private String use(String type) {
        Optional<String> element = Schema.elementType(type);
        if (element.isPresent()) {
            String elementName = use(element.get());
            String name = "[" + elementName + "]";
            if (!entities.containsKey(name)) {
                Map<String, Object> info = entity(name, "array");
                info.put("element-type", elementName);
                add(name, info);
            }
            return name;
        }
        Optional<Builtin> builtin = Builtin.named(type);
        if (builtin.isPresent()) {
            String name = builtin.get().introspectionName();
            if (!entities.containsKey(name)) {
                Map<String, Object> info = entity(name, "builtin");
                info.put("json-type", builtin.get().jsonType());
                add(name, info);
            }
            return name;
        }
        if (!entities.containsKey(type)) {
            switch (schema.type(type).orElseThrow()) {
                case Definition.Enum e -> {
                    Map<String, Object> info = entity(type, "enum");
                    info.put("members", e.valueNames().stream().map(v -> Map.<String, Object>of("name", v)).toList());
                    info.put("values", e.valueNames());
                    add(type, info);
                }
                case Definition.Struct s -> objectType(type, s.members());
                default -> throw new IllegalStateException("'" + type + "' is not a type");
            }
        }
        return type;
    }

    private void add(String name, Map<String, Object> info) {
        entities.put(name, info);
        types.add(info);
    }
}
