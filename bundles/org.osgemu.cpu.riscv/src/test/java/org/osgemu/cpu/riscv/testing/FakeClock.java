package org.osgemu.cpu.riscv.testing;

import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

import org.osgemu.api.clock.Clock;
import org.osgemu.api.clock.ClockType;
import org.osgemu.api.clock.Timer;

/**
 * A virtual clock for tests: time moves only when the test says so, and timers that fall due
 * then run on the test's thread (the machine's timer thread in real life), earliest first.
 */
public final class FakeClock implements Clock {

    private final AtomicLong nanos;
    private final List<FakeTimer> timers = new CopyOnWriteArrayList<>();

    /** A clock reading {@code nanos}. */
    public FakeClock(AtomicLong nanos) {
        this.nanos = nanos;
    }

    @Override
    public ClockType type() {
        return ClockType.VIRTUAL;
    }

    @Override
    public long nanos() {
        return nanos.get();
    }

    @Override
    public Timer newTimer(String name, Runnable callback) {
        FakeTimer t = new FakeTimer(name, callback);
        timers.add(t);
        return t;
    }

    /** Sets the time to {@code now} and runs the callbacks of the timers due by then. */
    public void advanceTo(long now) {
        nanos.set(now);
        while (true) {
            Optional<FakeTimer> due = timers.stream()
                    .filter(t -> t.deadline >= 0 && t.deadline <= now)
                    .min(Comparator.comparingLong(t -> t.deadline));
            if (due.isEmpty()) {
                return;
            }
            due.get().deadline = -1;
            due.get().callback.run();
        }
    }

    /** The armed timers' deadlines, earliest first. */
    public List<Long> deadlines() {
        return timers.stream().filter(t -> t.deadline >= 0).map(t -> t.deadline).sorted().toList();
    }

    private static final class FakeTimer implements Timer {
        private final String name;
        private final Runnable callback;
        private volatile long deadline = -1;
        private volatile boolean freed;

        FakeTimer(String name, Runnable callback) {
            this.name = name;
            this.callback = callback;
        }

        @Override
        public void modNanos(long deadlineNanos) {
            if (freed) {
                throw new IllegalStateException("timer " + name + " was freed");
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
