package org.osgemu.qmp.schema;

import java.util.Objects;

/**
 * A member of an object type, a command's arguments or an event's data.
 *
 * @param name the member name
 * @param type the type name: a builtin ({@code str}), a defined type, or {@code [T]} for an array
 * @param optional whether the member may be absent ({@code *name} in the schema)
 * @param doc the description, empty when the schema gives none
 */
public record Member(String name, String type, boolean optional, String doc) {

    public Member {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(doc, "doc");
    }
}
