package org.osgemu.cpu.riscv.hart;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * An opt-in trace of every instruction one hart executes, for comparing a run against
 * {@code qemu-system-riscv64 -d exec,cpu,nochain -singlestep} (tools/trace-diff does that).
 * Switched on by the system property {@value #PROPERTY}, for example
 * {@code OSGEMU_JAVA_OPTS=-Dosgemu.trace=file=/tmp/s.trace,priv=S,limit=5000000}:
 * <ul>
 *   <li>{@code file=PATH} (required; a bare first item is taken as the file),</li>
 *   <li>{@code priv=LETTERS} the privilege levels to record, of {@code M}, {@code S}, {@code U} (default all),</li>
 *   <li>{@code hart=N} the hart to trace (default 0),</li>
 *   <li>{@code skip=N} matching instructions to pass over before recording starts (default 0),</li>
 *   <li>{@code limit=N} records after which the file is closed (default no limit).</li>
 * </ul>
 *
 * <p>One line per instruction, written before it executes, in the state QEMU's log shows at
 * that point: {@code PC PRIV WORD} then {@code xN=VALUE} for each integer register that changed
 * since the previous record (all non-zero ones in the first), hexadecimal without prefixes.
 * An instruction that traps is recorded; one whose fetch faults is not (QEMU logs neither
 * before translation succeeds).
 *
 * <p>When the property is absent {@link #ENABLED} is a constant false, so the JIT removes the
 * interpreter's trace call altogether. The file is flushed after every execution slice and
 * closed at the limit.
 */
final class InstructionTrace {

    /** The system property that switches tracing on. */
    static final String PROPERTY = "osgemu.trace";
    /** Whether any hart may trace: false keeps the interpreter's fast path free of tracing. */
    static final boolean ENABLED = System.getProperty(PROPERTY) != null;

    private static final byte[] HEX = "0123456789abcdef".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    private static final char[] PRIV_LETTERS = {'U', 'S', '?', 'M'};

    /** The parsed value of {@value #PROPERTY}. */
    record Settings(Path file, int privMask, int hart, long skip, long limit) {

        /** Parses {@code spec}; host mistakes become exceptions naming the property and the bad item. */
        static Settings parse(String spec) {
            Path file = null;
            int privMask = 0b1011;
            int hart = 0;
            long skip = 0;
            long limit = Long.MAX_VALUE;
            String[] items = spec.split(",");
            for (int i = 0; i < items.length; i++) {
                String item = items[i].trim();
                int eq = item.indexOf('=');
                String key = eq < 0 ? (i == 0 ? "file" : item) : item.substring(0, eq);
                String value = eq < 0 ? item : item.substring(eq + 1);
                switch (key) {
                    case "file" -> file = Path.of(value);
                    case "priv" -> privMask = privileges(value);
                    case "hart" -> hart = (int) number(key, value, Integer.MAX_VALUE);
                    case "skip" -> skip = number(key, value, Long.MAX_VALUE);
                    case "limit" -> limit = number(key, value, Long.MAX_VALUE);
                    default -> throw bad("unknown item '" + item + "' (known: file, priv, hart, skip, limit)");
                }
            }
            if (file == null || file.toString().isEmpty()) {
                throw bad("no file given (use -D" + PROPERTY + "=file=PATH,...)");
            }
            return new Settings(file, privMask, hart, skip, limit);
        }

        private static int privileges(String letters) {
            int mask = 0;
            for (char c : letters.toUpperCase(java.util.Locale.ROOT).toCharArray()) {
                mask |= switch (c) {
                    case 'U' -> 1 << Csr.PRIV_U;
                    case 'S' -> 1 << Csr.PRIV_S;
                    case 'M' -> 1 << Csr.PRIV_M;
                    default -> throw bad("priv=" + letters + ": '" + c + "' is not one of M, S, U");
                };
            }
            if (mask == 0) {
                throw bad("priv= names no privilege level (use letters of M, S, U)");
            }
            return mask;
        }

        private static long number(String key, String value, long max) {
            try {
                long n = Long.parseLong(value);
                if (n < 0 || n > max) {
                    throw bad(key + "=" + value + " is out of range 0.." + max);
                }
                return n;
            } catch (NumberFormatException e) {
                throw bad(key + "=" + value + " is not a decimal number");
            }
        }

        private static IllegalArgumentException bad(String what) {
            return new IllegalArgumentException("riscv64 cpu: -D" + PROPERTY + ": " + what);
        }
    }

    private final Settings settings;
    private final long[] shadow = new long[32];
    private final byte[] line = new byte[32 * 22 + 64];
    private OutputStream out;
    private long skipped;
    private long written;

    /** A trace as {@code settings} ask (tests build one directly; the hart asks {@link #forHart}). */
    InstructionTrace(Settings settings) {
        this.settings = settings;
    }

    /** The trace for hart {@code hartId} as {@value #PROPERTY} asks, or null when that hart is not traced. */
    static InstructionTrace forHart(int hartId) {
        if (!ENABLED) {
            return null;
        }
        Settings s = Settings.parse(System.getProperty(PROPERTY, ""));
        return s.hart() == hartId ? new InstructionTrace(s) : null;
    }

    /** Records the instruction {@code word} at {@code pc}, about to execute at privilege {@code priv}. */
    void before(long pc, int priv, int word, long[] x) {
        if ((settings.privMask() & 1 << priv) == 0 || written >= settings.limit()) {
            return;
        }
        if (skipped < settings.skip()) {
            skipped++;
            return; // the shadow stays zero, so the first record shows every non-zero register
        }
        int n = hex(line, 0, pc, 16);
        line[n++] = ' ';
        line[n++] = (byte) PRIV_LETTERS[priv];
        line[n++] = ' ';
        n = hex(line, n, word & 0xFFFF_FFFFL, (word & 3) == 3 ? 8 : 4);
        for (int r = 1; r < 32; r++) {
            if (x[r] != shadow[r]) {
                shadow[r] = x[r];
                line[n++] = ' ';
                line[n++] = 'x';
                if (r >= 10) {
                    line[n++] = (byte) ('0' + r / 10);
                }
                line[n++] = (byte) ('0' + r % 10);
                line[n++] = '=';
                n = hexTrimmed(line, n, x[r]);
            }
        }
        line[n++] = '\n';
        write(n);
        if (++written == settings.limit()) {
            close();
        }
    }

    /** Pushes buffered records to the file (after each execution slice). */
    void flush() {
        if (out != null) {
            try {
                out.flush();
            } catch (IOException e) {
                throw new UncheckedIOException("riscv64 cpu: cannot write the trace " + settings.file(), e);
            }
        }
    }

    private void write(int length) {
        try {
            if (out == null) {
                out = new BufferedOutputStream(Files.newOutputStream(settings.file()), 1 << 20);
            }
            out.write(line, 0, length);
        } catch (IOException e) {
            throw new UncheckedIOException("riscv64 cpu: cannot write the trace " + settings.file(), e);
        }
    }

    private void close() {
        try {
            out.close();
        } catch (IOException e) {
            throw new UncheckedIOException("riscv64 cpu: cannot close the trace " + settings.file(), e);
        }
        out = null;
    }

    private static int hex(byte[] b, int at, long v, int digits) {
        for (int i = digits - 1; i >= 0; i--) {
            b[at + i] = HEX[(int) (v & 15)];
            v >>>= 4;
        }
        return at + digits;
    }

    private static int hexTrimmed(byte[] b, int at, long v) {
        int digits = Math.max(1, 16 - Long.numberOfLeadingZeros(v) / 4);
        return hex(b, at, v, digits);
    }
}
