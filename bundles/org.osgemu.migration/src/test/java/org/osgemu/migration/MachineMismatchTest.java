package org.osgemu.migration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgemu.api.machine.RunState;
import org.osgemu.api.migration.MigrationException;
import org.osgemu.migration.service.PrecopyMigrationService;

/**
 * A stream from a machine built otherwise (RAM size, harts, board, devices, device versions) is
 * refused naming the difference; what was refused is not half applied to the devices.
 */
class MachineMismatchTest {

    private final PrecopyMigrationService migration = new PrecopyMigrationService();

    @TempDir
    Path dir;

    @Test
    void anotherRamSizeIsRefusedBeforeAnythingIsLoaded() throws Exception {
        String message = refusal(TestMachine.named("src").ram(2 << 20), TestMachine.named("dst").ram(1 << 20), RunState.PAUSED);
        assertEquals("configuration: stream is for RAM riscv.virt.ram of 2 MiB, this machine has 1 MiB", message);
    }

    @Test
    void anotherHartCountIsRefused() throws Exception {
        String message = refusal(TestMachine.named("src").harts(2), TestMachine.named("dst"), RunState.PAUSED);
        assertEquals("configuration: stream is for 2 hart(s), this machine has 1", message);
    }

    @Test
    void anotherBoardIsRefused() throws Exception {
        String message = refusal(TestMachine.named("src"), TestMachine.named("dst").machineType("sifive_u"), RunState.PAUSED);
        assertEquals("configuration: stream is for a 'virt' machine, this machine is 'sifive_u'", message);
    }

    @Test
    void aDeviceInTheStreamThatThisMachineLacksIsNamed() throws Exception {
        String message = refusal(TestMachine.named("src").uarts("uart0", "uart1"), TestMachine.named("dst"), RunState.INMIGRATE);
        assertEquals("section 'ns16550a' (uart1): no such device on this machine", message);
    }

    @Test
    void aDeviceOfThisMachineThatTheStreamLacksIsNamedAndNoDeviceStateIsApplied() throws Exception {
        Path file = dir.resolve("vm.snapshot");
        try (TestMachine source = TestMachine.named("src").build();
             TestMachine destination = TestMachine.named("dst").uarts("uart0", "uart1").build()) {
            source.runtime.memory().write(TestMachine.UART_BASE + 7, 0x5A, 1);
            migration.save(source.control(), file);
            destination.runtime.memory().write(TestMachine.UART_BASE + 7, 0x33, 1);

            MigrationException e = assertThrows(MigrationException.class, () -> migration.load(destination.control(), file));

            assertEquals("section 'ns16550a' (uart1) is missing from the stream, but this machine has it", e.getMessage());
            assertEquals(0x33, destination.uarts.getFirst().saveState().scr(), "uart0's state was applied from a refused stream");
            assertEquals(RunState.INMIGRATE, destination.runtime.state());
        }
    }

    @Test
    void aDeviceWithAnotherIdIsRefusedNamingBoth() throws Exception {
        String message = refusal(TestMachine.named("src").uarts("serial0"), TestMachine.named("dst"), RunState.INMIGRATE);
        assertEquals("section 'ns16550a' (serial0): instance 0 of 'ns16550a' on this machine is 'uart0', not 'serial0'", message);
    }

    @Test
    void aDeviceStateFromANewerBuildIsRefusedWithTheVersionsThisBuildLoads() throws Exception {
        String message = refusal(TestMachine.named("src").device(new FakeDevice("dev0", 3)),
                TestMachine.named("dst").device(new FakeDevice("dev0", 1)), RunState.INMIGRATE);
        assertEquals("section 'fake-device' (dev0) version 3: this build loads 1..1", message);
    }

    @Test
    void aDeviceStateFromAnOlderBuildThatIsStillLoadableIsTaken() throws Exception {
        Path file = dir.resolve("vm.snapshot");
        FakeDevice old = new FakeDevice("dev0", 1);
        FakeDevice current = new FakeDevice("dev0", 2);
        try (TestMachine source = TestMachine.named("src").device(old).build();
             TestMachine destination = TestMachine.named("dst").device(current).build()) {
            old.value = 77;
            migration.save(source.control(), file);
            migration.load(destination.control(), file);
            assertEquals(77, current.value);
        }
    }

    /** Saves {@code source}, loads into {@code destination}; returns the refusal, checking the state it left. */
    private String refusal(TestMachine.Builder source, TestMachine.Builder destination, RunState left) throws Exception {
        Path file = dir.resolve("vm.snapshot");
        try (TestMachine src = source.build(); TestMachine dst = destination.build()) {
            migration.save(src.control(), file);
            MigrationException e = assertThrows(MigrationException.class, () -> migration.load(dst.control(), file));
            assertEquals(left, dst.runtime.state());
            return e.getMessage();
        }
    }
}
