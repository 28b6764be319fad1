package org.osgemu.shell.commands;

import java.util.Map;

import org.osgemu.api.command.CommandException;
import org.osgemu.api.command.CommandRegistry;
import org.osgemu.api.command.ErrorClass;

/** Runs a schema command for the shell; a refusal becomes the exception the shell prints as one error line. */
final class RegistryCalls {

    private RegistryCalls() {
    }

    static Object run(CommandRegistry registry, String command, Map<String, Object> arguments) {
        ShellCommandContext context = new ShellCommandContext();
        Object result;
        try {
            result = registry.execute(command, arguments, context);
        } catch (CommandException e) {
            if (e.errorClass() == ErrorClass.GENERIC_ERROR) {
                throw new IllegalArgumentException(command + ": " + e.getMessage(), e);
            }
            throw new IllegalArgumentException(command + ": " + e.getMessage() + " (" + e.errorClass().wireName() + ")", e);
        }
        context.finish();
        return result;
    }
}
