package org.osgemu.core.clock;

import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.TreeSet;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Fires the timers of one machine's clocks from one thread. The thread sleeps until the
 * earliest deadline among the running clocks and looks again whenever a timer becomes the
 * first of its clock or a clock starts or stops. Callbacks run without the scheduler's lock,
 * so they may arm, cancel and free timers, including their own.
 */
final class TimerScheduler implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(TimerScheduler.class.getName());
    private static final Comparator<ScheduledTimer> BY_DEADLINE =
            Comparator.comparingLong((ScheduledTimer t) -> t.deadline).thenComparingLong(t -> t.id);

    /** The armed timers of one clock, earliest first. */
    private record ClockQueue(ScheduledClock clock, TreeSet<ScheduledTimer> timers) {}

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final List<ClockQueue> queues = new ArrayList<>();
    private final Thread thread;
    private long nextId;
    private boolean closed;

    TimerScheduler(String threadName) {
        thread = Thread.ofPlatform().name(threadName).daemon(true).unstarted(this::run);
        thread.start();
    }

    /** Whether the caller is the thread that runs timer callbacks. */
    boolean isSchedulerThread() {
        return Thread.currentThread() == thread;
    }

    ScheduledTimer newTimer(ScheduledClock clock, String name, Runnable callback) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(callback, "callback");
        lock.lock();
        try {
            queueOf(clock);
            return new ScheduledTimer(this, clock, name, callback, nextId++);
        } finally {
            lock.unlock();
        }
    }

    void arm(ScheduledTimer timer, long deadline) {
        lock.lock();
        try {
            if (timer.freed) {
                throw new IllegalStateException("timer " + timer.name + " was freed and cannot be armed again");
            }
            if (closed) {
                return; // the machine is gone; a device still tearing down may re-arm harmlessly
            }
            TreeSet<ScheduledTimer> timers = queueOf(timer.clock).timers();
            if (timer.armed) {
                timers.remove(timer);
            }
            timer.deadline = deadline;
            timer.armed = true;
            timers.add(timer);
            if (timers.first() == timer) {
                changed.signalAll();
            }
        } finally {
            lock.unlock();
        }
    }

    void disarm(ScheduledTimer timer, boolean free) {
        lock.lock();
        try {
            if (timer.armed) {
                queueOf(timer.clock).timers().remove(timer);
                timer.armed = false;
                timer.deadline = -1;
            }
            timer.freed |= free;
        } finally {
            lock.unlock();
        }
    }

    long deadlineOf(ScheduledTimer timer) {
        lock.lock();
        try {
            return timer.armed ? timer.deadline : -1;
        } finally {
            lock.unlock();
        }
    }

    /** A clock started or stopped: deadlines must be looked at again. */
    void clockChanged() {
        lock.lock();
        try {
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Ends the thread (waiting for a running callback to finish, unless called from it). */
    @Override
    public void close() {
        lock.lock();
        try {
            closed = true;
            for (ClockQueue queue : queues) {
                for (ScheduledTimer timer : queue.timers()) {
                    timer.armed = false;
                    timer.deadline = -1;
                }
                queue.timers().clear();
            }
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        if (!isSchedulerThread()) {
            try {
                thread.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private ClockQueue queueOf(ScheduledClock clock) {
        for (ClockQueue queue : queues) {
            if (queue.clock() == clock) {
                return queue;
            }
        }
        ClockQueue queue = new ClockQueue(clock, new TreeSet<>(BY_DEADLINE));
        queues.add(queue);
        return queue;
    }

    private void run() {
        lock.lock();
        try {
            while (!closed) {
                ScheduledTimer due = null;
                long sleepNanos = Long.MAX_VALUE;
                for (ClockQueue queue : queues) {
                    if (queue.timers().isEmpty() || !queue.clock().isRunning()) {
                        continue;
                    }
                    ScheduledTimer first = queue.timers().first();
                    long now = queue.clock().nanos();
                    if (first.deadline <= now) {
                        due = first;
                        break;
                    }
                    sleepNanos = Math.min(sleepNanos, Math.min(first.deadline - now, queue.clock().maxSleepNanos()));
                }
                if (due != null) {
                    queueOf(due.clock).timers().remove(due);
                    due.armed = false;
                    due.deadline = -1;
                    fire(due);
                } else if (sleepNanos == Long.MAX_VALUE) {
                    changed.await();
                } else {
                    changed.awaitNanos(sleepNanos);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            lock.unlock();
        }
    }

    /** Runs a callback with the lock released; a failing callback is logged and the others go on. */
    private void fire(ScheduledTimer timer) {
        lock.unlock();
        try {
            timer.callback.run();
        } catch (Throwable t) {
            LOG.log(Level.ERROR, "timer " + timer.name + " on the " + timer.clock + " failed", t);
        } finally {
            lock.lock();
        }
    }
}
