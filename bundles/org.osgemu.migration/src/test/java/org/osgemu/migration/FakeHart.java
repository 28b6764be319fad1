package org.osgemu.migration;

import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

import org.osgemu.api.cpu.Cpu;
import org.osgemu.api.cpu.CpuEnvironment;
import org.osgemu.api.irq.IrqLine;
import org.osgemu.api.vmstate.Migratable;
import org.osgemu.api.vmstate.VMStateDescription;

/**
 * A hart with a little migratable state (pc, four registers, WFI) that "executes" by counting
 * and sleeping, and that records the levels of its interrupt lines, so a test sees whether the
 * machine ran and whether a device raised a line.
 */
final class FakeHart implements Cpu, Migratable<FakeHartState> {

    private final int index;
    private final CpuEnvironment env;
    final AtomicLong retired = new AtomicLong();
    private final AtomicLong lineLevels = new AtomicLong();
    volatile int resets;
    private volatile long pc;
    private final long[] x = new long[4];
    private volatile boolean waiting;
    private volatile boolean kicked;
    /** What the "guest" does in each execute call, e.g. dirty memory; nothing by default. */
    volatile Runnable work = () -> { };

    /** The address space the hart works on. */
    CpuEnvironment env() {
        return env;
    }

    FakeHart(int index, CpuEnvironment env) {
        this.index = index;
        this.env = env;
    }

    @Override public int index() { return index; }

    @Override
    public void reset() {
        resets++;
        pc = env.resetVector();
        Arrays.fill(x, 0);
        waiting = false;
    }

    @Override
    public ExitReason execute(long maxInstructions) {
        if (waiting && lineLevels.get() == 0) {
            return ExitReason.WAIT_FOR_INTERRUPT;
        }
        waiting = false;
        retired.addAndGet(100);
        work.run();
        LockSupport.parkNanos(200_000);
        if (kicked) {
            kicked = false;
            return ExitReason.KICKED;
        }
        return ExitReason.BUDGET;
    }

    @Override public boolean hasWork() { return !waiting || lineLevels.get() != 0; }
    @Override public void kick() { kicked = true; }

    @Override
    public IrqLine interruptLine(int number) {
        return level -> {
            if (level) {
                lineLevels.getAndUpdate(v -> v | 1L << number);
                env.wake();
            } else {
                lineLevels.getAndUpdate(v -> v & ~(1L << number));
            }
        };
    }

    /** Whether interrupt input {@code number} is high. */
    boolean line(int number) {
        return (lineLevels.get() & 1L << number) != 0;
    }

    @Override public long pc() { return pc; }
    @Override public Map<String, Long> registers() { return Map.of("pc", pc); }
    @Override public long instructionsRetired() { return retired.get(); }

    @Override
    public VMStateDescription<FakeHartState> vmstate() {
        return FakeHartState.VMSTATE;
    }

    @Override
    public FakeHartState saveState() {
        return new FakeHartState(pc, x, waiting);
    }

    @Override
    public void loadState(FakeHartState state) {
        pc = state.pc();
        System.arraycopy(state.x(), 0, x, 0, x.length);
        waiting = state.waiting();
    }
}
