package org.osgemu.api.command;

import java.util.List;
import java.util.Objects;

/**
 * A command as its schema describes it, for front ends that show help or parse arguments of
 * their own syntax (the shell).
 *
 * @param name the command name, e.g. {@code query-status}
 * @param doc the description
 * @param arguments the members of the argument object, in schema order
 * @param returns the name of the result type; empty when the command returns nothing
 * @param acceptsExtraArguments whether members beyond {@code arguments} are passed on unchecked
 *                              ({@code "gen": false}, as {@code device_add}'s device properties)
 * @param allowOob whether QMP may run the command out of band ({@code exec-oob})
 */
public record CommandInfo(String name, String doc, List<Argument> arguments, String returns,
                          boolean acceptsExtraArguments, boolean allowOob) {

    public CommandInfo {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(doc, "doc");
        arguments = List.copyOf(arguments);
        Objects.requireNonNull(returns, "returns");
    }

    /**
     * One argument.
     *
     * @param name member name
     * @param type type name as the schema writes it ({@code str}, {@code int}, {@code [str]}, an enum...)
     * @param jsonType what the value is on the wire: {@code string}, {@code int}, {@code number},
     *                 {@code boolean}, {@code null}, {@code object}, {@code array} or {@code value} (anything)
     * @param optional whether it may be left out
     * @param doc the description
     */
    public record Argument(String name, String type, String jsonType, boolean optional, String doc) {

        public Argument {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(type, "type");
            Objects.requireNonNull(jsonType, "jsonType");
            Objects.requireNonNull(doc, "doc");
        }
    }
}
