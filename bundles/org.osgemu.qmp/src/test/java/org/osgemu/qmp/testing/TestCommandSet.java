package org.osgemu.qmp.testing;

import java.util.Set;

import org.osgemu.qmp.commands.ChardevCommands;
import org.osgemu.qmp.commands.DeviceCommands;
import org.osgemu.qmp.commands.MachineCommands;
import org.osgemu.qmp.commands.MachineEvents;
import org.osgemu.qmp.gogo.HumanMonitorCommand;
import org.osgemu.qmp.registry.CommandSet;

/** The command set as the bundle registers it, wired by hand over a fake machine and fake device configurations. */
public final class TestCommandSet {

    public final FakeMachine machine = new FakeMachine("vm0");
    public final FakeDeviceConfigurations configurations =
            new FakeDeviceConfigurations(machine, Set.of("virtio-rng-device", "ns16550a", "virtio-blk-device", "virtconsole"));
    public final CommandSet commands = new CommandSet();
    public final DeviceCommands devices = new DeviceCommands(commands, configurations, 2000);
    public final MachineEvents events = new MachineEvents(commands);

    public TestCommandSet() {
        configurations.attach(devices);
        configurations.unplacedDrivers.add("virtconsole");
        MachineCommands machines = new MachineCommands(commands);
        machines.addMachine(machine);
        devices.addMachine(machine);
        events.addMachine(machine);
        commands.addProvider(machines);
        commands.addProvider(devices);
        commands.addProvider(new ChardevCommands());
        commands.addProvider(new HumanMonitorCommand(null));
        configurations.onboard("ns16550a", "uart0");
    }
}
