package org.osgemu.shell.commands;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.osgemu.api.command.CommandInfo;

/**
 * Turns shell words into a command's argument object, using the schema's description of the
 * command: {@code name=value} words, and plain words for the arguments in schema order
 * ({@code qom-get /machine type}); a word with commas is a QEMU option list
 * ({@code device_add virtio-rng-device,id=rng0}). Values are converted to the JSON type the
 * schema declares; a value that does not convert is passed as text, and the schema check
 * then says what was expected. The schema check, not this class, decides what is valid.
 */
final class ShellArguments {

    private ShellArguments() {
    }

    static Map<String, Object> parse(CommandInfo command, List<String> words) {
        List<String> parts = new ArrayList<>();
        for (String word : words) {
            if (word.contains(",") && !word.startsWith("{") && !word.startsWith("[")) {
                parts.addAll(List.of(word.split(",")));
            } else {
                parts.add(word);
            }
        }
        Map<String, Object> arguments = new LinkedHashMap<>();
        List<CommandInfo.Argument> positional = new ArrayList<>(command.arguments());
        for (String part : parts) {
            int eq = part.indexOf('=');
            String name = eq > 0 ? part.substring(0, eq) : null;
            if (name != null && (isArgument(command, name) || command.acceptsExtraArguments())) {
                arguments.put(name, convert(command, name, part.substring(eq + 1)));
                positional.removeIf(a -> a.name().equals(name));
                continue;
            }
            positional.removeIf(a -> arguments.containsKey(a.name()));
            if (positional.isEmpty()) {
                throw new IllegalArgumentException(command.name() + ": does not know what '" + part
                        + "' is; its arguments: " + describe(command));
            }
            CommandInfo.Argument next = positional.removeFirst();
            arguments.put(next.name(), convert(command, next.name(), part));
        }
        return arguments;
    }

    /** {@code name type [optional]...}, for messages and help. */
    static String describe(CommandInfo command) {
        if (command.arguments().isEmpty()) {
            return "none";
        }
        List<String> list = new ArrayList<>();
        for (CommandInfo.Argument a : command.arguments()) {
            list.add(a.optional() ? "[" + a.name() + "=" + a.type() + "]" : a.name() + "=" + a.type());
        }
        return String.join(" ", list) + (command.acceptsExtraArguments() ? " [prop=value...]" : "");
    }

    private static boolean isArgument(CommandInfo command, String name) {
        return command.arguments().stream().anyMatch(a -> a.name().equals(name));
    }

    private static Object convert(CommandInfo command, String name, String text) {
        String jsonType = command.arguments().stream().filter(a -> a.name().equals(name))
                .map(CommandInfo.Argument::jsonType).findFirst().orElse("string");
        try {
            return switch (jsonType) {
                case "int" -> Long.decode(text);
                case "number" -> Double.parseDouble(text);
                case "boolean" -> switch (text) {
                    case "on", "true", "yes" -> true;
                    case "off", "false", "no" -> false;
                    default -> text;
                };
                case "null" -> text.equals("null") ? null : text;
                default -> text;
            };
        } catch (NumberFormatException e) {
            return text;
        }
    }
}
