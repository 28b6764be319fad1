package org.osgemu.shell.commands;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

import org.apache.felix.service.command.Descriptor;
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
 * {@code cont}, ...), thin over the {@link MachineControl} service. Every command acts on the
 * first machine registered; with none, it answers {@value #NO_MACHINE}.
 *
 * <p>Results are returned as text rather than printed, so the Gogo shell and the monitor server
 * both show them. Mistakes in what the user typed throw {@link IllegalArgumentException} with a
 * message that says what would have been right.
 */
@Component(service = Object.class)
@GogoCommand(scope = "osgemu",
        function = {"info", "stop", "cont", "c", "system_reset", "quit", "q", "dumpdtb", "help"})
public final class MonitorCommands {

    /** The answer of every command that needs a machine when none is registered. */
    static final String NO_MACHINE = "no machine is running";

    private final List<MachineControl> machines = new CopyOnWriteArrayList<>();
    private final InfoTopics info;

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

    @Descriptor("show machine state: info mtree [-f] | qtree | registers [-a|cpu] | status | cpus | version")
    public String info(@Descriptor("topic and options") String... args) {
        return info.answer(currentMachine(), List.of(args));
    }

    @Descriptor("pause the vCPUs and the virtual clock")
    public String stop() {
        return withMachine(MachineControl::stop);
    }

    @Descriptor("let the vCPUs run again")
    public String cont() {
        return withMachine(MachineControl::cont);
    }

    @Descriptor("let the vCPUs run again (short for cont)")
    public String c() {
        return cont();
    }

    /** Named with an underscore because Gogo calls the method named as the command. */
    @Descriptor("reset every device and CPU")
    public String system_reset() {
        return withMachine(machine -> machine.systemReset(ShutdownCause.HOST_QMP_SYSTEM_RESET));
    }

    @Descriptor("shut the machine down")
    public String quit() {
        return withMachine(machine -> machine.shutdown(ShutdownCause.HOST_QMP_QUIT, 0));
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
        if (args.length == 0) {
            return CommandHelp.all();
        }
        if (args.length > 1) {
            throw new IllegalArgumentException("help: takes at most one command, not " + String.join(" ", args));
        }
        return CommandHelp.of(args[0]).orElseThrow(() -> new IllegalArgumentException(
                "help: unknown command '" + args[0] + "'; try: " + String.join(", ", CommandHelp.FUNCTIONS)));
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
