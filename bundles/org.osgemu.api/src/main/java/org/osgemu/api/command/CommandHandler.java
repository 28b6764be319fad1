package org.osgemu.api.command;

import java.util.Map;

/**
 * Runs one schema command. The registry has checked {@code arguments} against the command's
 * schema before the call: every mandatory member is there with the declared type, no unknown
 * member is (unless the command is declared {@code "gen": false}), and enum values are valid.
 *
 * <p>Values are plain Java: objects are {@code Map<String, Object>}, arrays {@code List<Object>},
 * strings {@code String}, every integer type {@code Long} ({@code uint64} and {@code size} as
 * the unsigned bit pattern), {@code number} {@code Double} or {@code Long}, booleans
 * {@code Boolean}, JSON null {@code null}. An optional member that was not given is absent
 * from the map.
 */
@FunctionalInterface
public interface CommandHandler {

    /**
     * Runs the command and returns its result in the same plain-Java form, matching the
     * schema's {@code returns} type; {@code null} for commands that return nothing (the front
     * end answers an empty object).
     *
     * @throws CommandException when the command fails for a reason the client should hear
     */
    Object execute(CommandContext context, Map<String, Object> arguments) throws CommandException;
}
