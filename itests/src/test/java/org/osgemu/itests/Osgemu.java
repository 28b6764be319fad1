package org.osgemu.itests;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Test helper: runs the real {@code distribution/osgemu} launcher and collects what it prints. */
final class Osgemu implements AutoCloseable {

    static final Path TOP = Path.of(System.getProperty("osgemu.top", "..")).toAbsolutePath().normalize();
    static final Path OPENSBI = Path.of("/usr/lib/riscv64-linux-gnu/opensbi/generic/fw_dynamic.bin");

    private final Process process;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private Osgemu(Process process) {
        this.process = process;
        pump(process.getInputStream(), out);
        pump(process.getErrorStream(), err);
    }

    static Osgemu start(String... args) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(TOP.resolve("distribution/osgemu").toString());
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectInput(ProcessBuilder.Redirect.PIPE);
        return new Osgemu(pb.start());
    }

    /** The directory of the bare-metal programs built by guests/build-baremetal.sh. */
    static Path baremetal(String program) {
        String dir = System.getenv("OSGEMU_BAREMETAL_DIR");
        if (dir == null || dir.isEmpty()) {
            throw new IllegalStateException("OSGEMU_BAREMETAL_DIR is not set: run the tests through scripts/test");
        }
        Path p = Path.of(dir, program);
        if (!Files.isRegularFile(p)) {
            throw new IllegalStateException(p + " is missing: run guests/build-baremetal.sh");
        }
        return p;
    }

    private static void pump(InputStream in, ByteArrayOutputStream sink) {
        Thread t = new Thread(() -> {
            byte[] buf = new byte[4096];
            try {
                int n;
                while ((n = in.read(buf)) > 0) {
                    synchronized (sink) {
                        sink.write(buf, 0, n);
                        sink.notifyAll();
                    }
                }
            } catch (IOException e) {
                // process ended
            }
        });
        t.setDaemon(true);
        t.start();
    }

    String stdout() {
        synchronized (out) {
            return out.toString(StandardCharsets.UTF_8);
        }
    }

    String stderr() {
        synchronized (err) {
            return err.toString(StandardCharsets.UTF_8);
        }
    }

    /** What osgemu wrote to stderr, without the JVM's own warnings (lines starting with WARNING:) and blank lines. */
    String stderrWithoutJvmWarnings() {
        StringBuilder sb = new StringBuilder();
        for (String line : stderr().split("\n")) {
            if (!line.startsWith("WARNING:") && !line.isBlank()) {
                sb.append(line).append('\n');
            }
        }
        return sb.toString();
    }

    /** Waits until stdout contains {@code text}; false on timeout or exit without it. */
    boolean awaitOutput(String text, long seconds) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        synchronized (out) {
            while (!out.toString(StandardCharsets.UTF_8).contains(text)) {
                long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                if (left <= 0 || (!process.isAlive() && !out.toString(StandardCharsets.UTF_8).contains(text))) {
                    if (!process.isAlive()) {
                        out.wait(50);
                        return out.toString(StandardCharsets.UTF_8).contains(text);
                    }
                    return false;
                }
                out.wait(Math.min(left, 100));
            }
            return true;
        }
    }

    /** Waits for the process to end; returns its exit status, or -1 after killing it on timeout. */
    int awaitExit(long seconds) throws InterruptedException {
        if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
            return -1;
        }
        Thread.sleep(50); // let the pumps drain
        return process.exitValue();
    }

    /** Types {@code line} and Enter on the guest console (the process's stdin). */
    void type(String line) throws IOException {
        process.getOutputStream().write((line + "\n").getBytes(StandardCharsets.UTF_8));
        process.getOutputStream().flush();
    }

    /** Length of what stdout holds so far: a mark for {@link #awaitOutputAfter}. */
    int mark() {
        synchronized (out) {
            return out.size();
        }
    }

    /** Waits until stdout after {@code mark} contains {@code text}; returns that part of the output, or null on timeout. */
    String awaitOutputAfter(int mark, String text, long seconds) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        synchronized (out) {
            while (true) {
                String tail = out.toString(StandardCharsets.UTF_8);
                tail = tail.length() >= mark ? tail.substring(mark) : tail;
                if (tail.contains(text)) {
                    return tail;
                }
                long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                if (left <= 0 || !process.isAlive()) {
                    return null;
                }
                out.wait(Math.min(left, 100));
            }
        }
    }

    /** The Linux test guest's files, from guests/build-all.sh (exported by scripts/test as OSGEMU_KERNEL etc.). */
    static Path guest(String key) {
        String v = System.getenv("OSGEMU_" + key);
        if (v == null || v.isEmpty()) {
            throw new IllegalStateException("OSGEMU_" + key + " is not set: run the tests through scripts/test");
        }
        return Path.of(v);
    }

    Process process() {
        return process;
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroy();
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
        }
    }
}
