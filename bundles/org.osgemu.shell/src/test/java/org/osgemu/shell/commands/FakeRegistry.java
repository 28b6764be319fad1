package org.osgemu.shell.commands;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.osgemu.api.command.CommandContext;
import org.osgemu.api.command.CommandEventListener;
import org.osgemu.api.command.CommandException;
import org.osgemu.api.command.CommandInfo;
import org.osgemu.api.command.CommandRegistry;
import org.osgemu.api.command.ErrorClass;

/** A registry with a few commands of the real schema's shapes; records every call. */
final class FakeRegistry implements CommandRegistry {

    record Call(String command, Map<String, Object> arguments, String frontEnd) {}

    final List<Call> calls = new ArrayList<>();
    final Map<String, CommandInfo> commands = new LinkedHashMap<>();
    final List<String> afterResponse = new ArrayList<>();
    Object nextResult;
    CommandException nextFailure;

    FakeRegistry() {
        add(new CommandInfo("stop", "Pauses.", List.of(), "", false, false));
        add(new CommandInfo("quit", "Ends.", List.of(), "", false, false));
        add(new CommandInfo("query-status", "Status.", List.of(), "StatusInfo", false, false));
        add(new CommandInfo("device_add", "Adds.", List.of(arg("driver", "str", "string", false), arg("bus", "str", "string", true),
                arg("id", "str", "string", true)), "", true, false));
        add(new CommandInfo("device_del", "Removes.", List.of(arg("id", "str", "string", false)), "", false, false));
        add(new CommandInfo("qom-get", "Gets.", List.of(arg("path", "str", "string", false),
                arg("property", "str", "string", false)), "any", false, false));
        add(new CommandInfo("human-monitor-command", "Runs.", List.of(arg("command-line", "str", "string", false),
                arg("cpu-index", "int", "int", true)), "str", false, false));
    }

    private static CommandInfo.Argument arg(String name, String type, String jsonType, boolean optional) {
        return new CommandInfo.Argument(name, type, jsonType, optional, "");
    }

    private void add(CommandInfo info) {
        commands.put(info.name(), info);
    }

    @Override
    public Object execute(String command, Map<String, Object> arguments, CommandContext context) throws CommandException {
        calls.add(new Call(command, arguments, context.frontEnd()));
        if (!commands.containsKey(command)) {
            throw new CommandException(ErrorClass.COMMAND_NOT_FOUND, "The command " + command + " has not been found");
        }
        context.afterResponse(() -> afterResponse.add(command));
        if (nextFailure != null) {
            CommandException failure = nextFailure;
            nextFailure = null;
            throw failure;
        }
        Object result = nextResult;
        nextResult = null;
        return result;
    }

    @Override
    public Map<String, Object> checkArguments(String command, Map<String, Object> arguments) {
        return arguments;
    }

    @Override
    public List<String> commands() {
        return List.copyOf(commands.keySet());
    }

    @Override
    public Optional<CommandInfo> describe(String command) {
        return Optional.ofNullable(commands.get(command));
    }

    @Override
    public List<String> events() {
        return List.of();
    }

    @Override
    public void emit(String machine, String event, Map<String, Object> data) {
    }

    @Override
    public void addEventListener(CommandEventListener listener) {
    }

    @Override
    public void removeEventListener(CommandEventListener listener) {
    }
}
