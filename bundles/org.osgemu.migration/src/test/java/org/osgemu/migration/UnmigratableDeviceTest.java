package org.osgemu.migration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgemu.api.device.Device;
import org.osgemu.api.machine.RunState;
import org.osgemu.api.migration.MigrationException;
import org.osgemu.api.vmstate.Stateless;
import org.osgemu.migration.service.MachineMigrations;
import org.osgemu.migration.service.PrecopyMigrationService;

/**
 * QEMU's migration blocker: a machine with a device that neither describes its state nor declares
 * that it has none is not migrated or saved (its state would be lost without a word), and the
 * refusal names the device; a device declared {@link Stateless} migrates with nothing to send.
 */
class UnmigratableDeviceTest {

    private static final String REFUSAL = "machine '%s': device 'dma0' (fake-dma) cannot migrate: it neither describes"
            + " its state (Migratable) nor declares that it has none (Stateless)";

    private final PrecopyMigrationService service = new PrecopyMigrationService();

    @TempDir
    Path dir;

    @AfterEach
    void stopService() {
        service.deactivate();
    }

    /** A device with state of its own that it does not describe. */
    private static class UndescribedDevice implements Device {
        @Override public String id() { return "dma0"; }
        @Override public String type() { return "fake-dma"; }
        @Override public void reset() { }
    }

    /** The same device, declaring that it has nothing to migrate. */
    private static final class StatelessDevice extends UndescribedDevice implements Stateless {
    }

    @Test
    void aSnapshotOfAMachineWithAnUndescribedDeviceIsRefusedNamingIt() throws Exception {
        Path file = dir.resolve("vm.snapshot");
        try (TestMachine source = TestMachine.named("src").device(new UndescribedDevice()).build()) {
            MigrationException e = assertThrows(MigrationException.class, () -> service.save(source.control(), file));

            assertEquals(REFUSAL.formatted("src"), e.getMessage());
            assertFalse(Files.exists(file));
            assertEquals(RunState.PAUSED, source.runtime.state());
        }
    }

    @Test
    void migrateRefusesAtOnceAndTheGuestRunsOn() throws Exception {
        try (TestMachine source = TestMachine.named("src").device(new UndescribedDevice()).build()) {
            source.runtime.cont();
            MachineMigrations out = service.of(source.control());

            MigrationException e = assertThrows(MigrationException.class,
                    () -> out.startOutgoing("file:" + dir.resolve("vm.snapshot")));

            assertEquals(REFUSAL.formatted("src"), e.getMessage());
            assertEquals(RunState.RUNNING, source.runtime.state());
        }
    }

    @Test
    void aDestinationWithAnUndescribedDeviceRefusesTheLoad() throws Exception {
        Path file = dir.resolve("vm.snapshot");
        try (TestMachine source = TestMachine.named("src").device(new StatelessDevice()).build();
             TestMachine destination = TestMachine.named("dst").device(new UndescribedDevice()).build()) {
            service.save(source.control(), file);

            MigrationException e = assertThrows(MigrationException.class, () -> service.load(destination.control(), file));

            assertEquals(REFUSAL.formatted("dst"), e.getMessage());
            assertEquals(RunState.PAUSED, destination.runtime.state());
        }
    }

    @Test
    void aStatelessDeviceMigratesWithNothingToSend() throws Exception {
        Path file = dir.resolve("vm.snapshot");
        try (TestMachine source = TestMachine.named("src").device(new StatelessDevice()).build();
             TestMachine destination = TestMachine.named("dst").device(new StatelessDevice()).build()) {
            source.runtime.memory().write(TestMachine.UART_BASE + 7, 0x5A, 1);
            service.save(source.control(), file);
            service.load(destination.control(), file);

            assertEquals(0x5A, destination.uarts.getFirst().saveState().scr());
            assertEquals(RunState.PAUSED, destination.runtime.state());
        }
    }
}
