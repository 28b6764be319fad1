package org.osgemu.core.machine;

import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * The CPU throttle of a migration's auto-converge, after QEMU's {@code cpu_throttle_set}: at
 * {@code p} per cent each vCPU thread, after every {@value #TIMESLICE_NANOS} ns it spent in guest
 * code, sleeps {@code p / (100 - p)} times as long, so it runs {@code 100 - p} per cent of the
 * time. One throttle serves every vCPU of a machine; each vCPU keeps its own {@link Account}.
 */
final class VcpuThrottle {

    /** Guest time between two sleeps of a throttled vCPU (QEMU's CPU_THROTTLE_TIMESLICE_NS). */
    static final long TIMESLICE_NANOS = 10_000_000;
    static final int MAX_PERCENT = 99;

    private volatile int percent;

    void set(int percent) {
        if (percent < 0 || percent > MAX_PERCENT) {
            throw new IllegalArgumentException("vCPU throttle must be 0.." + MAX_PERCENT + " per cent, not " + percent);
        }
        this.percent = percent;
    }

    int percent() {
        return percent;
    }

    /** Per-vCPU bookkeeping: how long the thread ran since it last slept. */
    static final class Account {
        private long ranNanos;
    }

    /**
     * Called by a vCPU thread after a slice of guest code that took {@code sliceNanos}: sleeps
     * when the thread has used up a time slice, and wakes early (returns) once {@code mayRun}
     * turns false, so that a pause or reset never waits for a throttled vCPU.
     */
    void afterSlice(Account account, long sliceNanos, BooleanSupplier mayRun) {
        int p = percent;
        if (p == 0) {
            account.ranNanos = 0;
            return;
        }
        account.ranNanos += sliceNanos;
        if (account.ranNanos < TIMESLICE_NANOS) {
            return;
        }
        long sleep = account.ranNanos * p / (100 - p);
        account.ranNanos = 0;
        long deadline = System.nanoTime() + sleep;
        for (long left = sleep; left > 0 && mayRun.getAsBoolean(); left = deadline - System.nanoTime()) {
            LockSupport.parkNanos(this, left); // the gate unparks vCPUs on every state change
        }
    }
}
