package org.osgemu.launcher;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A QEMU option argument such as {@code virtio-blk-device,drive=hd0,id=blk0}: an optional
 * leading value without {@code =} (the driver, backend or file), then {@code key=value} pairs
 * separated by commas; {@code ,,} stands for a literal comma, as in QEMU.
 *
 * @param option the option it belongs to, for messages
 * @param text the whole argument, for messages
 * @param head the leading value, or null when the first item is a {@code key=value}
 * @param values the pairs in order
 */
record OptionList(String option, String text, String head, Map<String, String> values) {

    /** Parses {@code text}; {@code implicitKey}, when not null, names the leading value (e.g. {@code driver}). */
    static OptionList parse(String option, String text, String implicitKey) throws CommandLineException {
        Map<String, String> values = new LinkedHashMap<>();
        String head = null;
        int i = 0;
        boolean first = true;
        while (i <= text.length()) {
            StringBuilder item = new StringBuilder();
            while (i < text.length()) {
                char c = text.charAt(i);
                if (c == ',') {
                    if (i + 1 < text.length() && text.charAt(i + 1) == ',') {
                        item.append(',');
                        i += 2;
                        continue;
                    }
                    break;
                }
                item.append(c);
                i++;
            }
            i++;
            String s = item.toString();
            int eq = s.indexOf('=');
            if (s.isEmpty()) {
                if (i <= text.length() || first) {
                    throw new CommandLineException(option + " " + text + ": empty item in the list");
                }
            } else if (eq < 0) {
                if (!first || implicitKey == null) {
                    throw new CommandLineException(option + " " + text + ": '" + s + "' is not of the form key=value");
                }
                head = s;
            } else {
                String key = s.substring(0, eq);
                if (key.isEmpty()) {
                    throw new CommandLineException(option + " " + text + ": '" + s + "' has no key before '='");
                }
                if (values.put(key, s.substring(eq + 1)) != null) {
                    throw new CommandLineException(option + " " + text + ": '" + key + "' is given twice");
                }
            }
            first = false;
        }
        if (head == null && implicitKey != null && values.containsKey(implicitKey)) {
            head = values.remove(implicitKey);
        }
        return new OptionList(option, text, head, values);
    }

    /** Removes and returns {@code key}, or {@code fallback} when absent. */
    String take(String key, String fallback) {
        String v = values.remove(key);
        return v == null ? fallback : v;
    }

    /** Fails when keys are left that nobody took. */
    void requireEmpty(String what) throws CommandLineException {
        if (!values.isEmpty()) {
            throw new CommandLineException(option + " " + text + ": " + what + " has no parameter '" + values.keySet().iterator().next() + "'");
        }
    }
}
