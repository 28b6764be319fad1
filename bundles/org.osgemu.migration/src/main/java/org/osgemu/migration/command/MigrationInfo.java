package org.osgemu.migration.command;

import java.util.LinkedHashMap;
import java.util.Map;

import org.osgemu.api.memory.RamBlock;
import org.osgemu.migration.engine.MigrationParameters;
import org.osgemu.migration.engine.MigrationProgress;
import org.osgemu.migration.engine.MigrationStatus;
import org.osgemu.migration.service.MachineMigrations;

/**
 * The results of {@code query-migrate} and {@code query-migrate-parameters} in QMP's shape, with
 * the members QEMU fills in each state: setup gives the status only; active, pre-switchover,
 * device, cancelling and the postcopy states the times, the expected downtime and the RAM counters
 * (postcopy adds the downtime: the stop before the destination started); completed the times,
 * the downtime and the RAM counters; failed the status and error-desc; cancelled the status.
 */
final class MigrationInfo {

    private MigrationInfo() {
    }

    static Map<String, Object> of(MachineMigrations migrations) {
        Map<String, Object> info = new LinkedHashMap<>();
        MigrationProgress outgoing = migrations.outgoingProgress();
        if (outgoing == null || outgoing.status() == MigrationStatus.NONE) {
            MachineMigrations.IncomingStatus incoming = migrations.incomingStatus();
            if (incoming != null && incoming.status() != MigrationStatus.NONE) {
                info.put("status", incoming.status().qapiName());
                if (incoming.error() != null) {
                    info.put("error-desc", incoming.error());
                }
            }
            return info;
        }
        MigrationProgress.Snapshot s = outgoing.snapshot();
        info.put("status", s.status().qapiName());
        switch (s.status()) {
            case ACTIVE, CANCELLING, PRE_SWITCHOVER, DEVICE, POSTCOPY_ACTIVE, POSTCOPY_PAUSED, POSTCOPY_RECOVER -> {
                info.put("setup-time", s.setupTimeMillis());
                info.put("total-time", s.totalTimeMillis());
                info.put("expected-downtime", s.expectedDowntimeMillis());
                info.put("ram", ram(s));
                if (s.status().isPostcopy() && s.downtimeMillis() >= 0) {
                    info.put("downtime", s.downtimeMillis()); // the stop before the destination started
                }
                if (s.throttlePercent() > 0) {
                    info.put("cpu-throttle-percentage", (long) s.throttlePercent());
                }
            }
            case COMPLETED -> {
                info.put("setup-time", s.setupTimeMillis());
                info.put("downtime", Math.max(0, s.downtimeMillis()));
                info.put("total-time", s.totalTimeMillis());
                info.put("ram", ram(s));
            }
            default -> { }
        }
        if (s.error() != null) {
            info.put("error-desc", s.error());
        }
        return info;
    }

    private static Map<String, Object> ram(MigrationProgress.Snapshot s) {
        Map<String, Object> ram = new LinkedHashMap<>();
        ram.put("transferred", s.transferred());
        ram.put("remaining", s.remaining());
        ram.put("total", s.total());
        ram.put("duplicate", s.duplicate());
        ram.put("skipped", 0L);
        ram.put("normal", s.normal());
        ram.put("normal-bytes", s.normalBytes());
        ram.put("dirty-pages-rate", s.dirtyPagesRate());
        ram.put("mbps", s.mbps());
        ram.put("dirty-sync-count", s.dirtySyncCount());
        ram.put("postcopy-requests", s.postcopyRequests());
        ram.put("page-size", (long) RamBlock.PAGE_SIZE);
        ram.put("multifd-bytes", 0L);
        ram.put("pages-per-second", s.pagesPerSecond());
        ram.put("precopy-bytes", s.precopyBytes());
        ram.put("downtime-bytes", s.downtimeBytes());
        ram.put("postcopy-bytes", s.postcopyBytes());
        ram.put("dirty-sync-missed-zero-copy", 0L);
        return ram;
    }

    static Map<String, Object> parameters(MigrationParameters p) {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("max-bandwidth", p.maxBandwidth());
        map.put("downtime-limit", p.downtimeLimitMillis());
        map.put("avail-switchover-bandwidth", p.availSwitchoverBandwidth());
        map.put("max-postcopy-bandwidth", p.maxPostcopyBandwidth());
        map.put("cpu-throttle-initial", (long) p.cpuThrottleInitial());
        map.put("cpu-throttle-increment", (long) p.cpuThrottleIncrement());
        map.put("max-cpu-throttle", (long) p.maxCpuThrottle());
        map.put("throttle-trigger-threshold", (long) p.throttleTriggerThreshold());
        return map;
    }
}
