package org.osgemu.core.clock;

import java.time.Instant;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

import org.osgemu.api.clock.ClockType;

/**
 * The clocks that run whether the machine runs or not: {@code host} (wall-clock nanoseconds
 * since the epoch, for RTCs) and {@code realtime} (monotonic nanoseconds since the machine was
 * made).
 */
final class HostClock extends ScheduledClock {

    private final LongSupplier source;
    private final long maxSleepNanos;

    private HostClock(ClockType type, TimerScheduler scheduler, LongSupplier source, long maxSleepNanos) {
        super(type, scheduler);
        this.source = source;
        this.maxSleepNanos = maxSleepNanos;
    }

    static HostClock host(TimerScheduler scheduler) {
        return new HostClock(ClockType.HOST, scheduler, HostClock::wallClockNanos, TimeUnit.SECONDS.toNanos(1));
    }

    static HostClock realtime(TimerScheduler scheduler) {
        long origin = System.nanoTime();
        return new HostClock(ClockType.REALTIME, scheduler, () -> System.nanoTime() - origin, Long.MAX_VALUE);
    }

    private static long wallClockNanos() {
        Instant now = Instant.now();
        return now.getEpochSecond() * 1_000_000_000L + now.getNano();
    }

    @Override
    public long nanos() {
        return source.getAsLong();
    }

    @Override
    long maxSleepNanos() {
        return maxSleepNanos;
    }
}
