package org.osgemu.cpu.riscv.hart;

import static org.osgemu.cpu.riscv.hart.Csr.IRQ_S_TIMER;

import org.osgemu.api.clock.Clock;
import org.osgemu.api.clock.Timer;

/**
 * The Sstc comparator of one hart (Sstc extension 1.0): the {@code stimecmp} register and the
 * supervisor timer interrupt it drives while {@code menvcfg.STCE} is set, pending exactly while
 * {@code time >= stimecmp} (unsigned). A one-shot timer on the virtual clock fires at the
 * deadline and re-evaluates, so the interrupt rises on time even while the hart sleeps in WFI;
 * the {@code levelChanged} callback then wakes the hart.
 *
 * <p>Threads: the vCPU thread writes the register and the enable; the timer callback runs on
 * the machine's timer thread. Both re-evaluate under this object's lock, so a stale deadline
 * can never leave the interrupt raised after a newer write lowered it. The timer is created on
 * first use, so harts whose software never enables Sstc own none.
 */
final class SupervisorTimer {

    private static final long NANOS_PER_SECOND = 1_000_000_000L;

    private final Clock clock;
    private final long hz;
    private final String name;
    private final Runnable levelChanged;

    private volatile long compare;
    /** The STIP bit when the interrupt is pending, else 0; read by {@code mip} on any thread. */
    private volatile long pending;
    private boolean enabled; // guarded by this
    private Timer timer; // guarded by this; null until first needed

    /**
     * A comparator on {@code clock} counting {@code hz} ticks per second; {@code levelChanged}
     * runs (on any thread) whenever the interrupt rises or falls.
     */
    SupervisorTimer(Clock clock, long hz, String name, Runnable levelChanged) {
        if (hz < 1 || hz > NANOS_PER_SECOND) {
            throw new IllegalArgumentException(name + ": timebase must be 1 Hz to 1 GHz, not " + hz + " Hz");
        }
        this.clock = clock;
        this.hz = hz;
        this.name = name;
        this.levelChanged = levelChanged;
    }

    /** The {@code time} CSR: ticks of the timebase at clock time {@code nanos} (rounded down). */
    static long ticks(long nanos, long hz) {
        return nanos / NANOS_PER_SECOND * hz + nanos % NANOS_PER_SECOND * hz / NANOS_PER_SECOND;
    }

    /** The first clock nanosecond at which {@link #ticks} reaches {@code ticks} (unsigned), or -1 when never. */
    static long nanosAt(long ticks, long hz) {
        if (ticks < 0) {
            return -1; // beyond 2^63 ticks: later than any clock reading
        }
        long whole = ticks / hz;
        if (whole > Long.MAX_VALUE / NANOS_PER_SECOND) {
            return -1;
        }
        long nanos = whole * NANOS_PER_SECOND;
        long rest = (ticks % hz * NANOS_PER_SECOND + hz - 1) / hz; // ticks % hz < hz <= 1e9: fits
        return nanos > Long.MAX_VALUE - rest ? -1 : nanos + rest;
    }

    /** The value of {@code stimecmp}. */
    long compare() {
        return compare;
    }

    /** The STIP bit of mip when the comparator holds the interrupt pending, else 0. */
    long pending() {
        return pending;
    }

    /** Writes {@code stimecmp}. */
    synchronized void setCompare(long value) {
        compare = value;
        update();
    }

    /** Follows {@code menvcfg.STCE}: while clear the comparator drives nothing. */
    synchronized void setEnabled(boolean on) {
        if (on != enabled) {
            enabled = on;
            update();
        }
    }

    /** Power-on state: stimecmp 0, disabled, no interrupt, no deadline armed. */
    synchronized void reset() {
        compare = 0;
        enabled = false;
        update();
    }

    /** Takes restored state (a migration) and re-evaluates the interrupt at the current time. */
    synchronized void restore(long compareValue, boolean on) {
        compare = compareValue;
        enabled = on;
        update();
    }

    private void fired() {
        synchronized (this) {
            update();
        }
    }

    /** Sets the interrupt level for now and arms the timer for the deadline still ahead, if any. */
    private void update() {
        boolean due = enabled && Long.compareUnsigned(ticks(clock.nanos(), hz), compare) >= 0;
        long deadline = enabled && !due ? nanosAt(compare, hz) : -1;
        if (deadline >= 0) {
            if (timer == null) {
                timer = clock.newTimer(name, this::fired);
            }
            timer.modNanos(deadline);
        } else if (timer != null) {
            timer.cancel();
        }
        long level = due ? 1L << IRQ_S_TIMER : 0;
        if (level != pending) {
            pending = level;
            levelChanged.run();
        }
    }
}
