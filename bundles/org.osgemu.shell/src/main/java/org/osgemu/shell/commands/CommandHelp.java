package org.osgemu.shell.commands;

import java.util.List;
import java.util.Optional;

/** The text of {@code help}: one line per command, aliases joined with {@code |} as QEMU writes them. */
final class CommandHelp {

    private record Entry(List<String> names, String arguments, String summary) {
        String line() {
            return String.join("|", names) + (arguments.isEmpty() ? "" : " " + arguments) + " -- " + summary;
        }
    }

    private static final List<Entry> ENTRIES = List.of(
            new Entry(List.of("cont", "c"), "", "let the vCPUs run again"),
            new Entry(List.of("device_add"), "DRIVER[,id=ID][,prop=value...]", "add a device"),
            new Entry(List.of("device_del"), "ID", "remove a device"),
            new Entry(List.of("dumpdtb"), "FILE", "write the machine's flattened device tree to FILE"),
            new Entry(List.of("help"), "[COMMAND]", "list the commands, or describe one"),
            new Entry(List.of("info"), "[TOPIC]", "show machine state: " + String.join(", ", InfoTopics.TOPICS)),
            new Entry(List.of("quit", "q"), "", "shut the machine down"),
            new Entry(List.of("qmp"), "'{\"execute\": ...}'", "run a raw QMP request and print the response"),
            new Entry(List.of("stop"), "", "pause the vCPUs and the virtual clock"),
            new Entry(List.of("system_powerdown"), "", "ask the guest to power down"),
            new Entry(List.of("system_reset"), "", "reset every device and CPU"));

    /** The Gogo function names, aliases included. */
    static final List<String> FUNCTIONS = ENTRIES.stream().flatMap(e -> e.names().stream()).toList();

    private CommandHelp() {
    }

    static String all() {
        return String.join("\n", ENTRIES.stream().map(Entry::line).toList());
    }

    /** The line of {@code command} (a name or an alias), empty when there is no such command. */
    static Optional<String> of(String command) {
        return ENTRIES.stream().filter(e -> e.names().contains(command)).findFirst().map(Entry::line);
    }
}
