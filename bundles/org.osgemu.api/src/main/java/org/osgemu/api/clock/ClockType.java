package org.osgemu.api.clock;

/** The clocks a machine has, after QEMU's {@code QEMUClockType}. */
public enum ClockType {
    /** Guest time: stops while the machine is paused, drives guest timers, migrates. */
    VIRTUAL,
    /** Host wall-clock time (for an RTC). */
    HOST,
    /** Host monotonic time that runs even when the machine is paused. */
    REALTIME
}
