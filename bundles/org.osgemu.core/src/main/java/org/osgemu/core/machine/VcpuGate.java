package org.osgemu.core.machine;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Decides when vCPU threads may be inside {@code Cpu.execute}, and lets control operations
 * wait until none is. A vCPU may execute while the machine runs, no control operation holds
 * the vCPUs (a reset in progress, a request from a vCPU waiting for the control thread) and
 * the machine is not torn down. Every vCPU re-checks under the lock before it enters
 * {@code execute}, so once {@link #hold()} or {@link #setRunning(boolean) setRunning(false)}
 * returns, no vCPU enters again; {@link #awaitAllOutside(Runnable)} then waits for those
 * already inside.
 */
final class VcpuGate {

    /** How often a control operation repeats its kick while it waits for a vCPU to come out. */
    private static final long REKICK_MILLIS = 1;

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final List<VcpuRunner> runners = new CopyOnWriteArrayList<>();
    private volatile boolean running;
    private volatile int holds;
    private volatile boolean terminated;

    void add(VcpuRunner runner) {
        runners.add(runner);
    }

    List<VcpuRunner> runners() {
        return runners;
    }

    /** For the vCPU's own idle loop: whether it may run now (read without the lock). */
    boolean mayRun() {
        return running && holds == 0 && !terminated;
    }

    boolean isTerminated() {
        return terminated;
    }

    /**
     * vCPU side: marks {@code runner} outside {@code execute} and waits until it may enter;
     * returns {@code true} with the runner marked inside, or {@code false} when torn down.
     */
    boolean awaitTurn(VcpuRunner runner) {
        lock.lock();
        try {
            runner.inExecute = false;
            changed.signalAll();
            while (!terminated && !(running && holds == 0)) {
                changed.awaitUninterruptibly();
            }
            if (terminated) {
                return false;
            }
            runner.inExecute = true;
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** vCPU side: the runner left {@code execute} to sleep (WFI) or after a failure. */
    void leave(VcpuRunner runner) {
        lock.lock();
        try {
            runner.inExecute = false;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    void setRunning(boolean value) {
        update(() -> running = value);
    }

    /** Keeps every vCPU out of {@code execute} until {@link #release()}; holds nest. */
    void hold() {
        update(() -> holds++);
    }

    void release() {
        update(() -> holds--);
    }

    void terminate() {
        update(() -> terminated = true);
    }

    private void update(Runnable change) {
        lock.lock();
        try {
            change.run();
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        // vCPUs idle in WFI look at the new state (after a reset their CPU has work again).
        for (VcpuRunner runner : runners) {
            runner.wake();
        }
    }

    /**
     * Waits until no vCPU other than the caller is inside {@code execute}, kicking them with
     * {@code kick} now and again in case a kick arrived before {@code execute} started listening.
     */
    void awaitAllOutside(Runnable kick) {
        kick.run();
        lock.lock();
        try {
            while (anyInside()) {
                if (!changed.await(REKICK_MILLIS, TimeUnit.MILLISECONDS)) {
                    lock.unlock();
                    try {
                        kick.run();
                    } finally {
                        lock.lock();
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the vCPUs to stop", e);
        } finally {
            lock.unlock();
        }
    }

    private boolean anyInside() {
        Thread self = Thread.currentThread();
        for (VcpuRunner runner : runners) {
            if (runner.inExecute && runner.thread() != self) {
                return true;
            }
        }
        return false;
    }
}
