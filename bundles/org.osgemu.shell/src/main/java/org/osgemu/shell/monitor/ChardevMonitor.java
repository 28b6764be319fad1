package org.osgemu.shell.monitor;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

import org.apache.felix.service.command.CommandProcessor;
import org.osgemu.api.chardev.Chardev;
import org.osgemu.api.chardev.ChardevReceiver;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.Designate;

/**
 * The human monitor on a {@link Chardev} (QEMU's {@code -mon chardev=ID}), usually the monitor
 * side of a mux sharing stdio with the serial console. The terminal is raw there, so the monitor
 * echoes and edits lines itself ({@link LineEditor}); when the mux gives it the terminal again it
 * shows its prompt and the line typed so far, as QEMU's monitor does.
 */
@Component(configurationPid = ChardevMonitorConfig.PID, configurationPolicy = ConfigurationPolicy.REQUIRE, service = {})
@Designate(ocd = ChardevMonitorConfig.class, factory = true)
public final class ChardevMonitor {

    private static final System.Logger LOG = System.getLogger(ChardevMonitor.class.getName());
    /** Matches no service: a configuration must say in {@code chardev.target} which chardev to use. */
    static final String NO_CHARDEV = Chardev.NO_TARGET;
    /** Typed lines waiting for the monitor, at most; more input waits in the chardev. */
    private static final int INPUT_CAPACITY = 8192;

    private final String id;
    private final Chardev chardev;
    private final LineInput input;
    private final LineEditor editor;
    private final Thread worker;
    private volatile boolean closing;
    private boolean focusedBefore; // guarded by this

    @Activate
    public ChardevMonitor(ChardevMonitorConfig config, @Reference CommandProcessor processor,
                          @Reference(name = "chardev", target = NO_CHARDEV) Chardev chardev) {
        this(checkedId(config.id()), new MonitorConnection(processor), chardev);
    }

    ChardevMonitor(String id, MonitorConnection connection, Chardev chardev) {
        this.id = id;
        this.chardev = Objects.requireNonNull(chardev, "chardev");
        this.input = new LineInput(INPUT_CAPACITY, chardev::acceptInput);
        this.editor = new LineEditor(this::write, input::add);
        OutputStream out = new OutputStream() {
            @Override
            public void write(int b) {
                ChardevMonitor.this.write(new byte[] {(byte) b});
            }

            @Override
            public void write(byte[] b, int off, int len) {
                chardev.write(b, off, len);
            }
        };
        this.worker = Thread.ofPlatform().daemon().name("osgemu-monitor-" + id + "-chardev")
                .unstarted(() -> serve(connection, input, out));
        chardev.setReceiver(new Receiver());
        worker.start();
    }

    private static String checkedId(String id) {
        if (id == null || id.isBlank()) {
            throw new MonitorConfigException("monitor: the 'id' property is missing in configuration " + ChardevMonitorConfig.PID);
        }
        return id;
    }

    private void serve(MonitorConnection connection, InputStream in, OutputStream out) {
        try {
            connection.serve(in, out);
        } catch (IOException e) {
            if (!closing) {
                LOG.log(Level.WARNING, "monitor {0}: chardev {1} failed, monitor stopped: {2}", id, chardev.id(), e.toString());
            }
        }
    }

    private void write(byte[] bytes) {
        chardev.write(bytes, 0, bytes.length);
    }

    /** Disconnects from the chardev and ends the monitor's thread. */
    @Deactivate
    public void close() {
        closing = true;
        chardev.setReceiver(null);
        input.end();
        MonitorEndpoint.end(worker);
    }

    /** Whether the monitor's thread still runs (for tests). */
    boolean isRunning() {
        return worker.isAlive();
    }

    /** What the chardev delivers: typed bytes and focus changes. */
    private final class Receiver implements ChardevReceiver {

        @Override
        public int canReceive() {
            return input.room();
        }

        @Override
        public void receive(byte[] data, int offset, int length) {
            editor.type(data, offset, length);
        }

        @Override
        public void focusChanged(boolean focused) {
            synchronized (ChardevMonitor.this) {
                if (!focused) {
                    return;
                }
                if (!focusedBefore) {
                    // the greeting and prompt written at the start were held for this moment
                    focusedBefore = true;
                    return;
                }
            }
            write(("\r\n" + MonitorConnection.PROMPT).getBytes(StandardCharsets.UTF_8));
            write(editor.pending());
        }
    }

    /**
     * Completed lines as a stream the monitor reads; blocks until a line or the end. After each
     * read it tells the chardev there is room again, outside its own lock (the chardev delivers
     * under its lock into {@link #add}).
     */
    static final class LineInput extends InputStream {
        private final byte[] ring;
        private final Runnable onRoom;
        private int head;
        private int count;
        private boolean ended;

        LineInput(int capacity, Runnable onRoom) {
            this.ring = new byte[capacity];
            this.onRoom = onRoom;
        }

        synchronized int room() {
            return ended ? 0 : ring.length - count;
        }

        /** Queues one line; a line that does not fit is cut (the editor bounds lines well below). */
        synchronized void add(byte[] line) {
            int n = Math.min(line.length, ring.length - count);
            for (int i = 0; i < n; i++) {
                ring[(head + count) % ring.length] = line[i];
                count++;
            }
            notifyAll();
        }

        synchronized void end() {
            ended = true;
            notifyAll();
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            Objects.checkFromIndexSize(off, len, b.length);
            if (len == 0) {
                return 0;
            }
            int n = take(b, off, len);
            if (n > 0) {
                onRoom.run();
            }
            return n;
        }

        private synchronized int take(byte[] b, int off, int len) throws IOException {
            while (count == 0 && !ended) {
                try {
                    wait();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new java.io.InterruptedIOException("monitor input interrupted");
                }
            }
            if (count == 0) {
                return -1;
            }
            int n = Math.min(len, count);
            for (int i = 0; i < n; i++) {
                b[off + i] = ring[(head + i) % ring.length];
            }
            head = (head + n) % ring.length;
            count -= n;
            return n;
        }
    }
}
