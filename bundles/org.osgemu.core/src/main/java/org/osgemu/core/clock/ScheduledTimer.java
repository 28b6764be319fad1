package org.osgemu.core.clock;

import org.osgemu.api.clock.Timer;

/** A timer of a {@link TimerScheduler}; its fields are guarded by the scheduler's lock. */
final class ScheduledTimer implements Timer {

    final String name;
    final Runnable callback;
    final ScheduledClock clock;
    /** Creation order, to keep timers with equal deadlines apart and in order. */
    final long id;
    private final TimerScheduler scheduler;
    long deadline = -1;
    boolean armed;
    boolean freed;

    ScheduledTimer(TimerScheduler scheduler, ScheduledClock clock, String name, Runnable callback, long id) {
        this.scheduler = scheduler;
        this.clock = clock;
        this.name = name;
        this.callback = callback;
        this.id = id;
    }

    @Override
    public void modNanos(long deadlineNanos) {
        scheduler.arm(this, deadlineNanos);
    }

    @Override
    public void cancel() {
        scheduler.disarm(this, false);
    }

    @Override
    public boolean isPending() {
        return scheduler.deadlineOf(this) != -1;
    }

    @Override
    public long deadlineNanos() {
        return scheduler.deadlineOf(this);
    }

    @Override
    public void free() {
        scheduler.disarm(this, true);
    }

    @Override
    public String toString() {
        return "Timer[" + name + " on " + clock + "]";
    }
}
