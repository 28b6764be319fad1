package org.osgemu.migration.engine;

import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * The bandwidth limit and the bandwidth measurement of precopy, in QEMU's 100 ms windows
 * ({@code BUFFER_DELAY}): within a window the source may send {@code max-bandwidth / 10} bytes,
 * then waits for the next one. At the end of each window the bytes it sent give the measured
 * bandwidth, from the time it spent sending or waiting for the limit; time it spent idle (nothing
 * to send, waiting for an ack) does not count, so an idle link does not look slow.
 */
final class RateLimiter {

    static final long WINDOW_NANOS = TimeUnit.MILLISECONDS.toNanos(100);
    /** A window with less sending time than this tells nothing about the link. */
    private static final long MIN_BUSY_NANOS = TimeUnit.MILLISECONDS.toNanos(10);

    private final LongSupplier maxBandwidth;
    private final LongSupplier clock;
    private long windowStart;
    private long windowStartBytes;
    private long idleNanos;
    private long limit;
    /** Bytes per second, as last measured; starts at the limit (or 0 when there is none). */
    private double bandwidth;
    private long lastWindowBytes;
    private long lastWindowNanos;

    /**
     * @param maxBandwidth bytes per second, read at each window (0: no limit)
     * @param clock nanoseconds, for tests
     */
    RateLimiter(LongSupplier maxBandwidth, LongSupplier clock) {
        this.maxBandwidth = maxBandwidth;
        this.clock = clock;
        this.windowStart = clock.getAsLong();
        this.limit = perWindow(maxBandwidth.getAsLong());
        this.bandwidth = maxBandwidth.getAsLong();
    }

    private static long perWindow(long bytesPerSecond) {
        return bytesPerSecond == 0 ? 0 : Math.max(1, bytesPerSecond / (TimeUnit.SECONDS.toNanos(1) / WINDOW_NANOS));
    }

    /**
     * Starts a new window when the current one is over; returns whether it did (then the
     * measurement was updated from the window that ended).
     */
    boolean roll(long bytesSent) {
        long now = clock.getAsLong();
        long elapsed = now - windowStart;
        if (elapsed < WINDOW_NANOS) {
            return false;
        }
        long busy = elapsed - idleNanos;
        long bytes = bytesSent - windowStartBytes;
        if (busy >= MIN_BUSY_NANOS && bytes > 0) {
            bandwidth = bytes * 1e9 / busy;
        }
        lastWindowBytes = bytes;
        lastWindowNanos = elapsed;
        // a chunk that went over the budget is paid for by the next window, so the rate holds on average
        long overshoot = limit > 0 ? Math.max(0, bytes - limit) : 0;
        windowStart = now;
        windowStartBytes = bytesSent - overshoot;
        idleNanos = 0;
        limit = perWindow(maxBandwidth.getAsLong());
        return true;
    }

    /** Whether the window's budget is spent. */
    boolean exceeded(long bytesSent) {
        roll(bytesSent);
        return limit > 0 && bytesSent - windowStartBytes >= limit;
    }

    /** Nanoseconds until the current window ends. */
    long untilWindowEnd() {
        return Math.max(0, windowStart + WINDOW_NANOS - clock.getAsLong());
    }

    /** Time spent with nothing to send: not part of the bandwidth measurement. */
    void idle(long nanos) {
        idleNanos += nanos;
    }

    /** The measured bandwidth in bytes per second. */
    double bandwidth() {
        return bandwidth;
    }

    /** Bytes and nanoseconds of the last window that ended. */
    long lastWindowBytes() {
        return lastWindowBytes;
    }

    long lastWindowNanos() {
        return lastWindowNanos;
    }
}
