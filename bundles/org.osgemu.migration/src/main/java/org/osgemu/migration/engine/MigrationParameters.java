package org.osgemu.migration.engine;

/**
 * The tunables of a migration, as QEMU's {@code MigrationParameters} names and defaults them.
 *
 * @param maxBandwidth bytes per second the source may send during precopy; 0 means no limit
 * @param downtimeLimitMillis the longest pause the switchover may cause
 * @param availSwitchoverBandwidth bytes per second the link is known to carry at switchover, used
 *                                 instead of the measured bandwidth when not 0
 * @param maxPostcopyBandwidth bytes per second for postcopy's background pages (kept for part B)
 * @param cpuThrottleInitial auto-converge's first throttle, per cent
 * @param cpuThrottleIncrement how much auto-converge adds each time, per cent
 * @param maxCpuThrottle auto-converge's highest throttle, per cent
 * @param throttleTriggerThreshold dirtied bytes per pass, as a per cent of the bytes sent, above which
 *                                 auto-converge throttles
 */
public record MigrationParameters(long maxBandwidth, long downtimeLimitMillis, long availSwitchoverBandwidth,
                                  long maxPostcopyBandwidth, int cpuThrottleInitial, int cpuThrottleIncrement,
                                  int maxCpuThrottle, int throttleTriggerThreshold) {

    /** QEMU's defaults: 128 MiB/s, 300 ms, throttle 20 % + 10 % up to 99 %, trigger at 50 %. */
    public static final MigrationParameters DEFAULTS = new MigrationParameters(128L << 20, 300, 0, 0, 20, 10, 99, 50);
    /** The longest downtime limit QEMU takes: 2000 s. */
    public static final long MAX_DOWNTIME_MILLIS = 2_000_000;

    /** Refuses values QEMU refuses, with QEMU's wording. */
    public MigrationParameters {
        if (maxBandwidth < 0) {
            throw new IllegalArgumentException("Parameter 'max_bandwidth' expects an integer in the range of 0 to "
                    + Long.MAX_VALUE + " bytes/second");
        }
        if (availSwitchoverBandwidth < 0) {
            throw new IllegalArgumentException("Parameter 'avail_switchover_bandwidth' expects an integer in the range of 0 to "
                    + Long.MAX_VALUE + " bytes/second");
        }
        if (maxPostcopyBandwidth < 0) {
            throw new IllegalArgumentException("Parameter 'max_postcopy_bandwidth' expects an integer in the range of 0 to "
                    + Long.MAX_VALUE + " bytes/second");
        }
        if (downtimeLimitMillis < 0 || downtimeLimitMillis > MAX_DOWNTIME_MILLIS) {
            throw new IllegalArgumentException("Parameter 'downtime_limit' expects an integer in the range of 0 to "
                    + MAX_DOWNTIME_MILLIS + " milliseconds");
        }
        checkPercent("cpu_throttle_initial", cpuThrottleInitial, 1, 99);
        checkPercent("cpu_throttle_increment", cpuThrottleIncrement, 1, 99);
        checkPercent("max_cpu_throttle", maxCpuThrottle, 1, 99);
        checkPercent("throttle_trigger_threshold", throttleTriggerThreshold, 1, 100);
    }

    private static void checkPercent(String name, int value, int min, int max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException("Parameter '" + name + "' expects an integer in the range of " + min + " to " + max);
        }
    }
}
