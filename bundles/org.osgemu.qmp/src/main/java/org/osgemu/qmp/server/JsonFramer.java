package org.osgemu.qmp.server;

import java.util.Arrays;

/**
 * Cuts a byte stream into JSON values, as QEMU's JSON streamer does: QMP needs no newlines
 * between messages, so a message ends where its outermost brace or bracket closes (a bare
 * scalar ends at the next delimiter). Strings in double or single quotes, with escapes, are
 * skipped over. The values themselves are parsed later by Jackson.
 *
 * <p>Faults are reported as QEMU reports them, then the framer is ready for the next message:
 * a control character (other than tab, CR, LF outside strings) or a byte 0xFE/0xFF is a lexical
 * error that throws away the message in progress (the way a client resets QEMU's parser); a
 * message over the size limit or nested deeper than {@link Json#MAX_NESTING} is reported once
 * and the rest of it skipped.
 */
public final class JsonFramer {

    /** Where framed messages and faults go. */
    public interface Sink {
        /** One complete JSON value (not yet parsed). */
        void message(byte[] json);

        /** A fault; {@code desc} is the error text for the client. */
        void fault(String desc);
    }

    private final int maxMessageBytes;
    private final Sink sink;
    private byte[] buffer = new byte[256];
    private int length;
    private int depth;
    private boolean inMessage;
    private boolean scalar;
    private char quote; // 0 outside strings
    private boolean escape;
    private boolean skipping;

    /** @param maxMessageBytes the largest message accepted */
    public JsonFramer(int maxMessageBytes, Sink sink) {
        this.maxMessageBytes = maxMessageBytes;
        this.sink = sink;
    }

    /** Feeds {@code count} bytes of input. */
    public void feed(byte[] data, int offset, int count) {
        for (int i = offset; i < offset + count; i++) {
            accept(data[i] & 0xFF);
        }
    }

    /** Whether part of a message has arrived and its end has not. */
    public boolean isInsideMessage() {
        return inMessage;
    }

    private void accept(int b) {
        if (b == 0xFE || b == 0xFF || (b < 0x20 && (quote != 0 || (b != '\t' && b != '\n' && b != '\r')))) {
            reset();
            sink.fault("JSON parse error, stray '" + printable(b) + "'");
            return;
        }
        if (!inMessage) {
            start(b);
            return;
        }
        if (scalar && quote == 0) {
            if (isDelimiter(b)) {
                finish();
                start(b);
                return;
            }
            append(b);
            return;
        }
        append(b);
        if (quote != 0) {
            if (escape) {
                escape = false;
            } else if (b == '\\') {
                escape = true;
            } else if (b == quote) {
                quote = 0;
                if (scalar) {
                    finish();
                }
            }
            return;
        }
        switch (b) {
            case '"', '\'' -> quote = (char) b;
            case '{', '[' -> {
                if (++depth > Json.MAX_NESTING && !skipping) {
                    skipping = true;
                    sink.fault("JSON nesting depth limit exceeded");
                }
            }
            case '}', ']' -> {
                if (--depth == 0) {
                    finish();
                }
            }
            default -> { }
        }
    }

    private void start(int b) {
        switch (b) {
            case ' ', '\t', '\r', '\n' -> { }
            case '}', ']', ',', ':' -> sink.fault("JSON parse error, stray '" + (char) b + "'");
            case '{', '[' -> {
                inMessage = true;
                depth = 1;
                append(b);
            }
            case '"', '\'' -> {
                inMessage = true;
                scalar = true;
                quote = (char) b;
                append(b);
            }
            default -> {
                inMessage = true;
                scalar = true;
                append(b);
            }
        }
    }

    private static boolean isDelimiter(int b) {
        return switch (b) {
            case ' ', '\t', '\r', '\n', '{', '}', '[', ']', ',', ':', '"', '\'' -> true;
            default -> false;
        };
    }

    private void append(int b) {
        if (skipping) {
            return;
        }
        if (length == maxMessageBytes) {
            skipping = true;
            length = 0;
            buffer = new byte[256];
            sink.fault("JSON token size limit exceeded");
            return;
        }
        if (length == buffer.length) {
            buffer = Arrays.copyOf(buffer, Math.min(maxMessageBytes, buffer.length * 2));
        }
        buffer[length++] = (byte) b;
    }

    private void finish() {
        if (!skipping) {
            sink.message(Arrays.copyOf(buffer, length));
        }
        reset();
    }

    private void reset() {
        length = 0;
        depth = 0;
        inMessage = false;
        scalar = false;
        quote = 0;
        escape = false;
        skipping = false;
        if (buffer.length > 4096) {
            buffer = new byte[256]; // a large message once should not pin its buffer for the connection's life
        }
    }

    private static String printable(int b) {
        return b < 0x20 || b >= 0x7F ? String.format("\\x%02x", b) : String.valueOf((char) b);
    }
}
