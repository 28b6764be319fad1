package org.osgemu.shell.commands;

import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.osgemu.api.cpu.Cpu;

/**
 * {@code info registers} in QEMU's RISC-V layout: {@code pc} first, then the CSRs one per line,
 * then the integer registers and the float registers four per line, each labelled
 * {@code x<n>/<abi name>} ({@code f<n>/<abi name>}), every value as 16 hex digits.
 *
 * <p>{@link Cpu#registers()} may name the general registers {@code x5}, {@code t0} or
 * {@code x5/t0}; all three land in the same slot. Any other name is shown as a CSR line, in the
 * order the CPU gives.
 */
final class RegisterDump {

    private static final List<String> INTEGER_ABI_NAMES = List.of(
            "zero", "ra", "sp", "gp", "tp", "t0", "t1", "t2", "s0", "s1", "a0", "a1", "a2", "a3", "a4", "a5",
            "a6", "a7", "s2", "s3", "s4", "s5", "s6", "s7", "s8", "s9", "s10", "s11", "t3", "t4", "t5", "t6");
    private static final List<String> FLOAT_ABI_NAMES = List.of(
            "ft0", "ft1", "ft2", "ft3", "ft4", "ft5", "ft6", "ft7", "fs0", "fs1", "fa0", "fa1", "fa2", "fa3",
            "fa4", "fa5", "fa6", "fa7", "fs2", "fs3", "fs4", "fs5", "fs6", "fs7", "fs8", "fs9", "fs10", "fs11",
            "ft8", "ft9", "ft10", "ft11");
    private static final int REGISTER_COUNT = 32;
    private static final int REGISTERS_PER_LINE = 4;

    private RegisterDump() {
    }

    /** One CPU's registers. */
    static String format(Cpu cpu) {
        Long[] integer = new Long[REGISTER_COUNT];
        Long[] floating = new Long[REGISTER_COUNT];
        StringBuilder text = new StringBuilder();
        appendEntry(text, "pc", cpu.pc());
        text.append('\n');
        for (Map.Entry<String, Long> register : cpu.registers().entrySet()) {
            String name = register.getKey();
            int x = integerIndex(name);
            int f = x < 0 ? floatIndex(name) : -1;
            if (x >= 0) {
                integer[x] = register.getValue();
            } else if (f >= 0) {
                floating[f] = register.getValue();
            } else if (!name.equalsIgnoreCase("pc")) {
                appendEntry(text, name, register.getValue());
                text.append('\n');
            }
        }
        appendBank(text, 'x', INTEGER_ABI_NAMES, integer);
        appendBank(text, 'f', FLOAT_ABI_NAMES, floating);
        return text.toString().stripTrailing();
    }

    /** Every CPU, each headed by {@code CPU#<n>} after a blank line, as {@code info registers -a}. */
    static String formatAll(List<Cpu> cpus) {
        StringBuilder text = new StringBuilder();
        for (Cpu cpu : cpus) {
            text.append("\nCPU#").append(cpu.index()).append('\n').append(format(cpu)).append('\n');
        }
        return text.toString().stripTrailing();
    }

    private static void appendBank(StringBuilder text, char prefix, List<String> abiNames, Long[] values) {
        int onLine = 0;
        for (int i = 0; i < REGISTER_COUNT; i++) {
            if (values[i] == null) {
                continue;
            }
            appendEntry(text, prefix + Integer.toString(i) + "/" + abiNames.get(i), values[i]);
            if (++onLine == REGISTERS_PER_LINE) {
                text.append('\n');
                onLine = 0;
            }
        }
        if (onLine != 0) {
            text.append('\n');
        }
    }

    private static void appendEntry(StringBuilder text, String name, long value) {
        text.append(String.format(" %-8s %016x", name, value));
    }

    private static int integerIndex(String name) {
        String base = baseName(name);
        if (base.equals("fp")) {
            return 8; // the frame pointer is another name of s0
        }
        int numbered = numbered(base, 'x');
        return numbered >= 0 ? numbered : INTEGER_ABI_NAMES.indexOf(base);
    }

    private static int floatIndex(String name) {
        String base = baseName(name);
        int numbered = numbered(base, 'f');
        return numbered >= 0 ? numbered : FLOAT_ABI_NAMES.indexOf(base);
    }

    /** {@code x5/t0} and {@code X5} both become {@code x5}. */
    private static String baseName(String name) {
        String lower = name.strip().toLowerCase(Locale.ROOT);
        int slash = lower.indexOf('/');
        return slash > 0 ? lower.substring(0, slash) : lower;
    }

    /** The number of {@code x17} for prefix {@code x}, or -1 when the name is not of that form. */
    private static int numbered(String name, char prefix) {
        if (name.length() < 2 || name.length() > 3 || name.charAt(0) != prefix) {
            return -1;
        }
        for (int i = 1; i < name.length(); i++) {
            if (name.charAt(i) < '0' || name.charAt(i) > '9') {
                return -1;
            }
        }
        int number = Integer.parseInt(name.substring(1));
        return number < REGISTER_COUNT ? number : -1;
    }
}
