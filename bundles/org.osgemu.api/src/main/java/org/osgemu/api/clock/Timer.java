package org.osgemu.api.clock;

/** A one-shot timer on a {@link Clock}. Re-arming replaces the previous deadline. */
public interface Timer {

    /** Arms the timer to fire when its clock reaches {@code deadlineNanos}. */
    void modNanos(long deadlineNanos);

    /** Disarms the timer; no effect when it is not armed. */
    void cancel();

    /** Whether the timer is armed. */
    boolean isPending();

    /** The armed deadline, or -1 when not armed. */
    long deadlineNanos();

    /** Disarms the timer and forgets it; a freed timer cannot be armed again. */
    void free();
}
