package org.osgemu.core.clock;

import org.osgemu.api.clock.Clock;
import org.osgemu.api.clock.ClockType;

/**
 * The three clocks of one machine and the thread that fires their timers. The virtual clock
 * starts stopped; the machine starts and stops it with its run state.
 */
public final class MachineClocks implements AutoCloseable {

    private final TimerScheduler scheduler;
    private final VirtualClock virtual;
    private final HostClock host;
    private final HostClock realtime;

    /** Starts the timer thread, named {@code timerThreadName}. */
    public MachineClocks(String timerThreadName) {
        scheduler = new TimerScheduler(timerThreadName);
        virtual = new VirtualClock(scheduler, System::nanoTime);
        host = HostClock.host(scheduler);
        realtime = HostClock.realtime(scheduler);
    }

    public Clock clock(ClockType type) {
        return switch (type) {
            case VIRTUAL -> virtual;
            case HOST -> host;
            case REALTIME -> realtime;
        };
    }

    public VirtualClock virtual() {
        return virtual;
    }

    /** Whether the caller is the timer thread (timer callbacks run there). */
    public boolean isTimerThread() {
        return scheduler.isSchedulerThread();
    }

    /** Disarms every timer and ends the timer thread. */
    @Override
    public void close() {
        scheduler.close();
    }
}
