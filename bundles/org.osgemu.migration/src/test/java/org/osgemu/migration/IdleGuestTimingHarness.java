package org.osgemu.migration;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.osgemu.api.memory.RamBlock;
import org.osgemu.migration.engine.MigrationParameters;
import org.osgemu.migration.engine.MigrationProgress;
import org.osgemu.migration.service.MachineMigrations;
import org.osgemu.migration.service.PrecopyMigrationService;

/**
 * Not a test but a measuring tool, run only with {@code -Dosgemu.migration.harness=true} (add
 * {@code -Dosgemu.migration.trace=true} for the phase timestamps): the benchmark's idle Linux guest
 * in miniature, 512 MiB of RAM of which about 19 MiB is in use, migrated over loopback TCP at
 * 128 MiB/s with a 300 ms downtime limit; prints total time, setup time and downtime of a few runs.
 */
@EnabledIfSystemProperty(named = "osgemu.migration.harness", matches = "true")
class IdleGuestTimingHarness {

    private static final long RAM = 512L << 20;
    private static final long USED_PAGES = (19L << 20) / RamBlock.PAGE_SIZE;

    private final PrecopyMigrationService service = new PrecopyMigrationService();

    @AfterEach
    void stopService() {
        service.deactivate();
    }

    @Test
    void migrateAnIdleGuestAFewTimes() throws Exception {
        for (int run = 0; run < Integer.getInteger("osgemu.migration.harness.runs", 5); run++) {
            try (TestMachine source = TestMachine.named("src" + run).ram(RAM).build();
                 TestMachine destination = TestMachine.named("dst" + run).ram(RAM).build()) {
                source.runtime.cont();
                // the pages in use are spread over the block, as a kernel's are
                long stride = RAM / RamBlock.PAGE_SIZE / USED_PAGES;
                for (long page = 0; page < USED_PAGES; page++) {
                    source.ram.segment().asSlice(page * stride * RamBlock.PAGE_SIZE, RamBlock.PAGE_SIZE).fill((byte) (page | 1));
                }
                MachineMigrations migrations = service.of(source.control());
                migrations.settings().updateParameters(p -> new MigrationParameters(128L << 20, 300, 0, 0, 20, 10, 99, 50));
                service.incoming(destination.control(), "tcp:127.0.0.1:0", true);
                int port = service.of(destination.control()).incomingPort();
                service.migrate(source.control(), "tcp:127.0.0.1:" + port);
                MigrationProgress.Snapshot done = migrations.outgoingProgress().snapshot();
                System.out.printf("run %d: total %d ms, setup %d ms, downtime %d ms, %.1f MiB%n", run, done.totalTimeMillis(),
                        done.setupTimeMillis(), done.downtimeMillis(), done.transferred() / 1048576.0);
                Await.until("the destination to run", 10,
                        () -> destination.runtime.state() == org.osgemu.api.machine.RunState.RUNNING);
                assertEquals(-1, source.ram.segment().mismatch(destination.ram.segment()), "RAM differs");
            }
        }
    }
}
