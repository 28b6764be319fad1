package org.osgemu.qmp.registry;

import java.net.URL;
import java.util.List;
import java.util.Map;

import org.osgemu.api.command.CommandContext;
import org.osgemu.api.command.CommandException;
import org.osgemu.api.command.CommandHandler;
import org.osgemu.api.command.CommandProvider;
import org.osgemu.api.command.ErrorClass;

/**
 * The commands about the command set itself ({@code qapi/control.json}). {@code qmp_capabilities}
 * is answered by a QMP connection itself while it negotiates; reaching the registry means
 * negotiation is over, and QEMU then refuses it as done here.
 */
final class ControlCommands implements CommandProvider {

    private final CommandSet commands;

    ControlCommands(CommandSet commands) {
        this.commands = commands;
    }

    @Override
    public URL schema() {
        return ControlCommands.class.getResource("/qapi/control.json");
    }

    @Override
    public Map<String, CommandHandler> handlers() {
        return Map.of(
                "qmp_capabilities", this::capabilities,
                "query-version", (context, arguments) -> QemuVersion.versionInfo(),
                "query-commands", (context, arguments) -> commandList(),
                "query-qmp-schema", (context, arguments) -> commands.introspection());
    }

    private Object capabilities(CommandContext context, Map<String, Object> arguments) throws CommandException {
        throw new CommandException(ErrorClass.COMMAND_NOT_FOUND, "Capabilities negotiation is already complete, command ignored");
    }

    private List<Map<String, Object>> commandList() {
        return commands.commands().stream().map(name -> Map.<String, Object>of("name", name)).toList();
    }
}
