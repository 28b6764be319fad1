package org.osgemu.migration.engine;

import java.lang.System.Logger.Level;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import org.osgemu.api.machine.MachineControl;

/**
 * The {@code auto-converge} capability, after QEMU's {@code migration_trigger_throttle}: at a
 * dirty-bitmap sync at least a second after the last one it looked, when the guest dirtied more
 * than {@code throttle-trigger-threshold} per cent of what the link carried since, a second time
 * in a row, the vCPUs are throttled ({@code cpu-throttle-initial}), then throttled harder
 * ({@code +cpu-throttle-increment}, up to {@code max-cpu-throttle}). The throttle ends with the
 * migration.
 */
final class AutoConverge {

    private static final System.Logger LOG = System.getLogger(AutoConverge.class.getName());
    private static final long PERIOD_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final MachineControl machine;
    private final Supplier<MigrationParameters> parameters;
    private final MigrationProgress progress;
    private long periodStart = System.nanoTime();
    private long periodDirtied;
    private long periodStartTransferred;
    private int highPeriods;
    private int throttle;

    AutoConverge(MachineControl machine, Supplier<MigrationParameters> parameters, MigrationProgress progress) {
        this.machine = machine;
        this.parameters = parameters;
        this.progress = progress;
    }

    /** A sync found {@code dirtiedBytes} newly dirty, with {@code transferred} bytes sent so far. */
    void synced(long dirtiedBytes, long transferred) {
        periodDirtied += dirtiedBytes;
        long now = System.nanoTime();
        if (now - periodStart < PERIOD_NANOS) {
            return;
        }
        long sent = transferred - periodStartTransferred;
        MigrationParameters p = parameters.get();
        if (periodDirtied > sent * p.throttleTriggerThreshold() / 100 && ++highPeriods >= 2) {
            highPeriods = 0;
            raise(p);
        }
        periodStart = now;
        periodDirtied = 0;
        periodStartTransferred = transferred;
    }

    private void raise(MigrationParameters p) {
        int next = throttle == 0 ? p.cpuThrottleInitial() : Math.min(throttle + p.cpuThrottleIncrement(), p.maxCpuThrottle());
        if (next == throttle) {
            return;
        }
        try {
            machine.setVcpuThrottle(next);
            throttle = next;
            progress.throttle(next);
            LOG.log(Level.DEBUG, () -> "machine " + machine.name() + ": auto-converge throttles the vCPUs to " + next + " %");
        } catch (UnsupportedOperationException e) {
            LOG.log(Level.WARNING, "machine " + machine.name() + ": auto-converge cannot throttle: " + e.getMessage());
        }
    }

    /** Lets the vCPUs run freely again. */
    void stop() {
        if (throttle != 0) {
            machine.setVcpuThrottle(0);
            throttle = 0;
            progress.throttle(0);
        }
    }
}
