package org.osgemu.shell.monitor;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.System.Logger.Level;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A monitor on the process's standard input and output, served by one thread that ends when the
 * input ends or the monitor closes.
 *
 * <p>A thread blocked reading {@code System.in} cannot be woken in Java, so on Linux the monitor
 * reads its own descriptor of stdin, opened through {@code /proc/self/fd/0}: closing that
 * channel wakes the reader and leaves the process's stdin open. Where that path does not exist
 * it falls back to {@code System.in}, and a closed monitor's thread then ends with the next line
 * or end of input (it runs nothing more).
 */
final class StdioListener implements MonitorEndpoint {

    private static final System.Logger LOG = System.getLogger(StdioListener.class.getName());
    private static final Path OWN_STDIN = Path.of("/proc/self/fd/0");

    private final MonitorSettings settings;
    private final AutoCloseable input;
    private final Thread reader;
    private volatile boolean closing;

    /**
     * @param in what the monitor reads
     * @param input closing it wakes a read of {@code in} that is under way
     * @param out where the monitor writes; never closed
     */
    StdioListener(MonitorSettings settings, MonitorConnection connection, InputStream in, AutoCloseable input,
                  OutputStream out) {
        this.settings = settings;
        this.input = input;
        this.reader = Thread.ofPlatform().daemon().name("osgemu-monitor-" + settings.id() + "-stdio")
                .unstarted(() -> run(connection, in, out));
    }

    /** Starts a monitor on the process's stdin and stdout. */
    static StdioListener open(MonitorSettings settings, MonitorConnection connection) {
        InputStream in;
        AutoCloseable input;
        try {
            FileChannel channel = FileChannel.open(OWN_STDIN, StandardOpenOption.READ);
            in = Channels.newInputStream(channel);
            input = channel;
        } catch (IOException | UnsupportedOperationException e) {
            LOG.log(Level.DEBUG, "monitor {0}: reading System.in, {1} cannot be opened: {2}",
                    settings.id(), OWN_STDIN, e.toString());
            in = System.in;
            input = () -> { }; // System.in belongs to the process and stays open
        }
        StdioListener listener = new StdioListener(settings, connection, in, input, System.out);
        listener.start();
        return listener;
    }

    void start() {
        reader.start();
    }

    /** Whether the reading thread still runs (for tests). */
    boolean isRunning() {
        return reader.isAlive();
    }

    private void run(MonitorConnection connection, InputStream in, OutputStream out) {
        try {
            connection.serve(in, out);
        } catch (IOException e) {
            if (!closing) {
                LOG.log(Level.WARNING, "monitor {0}: stdio failed, monitor stopped: {1}", settings.id(), e.toString());
            }
        }
    }

    @Override
    public void close() {
        closing = true;
        try {
            input.close();
        } catch (Exception e) {
            LOG.log(Level.DEBUG, "monitor {0}: closing stdin: {1}", settings.id(), e.toString());
        }
        MonitorEndpoint.end(reader);
    }
}
