package org.osgemu.qmp.schema;

import java.util.List;
import java.util.Objects;

/** One definition of a schema document: a command, an event, an object type or an enum. */
public sealed interface Definition {

    /** The defined name. */
    String name();

    /** The description. */
    String doc();

    /** The document the definition comes from, for messages. */
    String source();

    /**
     * A command.
     *
     * @param arguments members of the argument object
     * @param returns the result type name; empty when the command returns nothing
     * @param open {@code "gen": false}: members beyond {@code arguments} are passed on unchecked
     * @param allowOob whether the command may run out of band ({@code exec-oob})
     * @param example lines of an example session, {@code ->} for the client and {@code <-} for the server
     */
    record Command(String name, String doc, String source, List<Member> arguments, String returns, boolean open,
                   boolean allowOob, List<String> example) implements Definition {
        public Command {
            Objects.requireNonNull(name, "name");
            arguments = List.copyOf(arguments);
            example = List.copyOf(example);
        }
    }

    /** An event; {@code data} are the members of its data object. */
    record Event(String name, String doc, String source, List<Member> data, List<String> example)
            implements Definition {
        public Event {
            Objects.requireNonNull(name, "name");
            data = List.copyOf(data);
            example = List.copyOf(example);
        }
    }

    /** An object type ({@code struct}). */
    record Struct(String name, String doc, String source, List<Member> members) implements Definition {
        public Struct {
            Objects.requireNonNull(name, "name");
            members = List.copyOf(members);
        }
    }

    /** An enumeration; values are strings on the wire. */
    record Enum(String name, String doc, String source, List<EnumValue> values) implements Definition {
        public Enum {
            Objects.requireNonNull(name, "name");
            values = List.copyOf(values);
        }

        /** The value names in schema order. */
        public List<String> valueNames() {
            return values.stream().map(EnumValue::name).toList();
        }
    }

    /** One value of an enumeration, with its description (may be empty). */
    record EnumValue(String name, String doc) {
        public EnumValue {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(doc, "doc");
        }
    }
}
