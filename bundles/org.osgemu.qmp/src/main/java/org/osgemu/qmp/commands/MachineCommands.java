package org.osgemu.qmp.commands;

import java.net.URL;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import org.osgemu.api.command.CommandContext;
import org.osgemu.api.command.CommandException;
import org.osgemu.api.command.CommandHandler;
import org.osgemu.api.command.CommandProvider;
import org.osgemu.api.command.CommandRegistry;
import org.osgemu.api.cpu.Cpu;
import org.osgemu.api.machine.MachineControl;
import org.osgemu.api.machine.MachineFactory;
import org.osgemu.api.machine.RunState;
import org.osgemu.api.machine.ShutdownCause;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;

/**
 * The run-control and machine query commands of {@code qapi/machine.json}, over
 * {@link MachineControl}. {@code stop} and {@code cont} act before they answer (their STOP and
 * RESUME events come first, as in QEMU); {@code system_reset}, {@code system_powerdown} and
 * {@code quit} answer first and act after, as QEMU's main loop does.
 *
 * <p>{@code system_powerdown} asks the guest to power down: after the POWERDOWN event it presses
 * the machine's power buttons ({@link MachineControl#requestPowerdown()}; on the virt board, the
 * power key on the GPIO controller). A guest that acts on the key powers itself off, and the
 * machine's SHUTDOWN event follows with {@code guest: true}, reason {@code guest-shutdown}.
 */
@Component(service = CommandProvider.class)
public final class MachineCommands implements CommandProvider {

    /** The architecture every machine here emulates ({@code SysEmuTarget}). */
    static final String TARGET = "riscv64";

    private final MachineDirectory machines = new MachineDirectory();
    private final List<MachineFactory> factories = new CopyOnWriteArrayList<>();
    private final CommandRegistry registry;

    @Activate
    public MachineCommands(@Reference CommandRegistry registry) {
        this.registry = registry;
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC, unbind = "removeMachine")
    public void addMachine(MachineControl machine) {
        machines.add(machine);
    }

    public void removeMachine(MachineControl machine) {
        machines.remove(machine);
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC, unbind = "removeFactory")
    public void addFactory(MachineFactory factory) {
        factories.add(factory);
    }

    public void removeFactory(MachineFactory factory) {
        factories.remove(factory);
    }

    @Override
    public URL schema() {
        return MachineCommands.class.getResource("/qapi/machine.json");
    }

    @Override
    public Map<String, CommandHandler> handlers() {
        Map<String, CommandHandler> handlers = new LinkedHashMap<>();
        handlers.put("query-status", (c, a) -> status(machines.select(c).state()));
        handlers.put("query-name", (c, a) -> Map.of("name", machines.select(c).name()));
        handlers.put("query-target", (c, a) -> Map.of("arch", TARGET));
        handlers.put("query-machines", (c, a) -> machineTypes());
        handlers.put("query-cpus-fast", (c, a) -> cpus(machines.select(c)));
        handlers.put("stop", (c, a) -> run(() -> machines.select(c).stop()));
        handlers.put("cont", this::cont);
        handlers.put("system_reset", (c, a) -> later(c, m -> m.systemReset(ShutdownCause.HOST_QMP_SYSTEM_RESET)));
        handlers.put("quit", (c, a) -> later(c, m -> m.shutdown(ShutdownCause.HOST_QMP_QUIT, 0)));
        handlers.put("system_powerdown", (c, a) -> later(c, this::powerdown));
        return handlers;
    }

    /** The event first, as QEMU's main loop sends it before its powerdown notifiers run; then the press. */
    private void powerdown(MachineControl machine) {
        registry.emit(machine.name(), "POWERDOWN", Map.of());
        machine.requestPowerdown();
    }

    /** {@code StatusInfo}; {@code running} is true only in the running state, as QEMU's {@code runstate_is_running}. */
    static Map<String, Object> status(RunState state) {
        Map<String, Object> info = new LinkedHashMap<>();
        info.put("status", state.qapiName());
        info.put("singlestep", false);
        info.put("running", state == RunState.RUNNING);
        return info;
    }

    private Object cont(CommandContext context, Map<String, Object> arguments) throws CommandException {
        MachineControl machine = machines.select(context);
        try {
            machine.cont();
        } catch (IllegalStateException e) {
            // QEMU words the same refusals so: a machine that has not started, or one that ended
            throw new CommandException(switch (machine.state()) {
                case SHUTDOWN -> "Resetting the Virtual Machine is required";
                case INMIGRATE -> "Guest is waiting for an incoming migration";
                default -> e.getMessage();
            });
        }
        return null;
    }

    private interface MachineAction {
        void apply(MachineControl machine) throws CommandException;
    }

    private Object later(CommandContext context, MachineAction action) throws CommandException {
        MachineControl machine = machines.select(context);
        context.afterResponse(() -> {
            try {
                action.apply(machine);
            } catch (CommandException e) {
                throw new IllegalStateException(e.getMessage(), e);
            }
        });
        return null;
    }

    private interface Action {
        void run() throws CommandException;
    }

    private static Object run(Action action) throws CommandException {
        action.run();
        return null;
    }

    private List<Map<String, Object>> machineTypes() {
        List<Map<String, Object>> list = new ArrayList<>();
        for (MachineFactory factory : factories) {
            Map<String, Object> info = new LinkedHashMap<>();
            info.put("name", factory.type());
            info.put("cpu-max", 512L);
            info.put("hotpluggable-cpus", false);
            info.put("numa-mem-supported", false);
            info.put("deprecated", false);
            info.put("default-cpu-type", "rv64-riscv-cpu");
            info.put("acpi", false);
            list.add(info);
        }
        return list;
    }

    /** {@code CpuInfoFast} of each hart; the QOM path is where {@code qom-list} shows the hart. */
    private static List<Map<String, Object>> cpus(MachineControl machine) {
        List<Map<String, Object>> list = new ArrayList<>();
        for (Cpu cpu : machine.cpus()) {
            Map<String, Object> info = new LinkedHashMap<>();
            info.put("cpu-index", (long) cpu.index());
            info.put("qom-path", QomTree.hartPath(cpu.index()));
            info.put("thread-id", machine.vcpuThreadId(cpu.index()));
            Map<String, Object> props = new LinkedHashMap<>();
            props.put("core-id", (long) cpu.index());
            props.put("socket-id", 0L);
            props.put("node-id", 0L);
            info.put("props", props);
            info.put("target", TARGET);
            list.add(info);
        }
        return list;
    }
}
