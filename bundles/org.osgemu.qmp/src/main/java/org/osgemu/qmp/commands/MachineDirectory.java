package org.osgemu.qmp.commands;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.osgemu.api.command.CommandContext;
import org.osgemu.api.command.CommandException;
import org.osgemu.api.machine.MachineControl;

/**
 * The machines a provider can address, in the order they were registered; a command acts on
 * the machine its front end names, or on the first one.
 */
final class MachineDirectory {

    private final List<MachineControl> machines = new CopyOnWriteArrayList<>();

    void add(MachineControl machine) {
        machines.add(machine);
    }

    void remove(MachineControl machine) {
        machines.remove(machine);
    }

    List<MachineControl> all() {
        return List.copyOf(machines);
    }

    /** The machine {@code context} addresses. */
    MachineControl select(CommandContext context) throws CommandException {
        String name = context.machine();
        for (MachineControl machine : machines) {
            if (name == null || name.isEmpty() || machine.name().equals(name)) {
                return machine;
            }
        }
        throw new CommandException(name == null || name.isEmpty() ? "No machine is running"
                : "Machine '" + name + "' does not exist");
    }
}
