package org.osgemu.core.clock;

import java.util.Objects;

import org.osgemu.api.clock.Clock;
import org.osgemu.api.clock.ClockType;
import org.osgemu.api.clock.Timer;

/** A clock whose timers the machine's {@link TimerScheduler} fires. */
abstract sealed class ScheduledClock implements Clock permits VirtualClock, HostClock {

    private final ClockType type;
    final TimerScheduler scheduler;

    ScheduledClock(ClockType type, TimerScheduler scheduler) {
        this.type = type;
        this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
    }

    @Override
    public final ClockType type() {
        return type;
    }

    @Override
    public final Timer newTimer(String name, Runnable callback) {
        return scheduler.newTimer(this, name, callback);
    }

    /** Whether time passes on this clock now; timers of a stopped clock do not fire. */
    boolean isRunning() {
        return true;
    }

    /**
     * The longest the scheduler may sleep before looking at this clock again, even when no
     * deadline is nearer: the wall clock can be set, so host-time waits are re-checked.
     */
    long maxSleepNanos() {
        return Long.MAX_VALUE;
    }

    @Override
    public String toString() {
        return type.name().toLowerCase(java.util.Locale.ROOT) + " clock";
    }
}
