package org.osgemu.migration;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgemu.api.device.Device;
import org.osgemu.api.migration.MigrationHandler;
import org.osgemu.api.migration.Section;
import org.osgemu.api.migration.SectionOutput;
import org.osgemu.migration.service.PrecopyMigrationService;

/**
 * The seam live migration builds on: a device that is a live {@link MigrationHandler} itself
 * gets its setup payloads as START then PART sections and its completion payloads as PART
 * sections then one END, and its twin on the destination receives them in that order, then
 * completes after every other section arrived.
 */
class LiveHandlerSeamTest {

    @TempDir
    Path dir;

    /** A live device that sends two payloads in setup and two on completion, and records what it loads. */
    static final class LiveDevice implements Device, MigrationHandler {
        final List<String> loaded = new CopyOnWriteArrayList<>();

        @Override public String id() { return "live0"; }
        @Override public String type() { return "live-device"; }
        @Override public void reset() { }
        @Override public String idString() { return "live-device"; }
        @Override public int instanceId() { return 0; }
        @Override public String label() { return "live0"; }
        @Override public int version() { return 2; }
        @Override public boolean isLive() { return true; }

        @Override
        public void setup(SectionOutput out) throws IOException {
            out.send(bytes("initial"));
            out.send(bytes("more"));
        }

        @Override
        public void complete(SectionOutput out) throws IOException {
            out.send(bytes("rest"));
            out.send(bytes("last"));
        }

        @Override
        public void load(Section section) {
            byte[] b = new byte[section.payload().remaining()];
            section.payload().get(b);
            loaded.add(section.type() + " v" + section.version() + " " + new String(b, StandardCharsets.UTF_8));
        }

        @Override
        public void loadComplete() {
            loaded.add("complete");
        }

        private static byte[] bytes(String s) {
            return s.getBytes(StandardCharsets.UTF_8);
        }
    }

    @Test
    void aLiveDeviceHandlerGetsStartPartsAndEndInOrder() throws Exception {
        PrecopyMigrationService migration = new PrecopyMigrationService();
        LiveDevice sender = new LiveDevice();
        LiveDevice receiver = new LiveDevice();
        Path file = dir.resolve("vm.snapshot");
        try (TestMachine source = TestMachine.named("src").device(sender).build();
             TestMachine destination = TestMachine.named("dst").device(receiver).build()) {
            migration.save(source.control(), file);
            migration.load(destination.control(), file);
        }
        assertEquals(List.of("START v2 initial", "PART v2 more", "PART v2 rest", "END v2 last", "complete"), receiver.loaded);
    }
}
