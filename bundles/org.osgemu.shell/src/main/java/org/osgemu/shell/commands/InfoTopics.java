package org.osgemu.shell.commands;

import java.util.List;
import java.util.Map;

import org.osgemu.api.command.CommandRegistry;
import org.osgemu.api.cpu.Cpu;
import org.osgemu.api.machine.MachineControl;
import org.osgemu.api.machine.RunState;

/**
 * The topics of {@code info}: each turns a machine's state into the text QEMU's monitor shows
 * for the same topic. A topic or option that does not exist is a user mistake and throws
 * {@link IllegalArgumentException} with a message that lists what does exist.
 */
final class InfoTopics {

    /** The topics in the order {@code info} lists them. */
    static final List<String> TOPICS = List.of("mtree", "qtree", "registers", "status", "cpus", "version", "chardev",
            "migrate");

    private final String version;

    /** @param version what {@code info version} prints */
    InfoTopics(String version) {
        this.version = version;
    }

    /**
     * Answers {@code info <topic> <options...>}. The topics that are schema commands too
     * ({@code status}, {@code version}, {@code chardev}) run through the command registry when
     * there is one, so the shell and QMP answer from the same implementation.
     *
     * @param machine the machine to describe, or null when none is running
     * @param registry the command registry, or null when none is installed
     * @param args the topic followed by its options; empty lists the topics
     */
    String answer(MachineControl machine, CommandRegistry registry, List<String> args) {
        if (args.isEmpty()) {
            return topicList();
        }
        String topic = args.getFirst();
        List<String> options = args.subList(1, args.size());
        if (!TOPICS.contains(topic)) {
            throw new IllegalArgumentException("info: unknown topic '" + topic + "'; try: " + String.join(", ", TOPICS));
        }
        if (topic.equals("version")) {
            expectNoOptions(topic, options);
            return registry == null ? version : versionLine(RegistryCalls.run(registry, "query-version", Map.of()));
        }
        if (topic.equals("chardev")) {
            expectNoOptions(topic, options);
            if (registry == null) {
                throw new IllegalStateException("info chardev: no command registry; install org.osgemu.qmp");
            }
            return chardevLines(RegistryCalls.run(registry, "query-chardev", Map.of()));
        }
        if (topic.equals("migrate")) {
            expectNoOptions(topic, options);
            if (registry == null) {
                throw new IllegalStateException("info migrate: no command registry; install org.osgemu.qmp");
            }
            return migrateLines(RegistryCalls.run(registry, "query-migrate", Map.of()));
        }
        if (machine == null) {
            return MonitorCommands.NO_MACHINE;
        }
        return switch (topic) {
            case "mtree" -> machine.describeMemory(flatOption(options)).stripTrailing();
            case "qtree" -> {
                expectNoOptions(topic, options);
                yield QtreeDump.format(machine.devices(), machine.memory());
            }
            case "registers" -> registers(machine, options);
            case "status" -> {
                expectNoOptions(topic, options);
                yield StatusLine.format(registry == null ? machine.state() : runState(RegistryCalls.run(registry, "query-status", Map.of())));
            }
            case "cpus" -> {
                expectNoOptions(topic, options);
                List<Cpu> cpus = machine.cpus();
                yield CpuList.format(cpus, currentCpu(cpus), machine::vcpuThreadId);
            }
            default -> throw new IllegalStateException("info: topic '" + topic + "' has no handler");
        };
    }

    /** The run state a {@code StatusInfo} names. */
    private static RunState runState(Object statusInfo) {
        String status = String.valueOf(((Map<?, ?>) statusInfo).get("status"));
        for (RunState state : RunState.values()) {
            if (state.qapiName().equals(status)) {
                return state;
            }
        }
        throw new IllegalStateException("info status: unknown run state '" + status + "'");
    }

    /** QEMU's {@code info version}: {@code major.minor.micro} and the package in brackets. */
    private static String versionLine(Object versionInfo) {
        Map<?, ?> info = (Map<?, ?>) versionInfo;
        Map<?, ?> qemu = (Map<?, ?>) info.get("qemu");
        return qemu.get("major") + "." + qemu.get("minor") + "." + qemu.get("micro") + " (" + info.get("package") + ")";
    }

    /** QEMU's {@code info migrate}: the status line, then one {@code name: value} line per figure. */
    private static String migrateLines(Object info) {
        Map<?, ?> m = (Map<?, ?>) info;
        if (m.isEmpty()) {
            return "";
        }
        StringBuilder text = new StringBuilder("Migration status: " + m.get("status"));
        for (Map.Entry<?, ?> e : m.entrySet()) {
            if (e.getKey().equals("status")) {
                continue;
            }
            if (e.getValue() instanceof Map<?, ?> group) {
                for (Map.Entry<?, ?> g : group.entrySet()) {
                    text.append('\n').append(e.getKey()).append(' ').append(g.getKey()).append(": ").append(g.getValue());
                }
            } else {
                text.append('\n').append(e.getKey()).append(": ").append(e.getValue());
            }
        }
        return text.toString();
    }

    /** QEMU's {@code info chardev}: {@code label: filename=...}, one line each. */
    private static String chardevLines(Object chardevs) {
        StringBuilder text = new StringBuilder();
        for (Object entry : (List<?>) chardevs) {
            Map<?, ?> chardev = (Map<?, ?>) entry;
            if (!text.isEmpty()) {
                text.append('\n');
            }
            text.append(chardev.get("label")).append(": filename=").append(chardev.get("filename"));
        }
        return text.toString();
    }

    /** The monitor's current CPU: the first one (hart 0 on every board we have). */
    static int currentCpu(List<Cpu> cpus) {
        return cpus.isEmpty() ? 0 : cpus.getFirst().index();
    }

    private static String topicList() {
        return """
                info mtree [-f]          -- memory regions (-f: the flattened view)
                info qtree               -- the device tree of the machine
                info registers [-a|cpu]  -- CPU registers (-a: every CPU; or one hart id)
                info status              -- run state
                info cpus                -- CPUs and their vCPU threads
                info version             -- version (the QEMU version followed, and osgemu's)
                info chardev             -- character device backends""";
    }

    private static boolean flatOption(List<String> options) {
        boolean flat = false;
        for (String option : options) {
            if (!option.equals("-f")) {
                throw new IllegalArgumentException("info mtree: unknown option '" + option + "'; try: -f");
            }
            flat = true;
        }
        return flat;
    }

    private static String registers(MachineControl machine, List<String> options) {
        List<Cpu> cpus = machine.cpus();
        if (options.size() > 1) {
            throw new IllegalArgumentException("info registers: takes one option, -a or a CPU index, not " + options);
        }
        if (cpus.isEmpty()) {
            return "machine '" + machine.name() + "' has no CPU";
        }
        if (options.isEmpty()) {
            return RegisterDump.format(cpus.getFirst());
        }
        String option = options.getFirst();
        if (option.equals("-a")) {
            return RegisterDump.formatAll(cpus);
        }
        int index = cpuIndex(option);
        for (Cpu cpu : cpus) {
            if (cpu.index() == index) {
                return RegisterDump.format(cpu);
            }
        }
        throw new IllegalArgumentException("info registers: no CPU #" + index + "; the machine has "
                + cpus.size() + " CPU(s)");
    }

    private static int cpuIndex(String option) {
        try {
            return Integer.parseInt(option);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("info registers: unknown option '" + option + "'; try: -a or a CPU index");
        }
    }

    private static void expectNoOptions(String topic, List<String> options) {
        if (!options.isEmpty()) {
            throw new IllegalArgumentException("info " + topic + ": takes no options, got " + String.join(" ", options));
        }
    }
}
