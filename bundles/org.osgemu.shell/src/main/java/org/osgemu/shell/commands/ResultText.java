package org.osgemu.shell.commands;

import java.util.List;
import java.util.Map;

/**
 * A command's result as text for a person: nothing for an empty result (QEMU's monitor prints
 * nothing after a command that worked), a string as it is, objects as {@code key: value} lines
 * and arrays as one entry after the other, nested entries indented.
 */
final class ResultText {

    private ResultText() {
    }

    static String format(Object result) {
        if (result == null || (result instanceof Map<?, ?> m && m.isEmpty())) {
            return null;
        }
        if (result instanceof String s) {
            return s.replace("\r\n", "\n").stripTrailing();
        }
        StringBuilder text = new StringBuilder();
        append(text, result, "");
        return text.toString().stripTrailing();
    }

    private static void append(StringBuilder text, Object value, String indent) {
        if (value instanceof Map<?, ?> map) {
            for (Map.Entry<?, ?> e : map.entrySet()) {
                if (e.getValue() instanceof Map<?, ?> || e.getValue() instanceof List<?>) {
                    text.append(indent).append(e.getKey()).append(":\n");
                    append(text, e.getValue(), indent + "  ");
                } else {
                    text.append(indent).append(e.getKey()).append(": ").append(e.getValue()).append('\n');
                }
            }
        } else if (value instanceof List<?> list) {
            for (Object element : list) {
                if (element instanceof Map<?, ?> || element instanceof List<?>) {
                    text.append(indent).append("-\n");
                    append(text, element, indent + "  ");
                } else {
                    text.append(indent).append("- ").append(element).append('\n');
                }
            }
        } else {
            text.append(indent).append(value).append('\n');
        }
    }
}
