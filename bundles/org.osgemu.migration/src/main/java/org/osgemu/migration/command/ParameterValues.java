package org.osgemu.migration.command;

import java.util.Locale;
import java.util.Map;

import org.osgemu.migration.engine.MigrationParameters;

/**
 * Applies {@code migrate-set-parameters} arguments (and the monitor's
 * {@code migrate_set_parameter NAME VALUE}) to the current parameters. The result is checked whole
 * by {@link MigrationParameters}, so a refused value changes nothing.
 */
final class ParameterValues {

    private ParameterValues() {
    }

    /** The parameters with the members of {@code arguments} changed. */
    static MigrationParameters apply(MigrationParameters p, Map<String, Object> arguments) {
        return new MigrationParameters(
                number(arguments, "max-bandwidth", p.maxBandwidth()),
                number(arguments, "downtime-limit", p.downtimeLimitMillis()),
                number(arguments, "avail-switchover-bandwidth", p.availSwitchoverBandwidth()),
                number(arguments, "max-postcopy-bandwidth", p.maxPostcopyBandwidth()),
                (int) number(arguments, "cpu-throttle-initial", p.cpuThrottleInitial()),
                (int) number(arguments, "cpu-throttle-increment", p.cpuThrottleIncrement()),
                (int) number(arguments, "max-cpu-throttle", p.maxCpuThrottle()),
                (int) number(arguments, "throttle-trigger-threshold", p.throttleTriggerThreshold()));
    }

    private static long number(Map<String, Object> arguments, String name, long current) {
        Object v = arguments.get(name);
        return v == null ? current : ((Number) v).longValue();
    }

    /**
     * The value of the monitor's {@code migrate_set_parameter NAME VALUE} as migrate-set-parameters
     * takes it: bandwidths are sizes (suffix B, K, M, G or T; a bare number is MiB/s, as in QEMU's
     * monitor), the others plain numbers.
     *
     * @throws IllegalArgumentException for an unknown name or a value that is no number
     */
    static long parse(String name, String value) {
        return switch (name) {
            case "max-bandwidth", "avail-switchover-bandwidth", "max-postcopy-bandwidth" -> size(name, value);
            case "downtime-limit", "cpu-throttle-initial", "cpu-throttle-increment", "max-cpu-throttle",
                 "throttle-trigger-threshold" -> {
                try {
                    yield Long.parseLong(value);
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("Parameter '" + name + "' expects a number, not '" + value + "'");
                }
            }
            default -> throw new IllegalArgumentException("Invalid parameter '" + name + "'; try: max-bandwidth, downtime-limit, "
                    + "avail-switchover-bandwidth, max-postcopy-bandwidth, cpu-throttle-initial, cpu-throttle-increment, "
                    + "max-cpu-throttle, throttle-trigger-threshold");
        };
    }

    private static long size(String name, String value) {
        String v = value.trim().toUpperCase(Locale.ROOT);
        long unit = 1L << 20;
        if (!v.isEmpty() && Character.isLetter(v.charAt(v.length() - 1))) {
            unit = switch (v.charAt(v.length() - 1)) {
                case 'B' -> 1;
                case 'K' -> 1L << 10;
                case 'M' -> 1L << 20;
                case 'G' -> 1L << 30;
                case 'T' -> 1L << 40;
                default -> throw new IllegalArgumentException("Parameter '" + name + "': unknown size suffix in '" + value
                        + "' (B, K, M, G or T)");
            };
            v = v.substring(0, v.length() - 1);
        }
        try {
            return Math.multiplyExact(Long.parseLong(v), unit);
        } catch (NumberFormatException | ArithmeticException e) {
            throw new IllegalArgumentException("Parameter '" + name + "' expects a size, e.g. 1G, not '" + value + "'");
        }
    }
}
