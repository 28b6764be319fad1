package org.osgemu.virtio.api;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Whether a {@link VirtioMmioDevice} may work, and the waits for its chains in flight: running;
 * draining (no chain is handed out, those in flight still complete into the rings); or quiesced
 * while the machine does not run (completions are held, no interrupt is raised). It also keeps
 * what waits for the device to work again: the queues wanted while quiesced, and the chains a
 * loaded state had in flight (a machine loading an incoming migration must not start host I/O
 * before it runs: its drives may not even be its own yet).
 *
 * <p>Everything but the reads of the phase happens under the transport lock; {@link #awaitIdle()}
 * releases it while it waits, as I/O workers need it to complete their chains.
 */
final class DeviceActivity {

    private static final System.Logger LOG = System.getLogger(VirtioMmioDevice.class.getName());

    private enum Phase { RUNNING, DRAINING, QUIESCED }

    private final String name;
    private final VirtQueue[] queues;
    private final Condition idle;
    private volatile Phase phase = Phase.RUNNING;
    private volatile long drainTimeoutMillis = VirtioMmioDevice.DRAIN_TIMEOUT_MILLIS;
    /** Queues (bit per queue) notified or looked at while quiesced. */
    private long wanted;
    /** Chains a loaded state had in flight ({@code queue << 16 | head}), restarted once the device works. */
    private int[] toRestart = new int[0];

    DeviceActivity(String name, VirtQueue[] queues, ReentrantLock lock) {
        this.name = name;
        this.queues = queues;
        this.idle = lock.newCondition();
    }

    /** Whether the device works normally (not draining, not quiesced). */
    boolean isRunning() {
        return phase == Phase.RUNNING;
    }

    /** Whether completions wait for the resume and the interrupt line stays as it is. */
    boolean holdsCompletions() {
        return phase == Phase.QUIESCED;
    }

    /** Remembers that queue {@code queue} is to be processed on resume. */
    void want(int queue) {
        wanted |= 1L << queue;
    }

    /** Forgets what waits for the device to work (a device reset: the driver sets its queues up anew). */
    void forgetDeferred() {
        wanted = 0;
        toRestart = new int[0];
    }

    /** Chains of a loaded state to restart (by the model) once the device is realized and running. */
    void restartLater(int[] inflight) {
        toRestart = inflight.clone();
    }

    /** The chains waiting for a restart, as a migration saves them: still in flight. */
    int[] toRestart() {
        return toRestart.clone();
    }

    /** Takes the chains to restart now: all of them when the device runs and is {@code realized}, else none. */
    int[] takeToRestart(boolean realized) {
        if (!realized || phase != Phase.RUNNING) {
            return new int[0];
        }
        int[] chains = toRestart;
        toRestart = new int[0];
        return chains;
    }

    /**
     * Stops handing out chains and waits for those in flight, then holds later completions.
     * Returns false when the device was not running (already quiesced).
     */
    boolean quiesce() {
        if (phase != Phase.RUNNING) {
            return false;
        }
        phase = Phase.DRAINING;
        awaitIdle();
        if (phase == Phase.DRAINING) { // not resumed while the lock was released
            phase = Phase.QUIESCED;
        }
        return true;
    }

    /** Lets the device work again; false when it was running already. */
    boolean resume() {
        if (phase == Phase.RUNNING) {
            return false;
        }
        phase = Phase.RUNNING;
        return true;
    }

    /** The queues wanted while quiesced (bit per queue), forgotten from now on. */
    long takeWanted() {
        long queuesWanted = wanted;
        wanted = 0;
        return queuesWanted;
    }

    /** See {@link VirtioMmioDevice#setDrainTimeout(long)}. */
    void setDrainTimeout(long millis) {
        if (millis < 0) {
            throw new IllegalArgumentException(name + ": drain timeout " + millis + " ms is negative");
        }
        drainTimeoutMillis = millis;
    }

    /** A chain left the busy set (completed, dropped, held) or the device broke: a drain may go on. */
    void chainDone() {
        idle.signalAll();
    }

    /** Waits (releasing the lock) until no chain in flight is still busy, or the drain timeout passes. */
    void awaitIdle() {
        long timeout = drainTimeoutMillis;
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeout);
        boolean interrupted = false;
        while (busyCount() > 0) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                LOG.log(System.Logger.Level.WARNING, "{0}: {1} request(s) still in flight after {2} ms; going on without them",
                        name, busyCount(), timeout);
                break;
            }
            try {
                idle.awaitNanos(left);
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private int busyCount() {
        int n = 0;
        for (VirtQueue q : queues) {
            n += q.busyCount();
        }
        return n;
    }
}
