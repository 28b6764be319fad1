package org.osgemu.core.machine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.osgemu.api.cpu.Cpu;
import org.osgemu.api.irq.IrqLine;
import org.osgemu.api.machine.RunState;

/** The hooks a migration uses on running vCPUs: the auto-converge throttle and the store flush. */
class VcpuThrottleTest {

    /** A CPU that spins for about a millisecond per execute call and counts its calls and time. */
    static final class BusyCpu implements Cpu {
        final AtomicLong exits = new AtomicLong();
        final AtomicLong busyNanos = new AtomicLong();
        /** When set, the next execute call runs this long and ignores kicks (a long stretch of guest code). */
        volatile long stubbornNanos;
        volatile boolean insideStubborn;
        private volatile boolean kicked;

        @Override public int index() { return 0; }
        @Override public void reset() { }
        @Override public boolean hasWork() { return true; }
        @Override public void kick() { kicked = true; }
        @Override public IrqLine interruptLine(int number) { return IrqLine.NONE; }
        @Override public long pc() { return 0; }
        @Override public Map<String, Long> registers() { return Map.of(); }
        @Override public long instructionsRetired() { return 0; }

        @Override
        public ExitReason execute(long maxInstructions) {
            long start = System.nanoTime();
            try {
                long stubborn = stubbornNanos;
                if (stubborn > 0) {
                    stubbornNanos = 0;
                    insideStubborn = true;
                    while (System.nanoTime() - start < stubborn) {
                        Thread.onSpinWait();
                    }
                    insideStubborn = false;
                    return ExitReason.BUDGET;
                }
                while (System.nanoTime() - start < 1_000_000) {
                    if (kicked) {
                        kicked = false;
                        return ExitReason.KICKED;
                    }
                    Thread.onSpinWait();
                }
                return ExitReason.BUDGET;
            } finally {
                busyNanos.addAndGet(System.nanoTime() - start);
                exits.incrementAndGet();
            }
        }
    }

    private final CoreMachineRuntime machine = new CoreMachineRuntime("vm", "fake", 1_000, m -> { });
    private final BusyCpu cpu = new BusyCpu();

    VcpuThrottleTest() {
        machine.addCpu(cpu);
    }

    @AfterEach
    void destroy() {
        machine.destroy();
    }

    @Test
    void aThrottledVcpuRunsOnlyTheRestOfTheTime() throws InterruptedException {
        machine.start(false);
        double free = shareOfTimeRunning(300);
        machine.setVcpuThrottle(75);
        assertEquals(75, machine.vcpuThrottle());
        double throttled = shareOfTimeRunning(600);
        machine.setVcpuThrottle(0);
        double again = shareOfTimeRunning(300);

        assertTrue(free > 0.8, "an unthrottled vCPU runs nearly all the time: " + free);
        assertTrue(throttled > 0.1 && throttled < 0.4, "at 75 % the vCPU runs about a quarter of the time: " + throttled);
        assertTrue(again > 0.8, "without the throttle it runs freely again: " + again);
    }

    @Test
    void aPauseDoesNotWaitForAThrottledVcpusSleep() throws InterruptedException {
        machine.start(false);
        machine.setVcpuThrottle(99); // sleeps about a second after each 10 ms slice
        Thread.sleep(100);
        long start = System.nanoTime();
        machine.stop();
        long tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);

        assertEquals(RunState.PAUSED, machine.state());
        assertTrue(tookMillis < 300, "stop took " + tookMillis + " ms");
    }

    @Test
    void throttlesOutsideZeroTo99AreRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> machine.setVcpuThrottle(100));
        assertEquals("vCPU throttle must be 0..99 per cent, not 100", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> machine.setVcpuThrottle(-1));
    }

    @Test
    void flushingStoresWaitsUntilARunningVcpuLeftGuestCode() {
        machine.start(false);
        cpu.stubbornNanos = TimeUnit.MILLISECONDS.toNanos(200);
        while (!cpu.insideStubborn) {
            LockSupport.parkNanos(100_000);
        }
        long exits = cpu.exits.get();
        long start = System.nanoTime();
        machine.flushVcpuStores();
        long tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);

        assertTrue(cpu.exits.get() > exits, "the vCPU left execute before the flush returned");
        assertTrue(tookMillis >= 100, "the flush waited for the long slice to end: " + tookMillis + " ms");
        long after = cpu.exits.get();
        while (cpu.exits.get() == after) {
            LockSupport.parkNanos(100_000); // and the vCPU runs on afterwards
        }
        assertEquals(RunState.RUNNING, machine.state());
    }

    /** The share of {@code millis} of wall time the vCPU spent inside execute. */
    private double shareOfTimeRunning(long millis) throws InterruptedException {
        long busy = cpu.busyNanos.get();
        long start = System.nanoTime();
        Thread.sleep(millis);
        return (double) (cpu.busyNanos.get() - busy) / (System.nanoTime() - start);
    }
}
