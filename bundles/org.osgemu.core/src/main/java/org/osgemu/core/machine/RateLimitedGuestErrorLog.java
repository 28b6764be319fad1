package org.osgemu.core.machine;

import java.util.Arrays;
import java.util.IllegalFormatException;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

import org.osgemu.api.device.GuestErrorLog;

/**
 * The guest-error channel of one source (a device): lines {@code guest error: <source>: <message>},
 * at most {@code limit} per window; the rest of a window is counted and reported as one
 * {@code ... N more suppressed} line when the next message arrives after the window. A guest
 * stuck in a loop of bad accesses so cannot flood the log or slow the vCPU down.
 */
final class RateLimitedGuestErrorLog implements GuestErrorLog {

    private final String source;
    private final Consumer<String> sink;
    private final LongSupplier nanoTime;
    private final int limit;
    private final long windowNanos;
    private boolean windowOpen;
    private long windowStart;
    private int loggedInWindow;
    private long suppressed;

    RateLimitedGuestErrorLog(String source, Consumer<String> sink, LongSupplier nanoTime, int limit, long windowNanos) {
        this.source = Objects.requireNonNull(source, "source");
        this.sink = Objects.requireNonNull(sink, "sink");
        this.nanoTime = Objects.requireNonNull(nanoTime, "nanoTime");
        if (limit <= 0 || windowNanos <= 0) {
            throw new IllegalArgumentException("guest error log " + source + ": limit and window must be positive, not "
                    + limit + " per " + windowNanos + " ns");
        }
        this.limit = limit;
        this.windowNanos = windowNanos;
    }

    @Override
    public synchronized void guestError(String format, Object... args) {
        long now = nanoTime.getAsLong();
        if (!windowOpen || now - windowStart >= windowNanos) {
            if (suppressed > 0) {
                sink.accept("guest error: " + source + ": ... " + suppressed + " more suppressed");
            }
            windowOpen = true;
            windowStart = now;
            loggedInWindow = 0;
            suppressed = 0;
        }
        if (loggedInWindow < limit) {
            loggedInWindow++;
            sink.accept("guest error: " + source + ": " + format(format, args));
        } else {
            suppressed++;
        }
    }

    /** Formats without ever throwing: a device's bad pattern must not turn a guest error into a crash. */
    private static String format(String format, Object[] args) {
        if (args == null || args.length == 0) {
            return String.valueOf(format);
        }
        try {
            return String.format(format, args);
        } catch (IllegalFormatException e) {
            return format + " " + Arrays.toString(args);
        }
    }
}
