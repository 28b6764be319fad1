package org.osgemu.shell.monitor;

import java.io.ByteArrayOutputStream;
import java.util.function.Consumer;

/**
 * The line editing a monitor on a raw terminal needs, since nobody else does it there: echoes
 * what is typed, erases with Backspace or Delete, ends a line at CR or LF (a CR LF pair ends one
 * line) and skips the escape sequences of cursor keys. Complete lines go to {@code lines} with a
 * trailing LF; the echo goes to {@code echo}.
 */
final class LineEditor {

    private static final int MAX_LINE = 4096;
    private static final int ESC = 0x1b;

    private enum State { TEXT, ESCAPE, SEQUENCE }

    private final Consumer<byte[]> echo;
    private final Consumer<byte[]> lines;
    private final ByteArrayOutputStream line = new ByteArrayOutputStream();
    private State state = State.TEXT;
    private boolean lastWasCr;

    LineEditor(Consumer<byte[]> echo, Consumer<byte[]> lines) {
        this.echo = echo;
        this.lines = lines;
    }

    /** Takes typed bytes. */
    synchronized void type(byte[] data, int offset, int length) {
        ByteArrayOutputStream shown = new ByteArrayOutputStream();
        for (int i = offset; i < offset + length; i++) {
            int b = data[i] & 0xff;
            boolean cr = b == '\r';
            switch (state) {
                case ESCAPE -> state = b == '[' || b == 'O' ? State.SEQUENCE : State.TEXT;
                case SEQUENCE -> state = b >= 0x40 && b <= 0x7e ? State.TEXT : State.SEQUENCE;
                case TEXT -> text(b, shown);
            }
            lastWasCr = cr;
        }
        if (shown.size() > 0) {
            echo.accept(shown.toByteArray());
        }
    }

    /** The line typed so far, for showing again after the prompt. */
    synchronized byte[] pending() {
        return line.toByteArray();
    }

    private void text(int b, ByteArrayOutputStream shown) {
        if (b == '\r' || b == '\n') {
            if (b == '\n' && lastWasCr) {
                return; // the LF of a CR LF pair
            }
            shown.writeBytes(new byte[] {'\r', '\n'});
            echo.accept(shown.toByteArray()); // the echo first: the answer must not overtake it
            shown.reset();
            line.write('\n');
            lines.accept(line.toByteArray());
            line.reset();
        } else if (b == 0x7f || b == 0x08) {
            erase(shown);
        } else if (b == ESC) {
            state = State.ESCAPE;
        } else if (b >= 0x20 && line.size() < MAX_LINE) {
            line.write(b);
            shown.write(b);
        }
        // other control characters mean nothing to the monitor
    }

    /** Removes the last character, all bytes of it when it is UTF-8, and rubs it out on the screen. */
    private void erase(ByteArrayOutputStream shown) {
        byte[] bytes = line.toByteArray();
        int end = bytes.length;
        if (end == 0) {
            return;
        }
        int start = end - 1;
        while (start > 0 && (bytes[start] & 0xc0) == 0x80) {
            start--;
        }
        line.reset();
        line.write(bytes, 0, start);
        shown.writeBytes(new byte[] {'\b', ' ', '\b'});
    }
}
