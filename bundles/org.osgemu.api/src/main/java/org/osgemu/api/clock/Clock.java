package org.osgemu.api.clock;

/** A clock in nanoseconds, and a factory of timers that fire on it. */
public interface Clock {

    ClockType type();

    /** Current time in nanoseconds. */
    long nanos();

    /** A new, unarmed timer whose callback runs on the machine's timer thread. */
    Timer newTimer(String name, Runnable callback);
}
