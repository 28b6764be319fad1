package org.osgemu.core.clock;

import java.util.function.LongSupplier;

import org.osgemu.api.clock.ClockType;

/**
 * Guest time: nanoseconds that advance with host time only while the machine runs. It starts
 * stopped at 0; {@link #stop()} freezes the value and {@link #start()} resumes from exactly the
 * frozen value. Reading it is one volatile read and no lock, since CPUs read it for every
 * {@code time} CSR access.
 */
public final class VirtualClock extends ScheduledClock {

    /** While running, time is {@code hostNanos + base}; while stopped, time is {@code base}. */
    private record State(boolean running, long base) {}

    private final LongSupplier hostNanos;
    private volatile State state = new State(false, 0);

    VirtualClock(TimerScheduler scheduler, LongSupplier hostNanos) {
        super(ClockType.VIRTUAL, scheduler);
        this.hostNanos = hostNanos;
    }

    @Override
    public long nanos() {
        State s = state;
        return s.running ? hostNanos.getAsLong() + s.base : s.base;
    }

    /** Lets time pass from the value it stopped at; no effect when running. */
    public void start() {
        synchronized (this) {
            State s = state;
            if (s.running) {
                return;
            }
            state = new State(true, s.base - hostNanos.getAsLong());
        }
        scheduler.clockChanged();
    }

    /** Freezes time; no effect when stopped. Timers on this clock wait until it starts again. */
    public void stop() {
        synchronized (this) {
            State s = state;
            if (!s.running) {
                return;
            }
            state = new State(false, hostNanos.getAsLong() + s.base);
        }
        scheduler.clockChanged();
    }

    /**
     * Sets the frozen value to {@code nanos}, as a migration restores guest time; only while
     * stopped. Armed timers keep their deadlines and are looked at again.
     *
     * @throws IllegalArgumentException when {@code nanos} is negative
     * @throws IllegalStateException when the clock runs
     */
    public void set(long nanos) {
        if (nanos < 0) {
            throw new IllegalArgumentException("virtual clock: time must not be negative, not " + nanos + " ns");
        }
        synchronized (this) {
            if (state.running) {
                throw new IllegalStateException("virtual clock: cannot be set while it runs; stop the machine first");
            }
            state = new State(false, nanos);
        }
        scheduler.clockChanged();
    }

    @Override
    boolean isRunning() {
        return state.running;
    }
}
