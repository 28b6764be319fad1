package org.osgemu.device.clint;

/**
 * Converts between clock nanoseconds and timer ticks of a timebase (10 MHz on {@code virt})
 * without overflowing for any time a machine can run.
 */
final class Timebase {

    private static final long NANOS_PER_SECOND = 1_000_000_000L;

    private final long hz;

    /** A timebase of {@code hz} ticks per second, 1 Hz to 1 GHz (one tick per nanosecond at most). */
    Timebase(long hz) {
        if (hz < 1 || hz > NANOS_PER_SECOND) {
            throw new IllegalArgumentException("timebase frequency " + hz + " Hz is outside 1 Hz .. 1 GHz");
        }
        this.hz = hz;
    }

    /** Ticks elapsed at {@code nanos} (rounded down); {@code nanos} is not negative. */
    long ticksAt(long nanos) {
        return nanos / NANOS_PER_SECOND * hz + nanos % NANOS_PER_SECOND * hz / NANOS_PER_SECOND;
    }

    /**
     * The first nanosecond at which {@link #ticksAt} reaches {@code ticks} (unsigned), or -1 when
     * that lies beyond what a {@code long} of nanoseconds holds (the timer never fires).
     */
    long nanosAt(long ticks) {
        if (ticks < 0) {
            return -1;
        }
        long whole = ticks / hz;
        long rest = ticks % hz;
        if (whole > Long.MAX_VALUE / NANOS_PER_SECOND) {
            return -1;
        }
        long nanos = whole * NANOS_PER_SECOND;
        long restNanos = (rest * NANOS_PER_SECOND + hz - 1) / hz; // rest < hz <= 1e9: no overflow
        return nanos > Long.MAX_VALUE - restNanos ? -1 : nanos + restNanos;
    }
}
