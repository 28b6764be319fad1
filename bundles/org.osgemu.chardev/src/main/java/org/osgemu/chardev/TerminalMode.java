package org.osgemu.chardev;

import java.io.Console;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Puts the controlling terminal in raw mode (every key goes to the guest at once, unechoed) and
 * restores it afterwards, through {@code stty} on {@code /dev/tty}. A JVM shutdown hook restores
 * the terminal too, should the process end without the backend being deactivated.
 */
final class TerminalMode {

    private static final System.Logger LOG = System.getLogger(TerminalMode.class.getName());

    private final boolean keepSignals;
    private String saved; // guarded by this: the settings to restore, while raw
    private Thread shutdownHook;

    /**
     * @param keepSignals whether Ctrl-C and friends still signal the emulator (QEMU's
     *                    {@code signal=on}) instead of reaching the guest
     */
    TerminalMode(boolean keepSignals) {
        this.keepSignals = keepSignals;
    }

    /** Whether standard input and output are a terminal. */
    static boolean stdioIsTerminal() {
        Console console = System.console();
        return console != null && console.isTerminal();
    }

    /** Switches to raw mode; on failure the terminal stays as it was and a warning is logged. */
    synchronized void enterRaw() {
        if (saved != null) {
            return;
        }
        try {
            String settings = stty("-g").trim();
            List<String> raw = new ArrayList<>(List.of("raw", "-echo"));
            if (keepSignals) {
                raw.add("isig");
            }
            stty(raw.toArray(String[]::new));
            saved = settings;
            shutdownHook = new Thread(this::restore, "osgemu-terminal-restore");
            Runtime.getRuntime().addShutdownHook(shutdownHook);
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "cannot put the terminal in raw mode (" + e.getMessage()
                    + "); input is line-buffered and echoed");
        }
    }

    /** Restores the settings saved by {@link #enterRaw()}; harmless when not raw. */
    synchronized void restore() {
        if (saved == null) {
            return;
        }
        try {
            stty(saved);
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "cannot restore the terminal (" + e.getMessage() + "); run 'stty sane'");
        }
        saved = null;
        try {
            if (Thread.currentThread() != shutdownHook) {
                Runtime.getRuntime().removeShutdownHook(shutdownHook);
            }
        } catch (IllegalStateException shuttingDown) {
            // the JVM is exiting: the hook is running or about to, and finds nothing to do
        }
        shutdownHook = null;
    }

    private static String stty(String... args) throws IOException {
        List<String> command = new ArrayList<>();
        command.add("stty");
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectInput(new File("/dev/tty"))
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        try {
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IOException("stty " + String.join(" ", args) + " did not finish");
            }
            if (process.exitValue() != 0) {
                throw new IOException("stty " + String.join(" ", args) + " exited with " + process.exitValue());
            }
            return output;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
            throw new IOException("interrupted while running stty", e);
        }
    }
}
