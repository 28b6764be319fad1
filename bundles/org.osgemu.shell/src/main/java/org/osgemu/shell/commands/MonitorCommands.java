package org.osgemu.shell.commands;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

import org.apache.felix.service.command.Descriptor;
import org.osgemu.api.command.CommandInfo;
import org.osgemu.api.command.CommandRegistry;
import org.osgemu.api.machine.MachineControl;
import org.osgemu.api.machine.ShutdownCause;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Version;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;

/**
 * Gogo commands named as QEMU's human monitor names them ({@code info registers}, {@code stop},
 * {@code cont}, {@code device_add DRIVER,prop=value}...). The commands that are schema commands
 * run through the {@link CommandRegistry}, the one implementation QMP uses too; without a
 * registry (no {@code org.osgemu.qmp} bundle) stop, cont, system_reset and quit still reach the
 * {@link MachineControl} directly. Every command acts on the first machine registered; with
 * none, it answers {@value #NO_MACHINE}. The other schema commands are Gogo commands under their
 * own names (see {@link SchemaCommands}).
 *
 * <p>Results are returned as text rather than printed, so the Gogo shell and the monitor server
 * both show them. Mistakes in what the user typed throw {@link IllegalArgumentException} with a
 * message that says what would have been right.
 */
@Component(service = Object.class)
@GogoCommand(scope = "osgemu",
        function = {"info", "stop", "cont", "c", "system_reset", "quit", "q", "dumpdtb", "help", "system_powerdown",
                "device_add", "device_del"})
public final class MonitorCommands {

    /** The answer of every command that needs a machine when none is registered. */
    static final String NO_MACHINE = "no machine is running";

    private final List<MachineControl> machines = new CopyOnWriteArrayList<>();
    private final InfoTopics info;
    private volatile CommandRegistry registry;

    @Activate
    public MonitorCommands(BundleContext context) {
        this(versionText(context.getBundle().getVersion()));
    }

    /** @param version what {@code info version} prints */
    MonitorCommands(String version) {
        this.info = new InfoTopics(version);
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            unbind = "removeMachine")
    void addMachine(MachineControl machine) {
        machines.add(machine);
    }

    void removeMachine(MachineControl machine) {
        machines.remove(machine);
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            unbind = "unbindRegistry")
    void bindRegistry(CommandRegistry registry) {
        this.registry = registry;
    }

    void unbindRegistry(CommandRegistry registry) {
        if (this.registry == registry) {
            this.registry = null;
        }
    }

    @Descriptor("show machine state: info mtree [-f] | qtree | registers [-a|cpu] | status | cpus | version")
    public String info(@Descriptor("topic and options") String... args) {
        return info.answer(currentMachine(), registry, List.of(args));
    }

    @Descriptor("pause the vCPUs and the virtual clock")
    public String stop() {
        return schemaOr("stop", MachineControl::stop);
    }

    @Descriptor("let the vCPUs run again")
    public String cont() {
        return schemaOr("cont", MachineControl::cont);
    }

    @Descriptor("let the vCPUs run again (short for cont)")
    public String c() {
        return cont();
    }

    /** Named with an underscore because Gogo calls the method named as the command. */
    @Descriptor("reset every device and CPU")
    public String system_reset() {
        return schemaOr("system_reset", machine -> machine.systemReset(ShutdownCause.HOST_QMP_SYSTEM_RESET));
    }

    @Descriptor("shut the machine down")
    public String quit() {
        return schemaOr("quit", machine -> machine.shutdown(ShutdownCause.HOST_QMP_QUIT, 0));
    }

    @Descriptor("ask the guest to power down (the virt board has no device that tells the guest)")
    public String system_powerdown() {
        return schema("system_powerdown", Map.of());
    }

    @Descriptor("add a device: device_add DRIVER[,id=ID][,prop=value...]")
    public String device_add(@Descriptor("DRIVER,prop=value,...") String... args) {
        CommandRegistry commands = requireRegistry("device_add");
        CommandInfo command = commands.describe("device_add").orElseThrow();
        if (args.length == 0) {
            throw new IllegalArgumentException("device_add: give the driver and its properties, e.g. "
                    + "device_add virtio-rng-device,id=rng0");
        }
        Map<String, Object> arguments = ShellArguments.parse(command, List.of(args));
        return schema("device_add", arguments);
    }

    @Descriptor("remove a device: device_del ID")
    public String device_del(@Descriptor("the device's id") String... args) {
        if (args.length != 1) {
            throw new IllegalArgumentException("device_del: give the one id of the device to remove");
        }
        Map<String, Object> arguments = new LinkedHashMap<>();
        arguments.put("id", args[0]);
        return schema("device_del", arguments);
    }

    @Descriptor("shut the machine down (short for quit)")
    public String q() {
        return quit();
    }

    @Descriptor("write the machine's flattened device tree to a file")
    public String dumpdtb(@Descriptor("file to write") String... args) {
        if (args.length != 1 || args[0].isBlank()) {
            throw new IllegalArgumentException("dumpdtb: give the one file to write, e.g. dumpdtb virt.dtb");
        }
        MachineControl machine = currentMachine();
        if (machine == null) {
            return NO_MACHINE;
        }
        byte[] blob = machine.deviceTree();
        if (blob.length == 0) {
            throw new IllegalStateException("dumpdtb: machine '" + machine.name() + "' has no device tree");
        }
        Path file = Path.of(args[0]);
        try {
            Files.write(file, blob);
        } catch (IOException e) {
            throw new IllegalStateException("dumpdtb: cannot write " + file + ": " + e, e);
        }
        return "wrote " + blob.length + " bytes of device tree to " + file;
    }

    @Descriptor("list the commands, or describe one")
    public String help(@Descriptor("command") String... args) {
        CommandRegistry commands = registry;
        if (args.length == 0) {
            if (commands == null) {
                return CommandHelp.all();
            }
            List<String> others = commands.commands().stream().filter(c -> !CommandHelp.FUNCTIONS.contains(c)).toList();
            return CommandHelp.all() + "\n\nschema commands (help COMMAND describes one; also over QMP):\n  "
                    + String.join(" ", others);
        }
        if (args.length > 1) {
            throw new IllegalArgumentException("help: takes at most one command, not " + String.join(" ", args));
        }
        if (commands != null && !CommandHelp.FUNCTIONS.contains(args[0])) {
            CommandInfo command = commands.describe(args[0]).orElse(null);
            if (command != null) {
                return command.name() + " " + ShellArguments.describe(command) + " -- " + command.doc();
            }
        }
        return CommandHelp.of(args[0]).orElseThrow(() -> new IllegalArgumentException(
                "help: unknown command '" + args[0] + "'; try: " + String.join(", ", CommandHelp.FUNCTIONS)));
    }

    /** Runs schema command {@code command} through the registry; without one, {@code fallback} on the machine. */
    private String schemaOr(String command, Consumer<MachineControl> fallback) {
        if (registry == null) {
            return withMachine(fallback);
        }
        if (currentMachine() == null) {
            return NO_MACHINE;
        }
        return schema(command, Map.of());
    }

    private String schema(String command, Map<String, Object> arguments) {
        CommandRegistry commands = requireRegistry(command);
        if (currentMachine() == null) {
            return NO_MACHINE;
        }
        return ResultText.format(RegistryCalls.run(commands, command, arguments));
    }

    private CommandRegistry requireRegistry(String command) {
        CommandRegistry commands = registry;
        if (commands == null) {
            throw new IllegalStateException(command + ": no command registry; install org.osgemu.qmp");
        }
        return commands;
    }

    private String withMachine(Consumer<MachineControl> action) {
        MachineControl machine = currentMachine();
        if (machine == null) {
            return NO_MACHINE;
        }
        action.accept(machine);
        return null; // like QEMU, a command that worked prints nothing
    }

    /** The first machine registered; the list is copy-on-write, so this is safe while machines come and go. */
    private MachineControl currentMachine() {
        return machines.stream().findFirst().orElse(null);
    }

    /** QEMU prints {@code major.minor.micro} and its package in brackets. */
    static String versionText(Version version) {
        return version.getMajor() + "." + version.getMinor() + "." + version.getMicro() + " (osgemu " + version + ")";
    }
}
