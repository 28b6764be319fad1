import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Compares an osgemu instruction trace ({@code -Dosgemu.trace=...}, see the CPU bundle's
 * InstructionTrace) with a QEMU log of the same run ({@code qemu-system-riscv64 -d
 * exec,cpu,nochain -singlestep -D LOG}) and prints the first instruction where the program
 * counter or an integer register differs, with the instructions before it from both sides.
 *
 * <p>Run as a source file (JDK 25): {@code java TraceDiff.java OSGEMU_TRACE QEMU_LOG [options]}.
 * The QEMU log may be a FIFO, so QEMU can stream into it without filling the disk; the
 * comparison stops at the first difference. Options:
 * <pre>
 *   --priv LETTERS   privilege levels compared (of M, S, U; default S: early boot is deterministic there)
 *   --hart N         the hart whose QEMU records are read (default 0)
 *   --map FILE       System.map, to name the function of each address
 *   --load ADDR      physical address the kernel image runs from before paging (default 0x80200000)
 *   --skip N         QEMU records at those levels to pass over first (as osgemu's trace skip=N did)
 *   --context N      records shown before the difference (default 12)
 *   --pc-only        compare program counters only (registers differ once timer values are read)
 * </pre>
 * Exit status: 0 when the osgemu trace ends without a difference, 1 at a difference, 2 on a usage error.
 */
public final class TraceDiff {

    /** One executed instruction and the integer registers before it. */
    record Step(long index, long pc, char priv, String word, long[] x, String changed) {
    }

    public static void main(String[] args) throws IOException {
        Options o;
        try {
            o = Options.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("trace-diff: " + e.getMessage());
            System.err.println("usage: java TraceDiff.java OSGEMU_TRACE QEMU_LOG [--priv S] [--hart 0] [--map System.map]"
                    + " [--load 0x80200000] [--skip 0] [--context 12] [--pc-only]");
            System.exit(2);
            return;
        }
        Symbols symbols = o.map == null ? Symbols.NONE : Symbols.read(o.map, o.load);
        try (OsgemuTrace ours = new OsgemuTrace(o.osgemuTrace); QemuLog theirs = new QemuLog(o.qemuLog, o.privMask, o.hart)) {
            System.exit(compare(ours, theirs, o, symbols, System.out));
        }
    }

    static int compare(OsgemuTrace ours, QemuLog theirs, Options o, Symbols symbols, PrintStream out) throws IOException {
        ArrayDeque<Step[]> recent = new ArrayDeque<>();
        for (long i = 0; i < o.skip; i++) {
            if (theirs.next() == null) {
                out.printf("trace-diff: the QEMU log ends within the %d records to skip%n", o.skip);
                return 1;
            }
        }
        long count = o.skip;
        while (true) {
            Step a = ours.next();
            if (a == null) {
                out.printf("trace-diff: no difference in %d instructions (the osgemu trace ends here)%n", count);
                return 0;
            }
            Step b = theirs.next();
            if (b == null) {
                out.printf("trace-diff: the QEMU log ends after %d instructions; osgemu goes on at %s%n",
                        count, describe(a, symbols));
                return 1;
            }
            String difference = difference(a, b, o.pcOnly);
            Step previous = recent.isEmpty() ? null : recent.getLast()[1];
            while (difference != null && previous != null && b.pc == previous.pc && Arrays.equals(b.x, previous.x)) {
                // QEMU logged a block that exited before its instruction ran (an interrupt request
                // was pending) and then logged it again: skip the repeat
                b = theirs.next();
                if (b == null) {
                    out.printf("trace-diff: the QEMU log ends after %d instructions%n", count);
                    return 1;
                }
                difference = difference(a, b, o.pcOnly);
            }
            if (difference != null) {
                out.printf("trace-diff: first difference at instruction %d: %s%n%n", count, difference);
                out.println("  osgemu                                               | qemu");
                for (Step[] pair : recent) {
                    printPair(out, pair[0], pair[1], symbols);
                }
                printPair(out, a, b, symbols);
                out.println();
                out.println("  registers before the differing instruction (osgemu / qemu):");
                for (int r = 1; r < 32; r++) {
                    String mark = a.x[r] != b.x[r] ? "  <--" : "";
                    out.printf("    x%-2d %016x %016x%s%n", r, a.x[r], b.x[r], mark);
                }
                return 1;
            }
            recent.addLast(new Step[] {a, b});
            if (recent.size() > o.context) {
                recent.removeFirst();
            }
            count++;
        }
    }

    private static String difference(Step a, Step b, boolean pcOnly) {
        if (a.pc != b.pc) {
            return String.format("pc %x on osgemu, %x on qemu", a.pc, b.pc);
        }
        if (a.priv != b.priv) {
            return String.format("privilege %c on osgemu, %c on qemu at pc %x", a.priv, b.priv, a.pc);
        }
        if (pcOnly) {
            return null;
        }
        StringBuilder s = new StringBuilder();
        for (int r = 1; r < 32; r++) {
            if (a.x[r] != b.x[r]) {
                s.append(String.format("x%d=%x on osgemu, %x on qemu; ", r, a.x[r], b.x[r]));
            }
        }
        return s.isEmpty() ? null : "before pc " + Long.toHexString(a.pc) + " (so the previous instruction wrote it differently): " + s;
    }

    private static void printPair(PrintStream out, Step a, Step b, Symbols symbols) {
        out.printf("  %-52s | %s%n", describe(a, symbols) + " " + a.changed, describe(b, symbols) + " " + b.changed);
    }

    private static String describe(Step s, Symbols symbols) {
        String name = symbols.name(s.pc);
        return String.format("%x %c %s%s", s.pc, s.priv, s.word, name.isEmpty() ? "" : " <" + name + ">");
    }

    /** Command-line options. */
    record Options(Path osgemuTrace, Path qemuLog, int privMask, int hart, Path map, long load, long skip, int context, boolean pcOnly) {

        static Options parse(String[] args) {
            List<String> files = new ArrayList<>();
            int privMask = privileges("S");
            int hart = 0;
            Path map = null;
            long load = 0x8020_0000L;
            long skip = 0;
            int context = 12;
            boolean pcOnly = false;
            for (int i = 0; i < args.length; i++) {
                String a = args[i];
                switch (a) {
                    case "--priv" -> privMask = privileges(value(args, ++i, a));
                    case "--hart" -> hart = Integer.parseInt(value(args, ++i, a));
                    case "--map" -> map = Path.of(value(args, ++i, a));
                    case "--load" -> load = Long.decode(value(args, ++i, a));
                    case "--skip" -> skip = Long.parseLong(value(args, ++i, a));
                    case "--context" -> context = Integer.parseInt(value(args, ++i, a));
                    case "--pc-only" -> pcOnly = true;
                    default -> {
                        if (a.startsWith("--")) {
                            throw new IllegalArgumentException("unknown option " + a);
                        }
                        files.add(a);
                    }
                }
            }
            if (files.size() != 2) {
                throw new IllegalArgumentException("need two files, the osgemu trace and the QEMU log; got " + files);
            }
            return new Options(Path.of(files.get(0)), Path.of(files.get(1)), privMask, hart, map, load, skip, context, pcOnly);
        }

        private static String value(String[] args, int i, String option) {
            if (i >= args.length) {
                throw new IllegalArgumentException(option + " needs a value");
            }
            return args[i];
        }

        static int privileges(String letters) {
            int mask = 0;
            for (char c : letters.toUpperCase().toCharArray()) {
                mask |= switch (c) {
                    case 'U' -> 1;
                    case 'S' -> 2;
                    case 'M' -> 8;
                    default -> throw new IllegalArgumentException("--priv " + letters + ": '" + c + "' is not one of M, S, U");
                };
            }
            return mask;
        }
    }

    /** Reads the osgemu trace: "PC PRIV WORD xN=V ..." with registers as deltas. */
    static final class OsgemuTrace implements AutoCloseable {
        private final BufferedReader in;
        private final long[] x = new long[32];
        private long index;

        OsgemuTrace(Path file) throws IOException {
            in = Files.newBufferedReader(file, StandardCharsets.US_ASCII);
        }

        Step next() throws IOException {
            String line = in.readLine();
            if (line == null || line.isEmpty()) {
                return null;
            }
            String[] f = line.split(" ");
            if (f.length < 3) {
                throw new IOException("osgemu trace line " + (index + 1) + " is not 'PC PRIV WORD ...': " + line);
            }
            StringBuilder changed = new StringBuilder();
            for (int i = 3; i < f.length; i++) {
                int eq = f[i].indexOf('=');
                int r = Integer.parseInt(f[i], 1, eq, 10);
                x[r] = Long.parseUnsignedLong(f[i], eq + 1, f[i].length(), 16);
                changed.append(f[i]).append(' ');
            }
            return new Step(index++, Long.parseUnsignedLong(f[0], 16), f[1].charAt(0), f[2], x.clone(), changed.toString().trim());
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }

    /**
     * Reads QEMU's "-d exec,cpu" log: a "Trace CPU: HOST [CS_BASE/PC/FLAGS/CFLAGS]" line, then the
     * CPU dump whose "xN/name VALUE" lines hold the registers before the instruction. The low two
     * bits of the riscv TB flags are the privilege level (QEMU 7.2).
     */
    static final class QemuLog implements AutoCloseable {
        private final BufferedReader in;
        private final int privMask;
        private final String cpuPrefix;
        private final long[] x = new long[32];
        private final long[] previous = new long[32];
        private long index;

        QemuLog(Path file, int privMask, int hart) throws IOException {
            in = new BufferedReader(new InputStreamReader(Files.newInputStream(file), StandardCharsets.US_ASCII), 1 << 20);
            this.privMask = privMask;
            this.cpuPrefix = "Trace " + hart + ":";
        }

        Step next() throws IOException {
            String line = in.readLine();
            while (line != null) {
                if (!line.startsWith(cpuPrefix)) {
                    line = in.readLine();
                    continue;
                }
                int open = line.indexOf('[');
                String[] fields = line.substring(open + 1, line.indexOf(']', open)).split("/");
                long pc = Long.parseUnsignedLong(fields[1], 16);
                int priv = Integer.parseInt(fields[2], 16) & 3;
                int seen = 0;
                while (seen < 32 && (line = in.readLine()) != null && !line.startsWith("Trace ")) {
                    seen += registers(line);
                }
                if (seen < 32) {
                    continue; // a record without its dump (the log ended, or -d cpu is missing)
                }
                if ((privMask & 1 << priv) == 0) {
                    line = in.readLine();
                    continue;
                }
                StringBuilder changed = new StringBuilder();
                for (int r = 1; r < 32; r++) {
                    if (x[r] != previous[r]) {
                        changed.append('x').append(r).append('=').append(Long.toHexString(x[r])).append(' ');
                        previous[r] = x[r];
                    }
                }
                char letter = "US?M".charAt(priv);
                return new Step(index++, pc, letter, "", x.clone(), changed.toString().trim());
            }
            return null;
        }

        /** Parses " x8/s0    0000000000000000 x9/s1 ..." into {@link #x}; returns how many registers it held. */
        private int registers(String line) {
            int n = 0;
            int i = 0;
            int length = line.length();
            while (true) {
                i = line.indexOf(" x", i);
                if (i < 0 || i + 2 >= length || !Character.isDigit(line.charAt(i + 2))) {
                    return n;
                }
                int slash = line.indexOf('/', i);
                int r = Integer.parseInt(line, i + 2, slash, 10);
                int start = slash;
                while (line.charAt(start) != ' ') {
                    start++;
                }
                while (line.charAt(start) == ' ') {
                    start++;
                }
                x[r] = Long.parseUnsignedLong(line, start, start + 16, 16);
                n++;
                i = start + 16;
            }
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }

    /** Function names from a System.map; addresses below the kernel's virtual base are shifted by the load address. */
    static final class Symbols {
        static final Symbols NONE = new Symbols(new long[0], new String[0], 0);
        private static final long KERNEL_VIRTUAL_BASE = 0xffff_ffff_8000_0000L;

        private final long[] addresses;
        private final String[] names;
        private final long load;

        private Symbols(long[] addresses, String[] names, long load) {
            this.addresses = addresses;
            this.names = names;
            this.load = load;
        }

        static Symbols read(Path map, long load) throws IOException {
            List<String[]> rows = new ArrayList<>();
            for (String line : Files.readAllLines(map, StandardCharsets.US_ASCII)) {
                String[] f = line.trim().split("\\s+");
                // kernel text only: all of it is in the upper half, where signed order is unsigned order
                if (f.length >= 3 && "tTwW".indexOf(f[1].charAt(0)) >= 0 && Long.parseUnsignedLong(f[0], 16) < 0) {
                    rows.add(f);
                }
            }
            rows.sort((p, q) -> Long.compare(Long.parseUnsignedLong(p[0], 16), Long.parseUnsignedLong(q[0], 16)));
            long[] addresses = new long[rows.size()];
            String[] names = new String[rows.size()];
            for (int i = 0; i < addresses.length; i++) {
                addresses[i] = Long.parseUnsignedLong(rows.get(i)[0], 16);
                names[i] = rows.get(i)[2];
            }
            return new Symbols(addresses, names, load);
        }

        /** "function+0xoffset", or "" when the address is in no known function. */
        String name(long pc) {
            if (addresses.length == 0) {
                return "";
            }
            long va = Long.compareUnsigned(pc, KERNEL_VIRTUAL_BASE) >= 0 ? pc
                    : pc - load + KERNEL_VIRTUAL_BASE;
            int i = Arrays.binarySearch(addresses, va);
            if (i < 0) {
                i = -i - 2;
            }
            if (i < 0 || Long.compareUnsigned(va, addresses[i]) < 0 || va - addresses[i] > 0x10000) {
                return "";
            }
            return names[i] + "+0x" + Long.toHexString(va - addresses[i]);
        }
    }
}
