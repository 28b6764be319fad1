package org.osgemu.tools.decodetree;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Command line:
 * {@code Main --spec FILE --out DIR --package PKG --class NAME [--insnwidth 16|32]
 * [--functions FQCN] [--extern-args FQCN]}.
 *
 * <p>Writes {@code DIR/PKG-as-path/NAME.java} (left untouched when its content
 * would not change). Options may also be written {@code --opt=value}. On any
 * error prints one line to standard error and exits with status 1; a spec
 * error has the form {@code file:line:column: message}.
 */
public final class Main {
    private static final List<String> KNOWN = List.of(
            "spec", "out", "package", "class", "insnwidth", "functions", "extern-args");

    private Main() {
    }

    /**
     * Runs the generator and exits with status 1 on error; returns normally
     * on success so that it can run inside Maven (exec-maven-plugin's
     * {@code java} goal).
     *
     * @param args the command line
     */
    public static void main(String[] args) {
        int status = run(args, System.err);
        if (status != 0) {
            System.exit(status);
        }
    }

    /**
     * Runs the generator.
     *
     * @param args the command line
     * @param err  where the error line goes
     * @return 0 on success, 1 on error
     */
    public static int run(String[] args, PrintStream err) {
        try {
            Map<String, String> opts = parseArgs(args);
            String spec = required(opts, "spec");
            Path out = Path.of(required(opts, "out"));
            String width = opts.getOrDefault("insnwidth", "32");
            if (!width.equals("16") && !width.equals("32")) {
                throw new UsageException("--insnwidth must be 16 or 32, not " + width);
            }
            Generator.Options options;
            try {
                options = new Generator.Options(required(opts, "package"), required(opts, "class"),
                        Integer.parseInt(width), opts.get("functions"), opts.get("extern-args"));
            } catch (IllegalArgumentException e) {
                throw new UsageException(e.getMessage());
            }
            String text;
            try {
                text = Files.readString(Path.of(spec), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UsageException("cannot read " + spec + ": " + e);
            }
            String source = Generator.generate(spec, text, options);
            Path dir = options.packageName().isEmpty() ? out
                    : out.resolve(options.packageName().replace('.', '/'));
            Path file = dir.resolve(options.className() + ".java");
            try {
                byte[] bytes = source.getBytes(StandardCharsets.UTF_8);
                if (!Files.isRegularFile(file) || !Arrays.equals(Files.readAllBytes(file), bytes)) {
                    Files.createDirectories(dir);
                    Files.write(file, bytes);
                }
            } catch (IOException e) {
                throw new UsageException("cannot write " + file + ": " + e);
            }
            return 0;
        } catch (SpecException e) {
            err.println(e.getMessage());
        } catch (UsageException e) {
            err.println("decodetree: " + e.getMessage());
        }
        return 1;
    }

    private static Map<String, String> parseArgs(String[] args) throws UsageException {
        Map<String, String> opts = new HashMap<>();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (!a.startsWith("--")) {
                throw new UsageException("unexpected argument " + a);
            }
            String key = a.substring(2);
            String value;
            int eq = key.indexOf('=');
            if (eq >= 0) {
                value = key.substring(eq + 1);
                key = key.substring(0, eq);
            } else if (i + 1 < args.length) {
                value = args[++i];
            } else {
                throw new UsageException("missing value for " + a);
            }
            if (!KNOWN.contains(key)) {
                throw new UsageException("unknown option --" + key + "; usage: --spec FILE --out DIR"
                        + " --package PKG --class NAME [--insnwidth 16|32] [--functions FQCN]"
                        + " [--extern-args FQCN]");
            }
            if (opts.put(key, value) != null) {
                throw new UsageException("option --" + key + " given twice");
            }
        }
        return opts;
    }

    private static String required(Map<String, String> opts, String key) throws UsageException {
        String v = opts.get(key);
        if (v == null) {
            throw new UsageException("missing option --" + key);
        }
        return v;
    }

    /** A bad command line or an I/O problem. */
    private static final class UsageException extends Exception {
        private static final long serialVersionUID = 1L;

        UsageException(String message) {
            super(message);
        }
    }
}
