package org.osgemu.chardev;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import org.osgemu.api.chardev.Chardev;
import org.osgemu.api.chardev.ChardevReceiver;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;

/**
 * The {@code stdio} backend ({@code -chardev stdio} / {@code -serial stdio}): output goes to the
 * process's standard output, flushed at every write; standard input is read on a thread of its
 * own and handed to the front end as fast as it takes it. When standard input is a terminal it
 * is put in raw mode for the backend's lifetime (with {@code signal=true}, the default, Ctrl-C
 * still stops the emulator instead of reaching the guest).
 *
 * <p>The reader polls {@link InputStream#available()} rather than blocking in {@code read()}: a
 * thread blocked on standard input cannot be woken, and a stopped backend must leave no thread
 * behind. It reads only while the {@link InputQueue} has room, so a guest that does not read its
 * UART holds the rest back in the terminal or pipe.
 */
@Component(immediate = true, service = Chardev.class, configurationPid = StdioChardev.PID, configurationPolicy = ConfigurationPolicy.REQUIRE)
public final class StdioChardev implements Chardev {

    /** Factory PID of the configurations. */
    public static final String PID = "osgemu.chardev.stdio";

    private static final System.Logger LOG = System.getLogger(StdioChardev.class.getName());
    /** How long the reader sleeps when there is nothing to read or no room for it. */
    private static final long POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(10);
    private static final int QUEUE_CAPACITY = 4096;

    /** Configuration of a {@code stdio} backend. */
    public @interface Config {
        /** Backend id ({@code -chardev stdio,id=}); required. */
        String id();

        /** Whether Ctrl-C and similar keys signal the emulator rather than reaching the guest. */
        boolean signal() default true;
    }

    private final String id;
    private final InputStream in;
    private final OutputStream out;
    private final TerminalMode terminal;
    private final InputQueue input = new InputQueue(QUEUE_CAPACITY);
    private final Thread reader;
    private volatile boolean running = true;
    private boolean outputFailed; // guarded by this

    @Activate
    public StdioChardev(Config config) {
        this(Configs.required(PID, "id", config.id()), System.in, System.out,
                TerminalMode.stdioIsTerminal() ? new TerminalMode(config.signal()) : null);
    }

    /** A backend over the given streams; {@code terminal} is null when input is not a terminal. */
    StdioChardev(String id, InputStream in, OutputStream out, TerminalMode terminal) {
        this.id = Objects.requireNonNull(id, "id");
        this.in = Objects.requireNonNull(in, "in");
        this.out = Objects.requireNonNull(out, "out");
        this.terminal = terminal;
        if (terminal != null) {
            terminal.enterRaw();
        }
        reader = Thread.ofPlatform().name("osgemu-chardev-stdio-" + id).daemon().unstarted(this::readLoop);
        reader.start();
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public String backend() {
        return "stdio";
    }

    @Override
    public synchronized void write(byte[] data, int offset, int length) {
        if (outputFailed) {
            return;
        }
        try {
            out.write(data, offset, length);
            out.flush();
        } catch (IOException e) {
            outputFailed = true; // a closed stdout must not stop the guest: say it once
            LOG.log(System.Logger.Level.WARNING, PID + " " + id + ": writing standard output failed, output is dropped", e);
        }
    }

    @Override
    public void setReceiver(ChardevReceiver receiver) {
        input.setReceiver(receiver);
    }

    @Override
    public void acceptInput() {
        input.drain();
        LockSupport.unpark(reader); // room again: read on without waiting for the next poll
    }

    /** Stops the reader thread and gives the terminal its settings back. */
    @Deactivate
    public void close() {
        running = false;
        reader.interrupt();
        try {
            reader.join(TimeUnit.SECONDS.toMillis(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (terminal != null) {
            terminal.restore();
        }
    }

    /** Whether the reader thread is still alive (for tests). */
    boolean isReading() {
        return reader.isAlive();
    }

    private void readLoop() {
        byte[] buffer = new byte[QUEUE_CAPACITY];
        try {
            while (running) {
                int room = input.room();
                int available = room > 0 ? in.available() : 0;
                if (available <= 0) {
                    LockSupport.parkNanos(POLL_NANOS);
                    continue;
                }
                int n = in.read(buffer, 0, Math.min(room, Math.min(available, buffer.length)));
                if (n < 0) {
                    return; // end of input: the guest simply gets no more
                }
                input.offer(buffer, 0, n);
            }
        } catch (IOException e) {
            if (running) {
                LOG.log(System.Logger.Level.WARNING, PID + " " + id + ": reading standard input failed, input stops", e);
            }
        }
    }
}
