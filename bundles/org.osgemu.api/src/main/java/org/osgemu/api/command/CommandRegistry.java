package org.osgemu.api.command;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The one command set: every command of every {@link CommandProvider}, described by one schema.
 * {@link #execute} checks the arguments against the schema and then runs the provider's
 * handler, so front ends never check arguments themselves.
 */
public interface CommandRegistry {

    /**
     * Runs {@code command}.
     *
     * @param arguments the argument object in plain-Java form (see {@link CommandHandler})
     * @return the handler's result; {@code null} when the command returns nothing
     * @throws CommandException {@link ErrorClass#COMMAND_NOT_FOUND} for an unknown command,
     *         {@link ErrorClass#GENERIC_ERROR} for arguments the schema refuses, or what the
     *         handler threw
     */
    Object execute(String command, Map<String, Object> arguments, CommandContext context) throws CommandException;

    /**
     * Checks {@code arguments} of {@code command} against the schema without running it, for a
     * front end that answers a command itself (QMP's {@code qmp_capabilities} while negotiating).
     *
     * @return the arguments normalized as {@link #execute} hands them to the handler
     * @throws CommandException as {@link #execute} for an unknown command or refused arguments
     */
    Map<String, Object> checkArguments(String command, Map<String, Object> arguments) throws CommandException;

    /** The names of the commands, sorted. */
    List<String> commands();

    /** The schema's description of {@code command}, if it exists. */
    Optional<CommandInfo> describe(String command);

    /** The names of the events the schema defines, sorted. */
    List<String> events();

    /**
     * Emits {@code event} of machine {@code machine} to every listener, after checking
     * {@code data} against the event's schema.
     *
     * @throws IllegalArgumentException when the schema has no such event or the data does not
     *         match it (a mistake of the emitting bundle)
     */
    void emit(String machine, String event, Map<String, Object> data);

    void addEventListener(CommandEventListener listener);

    void removeEventListener(CommandEventListener listener);
}
