package org.osgemu.chardev;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.LongSupplier;

import org.osgemu.api.chardev.Chardev;
import org.osgemu.api.chardev.ChardevReceiver;

/**
 * QEMU's mux chardev ({@code -chardev stdio,mux=on}, {@code -serial mon:stdio}, {@code -nographic}):
 * one backend, usually stdio, shared by several front ends (the serial console and the human
 * monitor). Each front end is a {@link Chardev} of its own ({@link #frontEnds()}); input goes
 * to the one with focus, the first at the start, and Ctrl-A escapes ({@link MuxEscapes}) switch
 * the focus, print help, end the emulator and so on.
 *
 * <p>Output of a front end without focus: as in QEMU, the first front end (the console) always
 * writes through, so guest output keeps coming while the monitor is in use; the others (the
 * monitor) are held, at most {@value #HELD_OUTPUT_LIMIT} bytes each, until they get the focus
 * back. That is why the monitor's greeting appears at the first Ctrl-A c and not at the start.
 *
 * <p>Locks: the mux's own lock guards focus, held output and timestamps, and is taken inside the
 * backend's input lock (backend input to {@link #receive}) and inside nothing else. Front-end
 * callbacks ({@code focusChanged}, {@code receiveBreak}) and the {@link Actions} run with no mux
 * lock held, since ending the machine waits for vCPUs that may be writing to the console.
 */
final class MuxChardev implements ChardevReceiver {

    /** Output a front end without focus may hold, at most. */
    static final int HELD_OUTPUT_LIMIT = 64 * 1024;
    /** Input waiting for one front end, at most. */
    static final int INPUT_CAPACITY = 4096;
    /** QEMU's limit on the users of one mux. */
    static final int MAX_FRONT_ENDS = 4;

    /**
     * What the escapes do outside the terminal; the component connects them to the machine and
     * the drives. They are called on the backend's input thread with its input lock held, which a
     * vCPU reading the UART needs too: anything that waits for vCPUs must run elsewhere.
     */
    interface Actions {
        /** Ctrl-A x: end the machine as {@code quit} does. */
        void quit();

        /** Ctrl-A s: flush the drives; {@code report} takes a line to show, if any. */
        void syncDrives(java.util.function.Consumer<String> report);
    }

    private final String id;
    private final Chardev backend;
    private final Actions actions;
    private final LongSupplier clockMillis;
    private final List<FrontEnd> frontEnds = new ArrayList<>();
    private final MuxEscapes escapes = new MuxEscapes(); // touched by the backend's input thread only
    private int focus; // guarded by this
    private boolean timestamps; // guarded by this
    private boolean lineStart; // guarded by this
    private long timestampsStart = -1; // guarded by this

    /**
     * A mux named {@code id} over {@code backend}, with one front end per id in
     * {@code frontEndIds}; the first has the focus. Call {@link #open()} to start taking input.
     */
    MuxChardev(String id, Chardev backend, List<String> frontEndIds, Actions actions, LongSupplier clockMillis) {
        this.id = Objects.requireNonNull(id, "id");
        this.backend = Objects.requireNonNull(backend, "backend");
        this.actions = Objects.requireNonNull(actions, "actions");
        this.clockMillis = Objects.requireNonNull(clockMillis, "clockMillis");
        if (frontEndIds.isEmpty() || frontEndIds.size() > MAX_FRONT_ENDS) {
            throw new IllegalArgumentException(MuxChardevComponent.PID + " " + id + ": " + frontEndIds.size()
                    + " front ends given; a mux serves 1 to " + MAX_FRONT_ENDS);
        }
        for (String frontEnd : frontEndIds) {
            if (frontEnd.isBlank() || frontEnds.stream().anyMatch(f -> f.id.equals(frontEnd))) {
                throw new IllegalArgumentException(MuxChardevComponent.PID + " " + id + ": front end id '" + frontEnd
                        + "' is blank or given twice in " + frontEndIds);
            }
            frontEnds.add(new FrontEnd(frontEnd, frontEnds.size()));
        }
    }

    /** Starts taking the backend's input. */
    void open() {
        backend.setReceiver(this);
    }

    /** Stops taking the backend's input and disconnects every front end. */
    void close() {
        backend.setReceiver(null);
        for (FrontEnd f : frontEnds) {
            f.setReceiver(null);
        }
    }

    String id() {
        return id;
    }

    /** The front ends, in focus order: register each as a chardev of its own. */
    List<? extends Chardev> frontEnds() {
        return List.copyOf(frontEnds);
    }

    /** The id of the front end with focus. */
    synchronized String focusedFrontEnd() {
        return frontEnds.get(focus).id;
    }

    @Override
    public int canReceive() {
        // Any front end may get the next bytes (Ctrl-A c can come first): promise what all can take.
        int room = Integer.MAX_VALUE;
        for (FrontEnd f : frontEnds) {
            room = Math.min(room, f.input.room());
        }
        return room;
    }

    @Override
    public void receive(byte[] data, int offset, int length) {
        Objects.checkFromIndexSize(offset, length, data.length);
        int runStart = offset;
        for (int i = offset; i < offset + length; i++) {
            MuxEscapes.Action action = escapes.accept(data[i]);
            if (action == MuxEscapes.Action.INPUT) {
                continue;
            }
            deliver(data, runStart, i - runStart);
            runStart = i + 1;
            perform(action);
        }
        deliver(data, runStart, offset + length - runStart);
    }

    private void deliver(byte[] data, int offset, int length) {
        if (length > 0) {
            focused().input.offer(data, offset, length);
        }
    }

    private synchronized FrontEnd focused() {
        return frontEnds.get(focus);
    }

    private void perform(MuxEscapes.Action action) {
        switch (action) {
            case INPUT, NONE -> { }
            case LITERAL_ESCAPE -> deliver(new byte[] {MuxEscapes.ESCAPE}, 0, 1);
            case HELP -> print(MuxEscapes.HELP_TEXT);
            case EXIT -> {
                print("osgemu: Terminated\r\n");
                actions.quit();
            }
            case SWITCH -> switchFocus();
            case SYNC_DRIVES -> actions.syncDrives(message -> print(message + "\r\n"));
            case BREAK -> {
                FrontEnd target = focused();
                ChardevReceiver receiver = target.receiver;
                if (receiver == null || !receiver.receiveBreak()) {
                    print("\r\nosgemu: C-a b: " + target.id + " does not model a break\r\n");
                }
            }
            case TIMESTAMPS -> toggleTimestamps();
        }
    }

    private void switchFocus() {
        FrontEnd from;
        FrontEnd to;
        synchronized (this) {
            from = frontEnds.get(focus);
            focus = (focus + 1) % frontEnds.size();
            to = frontEnds.get(focus);
            if (!to.held.isEmpty()) {
                byte[] held = to.held.takeAll();
                writeOut(held, 0, held.length);
            }
        }
        if (from != to) {
            notifyFocus(from, false);
            notifyFocus(to, true);
        }
    }

    private static void notifyFocus(FrontEnd frontEnd, boolean focused) {
        ChardevReceiver receiver = frontEnd.receiver;
        if (receiver != null) {
            receiver.focusChanged(focused);
        }
    }

    private synchronized void toggleTimestamps() {
        timestamps = !timestamps;
        timestampsStart = -1;
        lineStart = false; // as QEMU: the first stamp comes with the next line
    }

    /** Text of the mux itself (help, messages): straight to the terminal, whoever has focus. */
    private synchronized void print(String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        backend.write(bytes, 0, bytes.length);
    }

    private synchronized void write(FrontEnd source, byte[] data, int offset, int length) {
        Objects.checkFromIndexSize(offset, length, data.length);
        if (source.index == 0 || source.index == focus) {
            writeOut(data, offset, length);
        } else {
            source.held.hold(data, offset, length);
        }
    }

    /** Writes to the terminal, stamping each line with the time since stamps were turned on when they are. */
    private void writeOut(byte[] data, int offset, int length) {
        if (!timestamps) {
            backend.write(data, offset, length);
            return;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(length + 32);
        for (int i = offset; i < offset + length; i++) {
            byte b = data[i];
            if (lineStart) {
                out.writeBytes(stamp().getBytes(StandardCharsets.US_ASCII));
                lineStart = false;
            }
            out.write(b);
            if (b == '\n') {
                lineStart = true;
            }
        }
        backend.write(out.toByteArray(), 0, out.size());
    }

    /** {@code [hh:mm:ss.mmm] }, the time since timestamps were turned on, as QEMU prints it. */
    private String stamp() {
        long now = clockMillis.getAsLong();
        if (timestampsStart < 0) {
            timestampsStart = now;
        }
        long elapsed = now - timestampsStart;
        long seconds = elapsed / 1000;
        return String.format("[%02d:%02d:%02d.%03d] ", seconds / 3600, (seconds / 60) % 60, seconds % 60, elapsed % 1000);
    }

    /** One user of the mux: a chardev whose input is what the terminal sends while it has focus. */
    private final class FrontEnd implements Chardev {

        private final String id;
        private final int index;
        private final InputQueue input = new InputQueue(INPUT_CAPACITY);
        private final HeldOutput held;
        private volatile ChardevReceiver receiver;

        FrontEnd(String id, int index) {
            this.id = id;
            this.index = index;
            this.held = new HeldOutput(id, HELD_OUTPUT_LIMIT);
        }

        @Override
        public String id() {
            return id;
        }

        @Override
        public String backend() {
            return "mux";
        }

        @Override
        public void write(byte[] data, int offset, int length) {
            MuxChardev.this.write(this, data, offset, length);
        }

        @Override
        public void setReceiver(ChardevReceiver receiver) {
            this.receiver = receiver;
            input.setReceiver(receiver);
        }

        @Override
        public void acceptInput() {
            input.drain();
            backend.acceptInput(); // the shared queue may have waited for this front end's room
        }

        @Override
        public String toString() {
            return "mux " + MuxChardev.this.id + " front end " + id;
        }
    }
}
