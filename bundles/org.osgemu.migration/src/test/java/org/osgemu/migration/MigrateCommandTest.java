package org.osgemu.migration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgemu.api.machine.RunState;
import org.osgemu.migration.command.MigrateCommand;
import org.osgemu.migration.service.StopAndCopyMigrationService;

/** The monitor's {@code migrate} and {@code migrate_incoming}, as a user types them. */
class MigrateCommandTest {

    private final StopAndCopyMigrationService migration = new StopAndCopyMigrationService();

    @TempDir
    Path dir;

    @Test
    void migrateRefusesARunningMachineAndSaysWhatToDo() {
        try (TestMachine vm = TestMachine.named("vm").build()) {
            vm.runtime.cont();
            MigrateCommand command = new MigrateCommand(migration, vm::control);
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> command.migrate("file:" + dir.resolve("f")));
            assertEquals("migrate: stop the machine first (stop), then migrate file:" + dir.resolve("f"), e.getMessage());
            assertEquals(RunState.RUNNING, vm.runtime.state());
        }
    }

    @Test
    void migrateToAFileThenIncomingIntoAnotherMachine() throws Exception {
        Path file = dir.resolve("vm.snapshot");
        try (TestMachine source = TestMachine.named("src").build(); TestMachine destination = TestMachine.named("dst").build()) {
            source.runtime.memory().write(TestMachine.RAM_BASE + 0x100, 0xCAFE, 8);

            assertNull(new MigrateCommand(migration, source::control).migrate("file:" + file));
            assertNull(new MigrateCommand(migration, destination::control).migrateIncoming("file:" + file));

            assertTrue(Files.size(file) > 0);
            assertEquals(RunState.POSTMIGRATE, source.runtime.state());
            assertEquals(RunState.PAUSED, destination.runtime.state());
            assertEquals(0xCAFE, destination.runtime.memory().read(TestMachine.RAM_BASE + 0x100, 8));
        }
    }

    @Test
    void otherTransportsAreNotSupportedYet() {
        try (TestMachine vm = TestMachine.named("vm").build()) {
            MigrateCommand command = new MigrateCommand(migration, vm::control);
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> command.migrate("tcp:localhost:4444"));
            assertEquals("migrate: transport 'tcp:' is not supported yet; only file:PATH is (e.g. file:/tmp/vm.snapshot)",
                    e.getMessage());
            IllegalStateException unknown = assertThrows(IllegalStateException.class, () -> command.migrateIncoming("ftp:x"));
            assertEquals("migrate_incoming: unknown transport 'ftp:' in 'ftp:x'; give e.g. file:/tmp/vm.snapshot", unknown.getMessage());
            assertEquals(RunState.PAUSED, vm.runtime.state());
        }
    }

    @Test
    void aMissingOrExtraArgumentIsAUsageMistake() {
        try (TestMachine vm = TestMachine.named("vm").build()) {
            MigrateCommand command = new MigrateCommand(migration, vm::control);
            assertEquals("migrate: give one URI, e.g. migrate file:/tmp/vm.snapshot",
                    assertThrows(IllegalArgumentException.class, command::migrate).getMessage());
            assertEquals("migrate: give one URI, e.g. migrate file:/tmp/vm.snapshot",
                    assertThrows(IllegalArgumentException.class, () -> command.migrate("file:a", "file:b")).getMessage());
            assertEquals("migrate: option -d is not supported; give one URI, e.g. migrate file:/tmp/vm.snapshot",
                    assertThrows(IllegalArgumentException.class, () -> command.migrate("-d")).getMessage());
            assertEquals("migrate: file: needs a path, e.g. file:/tmp/vm.snapshot",
                    assertThrows(IllegalStateException.class, () -> command.migrate("file:")).getMessage());
        }
    }

    @Test
    void withoutAMachineTheCommandsSaySo() {
        MigrateCommand command = new MigrateCommand(migration, () -> null);
        assertEquals("no machine is running", command.migrate("file:/tmp/x"));
        assertEquals("no machine is running", command.migrateIncoming("file:/tmp/x"));
    }
}
