package org.osgemu.core.machine;

import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

import org.osgemu.api.cpu.Cpu;
import org.osgemu.api.cpu.CpuEnvironment;
import org.osgemu.api.irq.IrqLine;

/**
 * A CPU that "executes" by counting instructions in steps of 100, sleeping a little between
 * steps so tests do not burn the host's cores. It can be put in WFI, can run one action inside
 * its next {@code execute} (as a device write would), and records how it is used.
 */
final class FakeCpu implements Cpu {

    private final int index;
    private final CpuEnvironment env;
    final AtomicLong retired = new AtomicLong();
    final AtomicInteger resets = new AtomicInteger();
    final AtomicInteger inside = new AtomicInteger();
    /** Resets that came while a thread was inside execute: a real CPU's state would be torn. */
    final AtomicInteger resetsWhileExecuting = new AtomicInteger();
    volatile Thread executingThread;
    volatile Runnable insideNextExecute;
    volatile RuntimeException failNextExecute;
    volatile Runnable onReset = () -> { };
    private volatile boolean kicked;
    private volatile boolean waitingForInterrupt;

    FakeCpu(int index, CpuEnvironment env) {
        this.index = index;
        this.env = env;
    }

    @Override
    public int index() {
        return index;
    }

    @Override
    public void reset() {
        resets.incrementAndGet();
        if (inside.get() > 0) {
            resetsWhileExecuting.incrementAndGet();
        }
        waitingForInterrupt = false;
        onReset.run();
    }

    @Override
    public ExitReason execute(long maxInstructions) {
        inside.incrementAndGet();
        executingThread = Thread.currentThread();
        try {
            RuntimeException failure = failNextExecute;
            if (failure != null) {
                failNextExecute = null;
                throw failure;
            }
            Runnable action = insideNextExecute;
            if (action != null) {
                insideNextExecute = null;
                action.run();
            }
            for (long done = 0; done < maxInstructions; done += 100) {
                if (waitingForInterrupt) {
                    return ExitReason.WAIT_FOR_INTERRUPT;
                }
                if (kicked) {
                    kicked = false;
                    return ExitReason.KICKED;
                }
                retired.addAndGet(100);
                LockSupport.parkNanos(20_000);
            }
            return ExitReason.BUDGET;
        } finally {
            inside.decrementAndGet();
        }
    }

    /** The guest executes WFI: execute returns and the thread should sleep. */
    void enterWfi() {
        waitingForInterrupt = true;
    }

    /** An interrupt arrives: the CPU has work again and asks the machine to wake its thread. */
    void interrupt() {
        waitingForInterrupt = false;
        env.wake();
    }

    @Override
    public boolean hasWork() {
        return !waitingForInterrupt;
    }

    @Override
    public void kick() {
        kicked = true;
    }

    @Override
    public IrqLine interruptLine(int number) {
        return level -> {
            if (level) {
                interrupt();
            }
        };
    }

    @Override
    public long pc() {
        return 0x8000_0000L + retired.get() * 4;
    }

    @Override
    public Map<String, Long> registers() {
        return Map.of("pc", pc());
    }

    @Override
    public long instructionsRetired() {
        return retired.get();
    }
}
