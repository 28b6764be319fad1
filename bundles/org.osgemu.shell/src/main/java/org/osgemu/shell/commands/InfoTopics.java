package org.osgemu.shell.commands;

import java.util.List;

import org.osgemu.api.cpu.Cpu;
import org.osgemu.api.machine.MachineControl;

/**
 * The topics of {@code info}: each turns a machine's state into the text QEMU's monitor shows
 * for the same topic. A topic or option that does not exist is a user mistake and throws
 * {@link IllegalArgumentException} with a message that lists what does exist.
 */
final class InfoTopics {

    /** The topics in the order {@code info} lists them. */
    static final List<String> TOPICS = List.of("mtree", "qtree", "registers", "status", "cpus", "version");

    private final String version;

    /** @param version what {@code info version} prints */
    InfoTopics(String version) {
        this.version = version;
    }

    /**
     * Answers {@code info <topic> <options...>}.
     *
     * @param machine the machine to describe, or null when none is running
     * @param args the topic followed by its options; empty lists the topics
     */
    String answer(MachineControl machine, List<String> args) {
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
            return version;
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
                yield StatusLine.format(machine.state());
            }
            case "cpus" -> {
                expectNoOptions(topic, options);
                List<Cpu> cpus = machine.cpus();
                yield CpuList.format(cpus, currentCpu(cpus), machine::vcpuThreadId);
            }
            default -> throw new IllegalStateException("info: topic '" + topic + "' has no handler");
        };
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
                info version             -- osgemu version""";
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
