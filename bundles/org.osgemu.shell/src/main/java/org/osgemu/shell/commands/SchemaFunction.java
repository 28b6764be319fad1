package org.osgemu.shell.commands;

import java.util.List;

import org.apache.felix.service.command.CommandSession;
import org.apache.felix.service.command.Function;
import org.osgemu.api.command.CommandInfo;
import org.osgemu.api.command.CommandRegistry;

/**
 * One schema command as a Gogo command of the same name ({@code query-status},
 * {@code qom-get /machine type}): the words become the argument object (see
 * {@link ShellArguments}), the registry runs the command, the result is shown as text.
 */
final class SchemaFunction implements Function {

    private final CommandRegistry registry;
    private final String command;

    SchemaFunction(CommandRegistry registry, String command) {
        this.registry = registry;
        this.command = command;
    }

    @Override
    public Object execute(CommandSession session, List<Object> arguments) {
        CommandInfo info = registry.describe(command).orElseThrow(() -> new IllegalArgumentException(
                command + ": the command is gone (its bundle stopped)"));
        List<String> words = arguments.stream().map(String::valueOf).toList();
        if (words.equals(List.of("--help")) || words.equals(List.of("-h"))) {
            return command + " " + ShellArguments.describe(info) + "\n" + info.doc();
        }
        return ResultText.format(RegistryCalls.run(registry, command, ShellArguments.parse(info, words)));
    }
}
