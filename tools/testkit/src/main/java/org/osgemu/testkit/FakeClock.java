package org.osgemu.testkit;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.osgemu.api.clock.Clock;
import org.osgemu.api.clock.ClockType;
import org.osgemu.api.clock.Timer;

/**
 * A clock that moves only when a test says so, firing due timers as it passes their deadlines
 * (on the test's thread). Reading it and arming timers is safe from other threads (a hart's).
 */
public final class FakeClock implements Clock {

    private final ClockType type;
    private final List<FakeTimer> timers = new CopyOnWriteArrayList<>();
    private volatile long now;

    public FakeClock(ClockType type) {
        this.type = type;
    }

    @Override
    public ClockType type() {
        return type;
    }

    @Override
    public long nanos() {
        return now;
    }

    @Override
    public Timer newTimer(String name, Runnable callback) {
        FakeTimer t = new FakeTimer(name, callback);
        timers.add(t);
        return t;
    }

    /** Moves time forward to {@code target}, firing each due timer at its deadline in order. */
    public void advanceTo(long target) {
        while (true) {
            FakeTimer next = null;
            for (FakeTimer t : timers) {
                if (t.deadline >= 0 && t.deadline <= target && (next == null || t.deadline < next.deadline)) {
                    next = t;
                }
            }
            if (next == null) {
                break;
            }
            now = Math.max(now, next.deadline);
            next.deadline = -1;
            next.callback.run();
        }
        now = Math.max(now, target);
    }

    public void advanceBy(long nanos) {
        advanceTo(now + nanos);
    }

    /** The armed timers' deadlines, earliest first. */
    public List<Long> deadlines() {
        return timers.stream().filter(t -> t.deadline >= 0).map(t -> t.deadline).sorted().toList();
    }

    /** Timers created and not freed. */
    public List<FakeTimer> liveTimers() {
        return timers.stream().filter(t -> !t.freed).toList();
    }

    /** A timer of this clock. */
    public static final class FakeTimer implements Timer {
        final String name;
        final Runnable callback;
        volatile long deadline = -1;
        volatile boolean freed;

        FakeTimer(String name, Runnable callback) {
            this.name = name;
            this.callback = callback;
        }

        @Override
        public void modNanos(long deadlineNanos) {
            if (freed) {
                throw new IllegalStateException("timer " + name + " used after free");
            }
            deadline = deadlineNanos;
        }

        @Override
        public void cancel() {
            deadline = -1;
        }

        @Override
        public boolean isPending() {
            return deadline >= 0;
        }

        @Override
        public long deadlineNanos() {
            return deadline;
        }

        @Override
        public void free() {
            deadline = -1;
            freed = true;
        }
    }
}
