package org.osgemu.core.machine;

import java.util.concurrent.locks.LockSupport;
import java.util.function.BiConsumer;

import org.osgemu.api.cpu.Cpu;

/**
 * The platform thread of one vCPU ({@code vcpu-N}): runs {@link Cpu#execute(long)} in slices
 * of {@code budget} instructions while the {@link VcpuGate} lets it, and parks while the CPU
 * waits for an interrupt until {@link #wake()} (an interrupt line changed) or a state change.
 */
final class VcpuRunner implements Runnable {

    private final Cpu cpu;
    private final VcpuGate gate;
    private final long budget;
    private final BiConsumer<VcpuRunner, Throwable> onFailure;
    private final VcpuThrottle throttle;
    private final VcpuThrottle.Account throttled = new VcpuThrottle.Account();
    private final Thread thread;
    /** Whether the thread is inside (or about to enter) {@code execute}; guarded by the gate's lock. */
    boolean inExecute;

    VcpuRunner(Cpu cpu, VcpuGate gate, long budget, BiConsumer<VcpuRunner, Throwable> onFailure, VcpuThrottle throttle) {
        this.cpu = cpu;
        this.gate = gate;
        this.budget = budget;
        this.onFailure = onFailure;
        this.throttle = throttle;
        this.thread = Thread.ofPlatform().name("vcpu-" + cpu.index()).daemon(true).unstarted(this);
    }

    Cpu cpu() {
        return cpu;
    }

    Thread thread() {
        return thread;
    }

    void start() {
        thread.start();
    }

    /** Unparks the thread if it sleeps in WFI; harmless otherwise. */
    void wake() {
        LockSupport.unpark(thread);
    }

    @Override
    public void run() {
        while (gate.awaitTurn(this)) {
            Cpu.ExitReason reason;
            long sliceStart = System.nanoTime();
            try {
                reason = cpu.execute(budget);
            } catch (RuntimeException | Error e) {
                gate.leave(this);
                onFailure.accept(this, e);
                continue;
            }
            if (throttle.percent() != 0 && reason != Cpu.ExitReason.WAIT_FOR_INTERRUPT) {
                gate.leave(this); // asleep outside execute: a pause does not wait for the throttle
                throttle.afterSlice(throttled, System.nanoTime() - sliceStart, gate::mayRun);
                continue;
            }
            if (reason == Cpu.ExitReason.WAIT_FOR_INTERRUPT) {
                gate.leave(this);
                // A wake() between hasWork() and park() leaves a permit, so park returns at once.
                while (!cpu.hasWork() && gate.mayRun()) {
                    LockSupport.park(this);
                }
            }
        }
    }
}
