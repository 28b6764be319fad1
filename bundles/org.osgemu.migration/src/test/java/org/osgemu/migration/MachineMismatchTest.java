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
 * A stream from a machine built otherwise (RAM size, harts, board, devices and where they sit,
 * device versions) is refused naming the difference; what was refused is not half applied to the
 * devices. Differences in the configuration section are refused before anything is loaded.
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
        String message = refusal(TestMachine.named("src").uarts("uart0", "uart1"), TestMachine.named("dst"), RunState.PAUSED);
        assertEquals("configuration: stream has device ns16550a 'uart1' at 0x10000100 irq 11, this machine has no such device",
                message);
    }

    @Test
    void aDeviceOfThisMachineThatTheStreamLacksIsNamedAndNothingIsApplied() throws Exception {
        Path file = dir.resolve("vm.snapshot");
        try (TestMachine source = TestMachine.named("src").build();
             TestMachine destination = TestMachine.named("dst").uarts("uart0", "uart1").build()) {
            source.runtime.memory().write(TestMachine.UART_BASE + 7, 0x5A, 1);
            TestMachine.fill(source.ram, (byte) 0x11);
            migration.save(source.control(), file);
            destination.runtime.memory().write(TestMachine.UART_BASE + 7, 0x33, 1);

            MigrationException e = assertThrows(MigrationException.class, () -> migration.load(destination.control(), file));

            assertEquals("configuration: this machine has device ns16550a 'uart1' at 0x10000100 irq 11, the stream has none",
                    e.getMessage());
            assertEquals(0x33, destination.uarts.getFirst().saveState().scr(), "uart0's state was applied from a refused stream");
            assertEquals(0, destination.ram.segment().get(java.lang.foreign.ValueLayout.JAVA_BYTE, 0), "RAM was loaded");
            assertEquals(RunState.PAUSED, destination.runtime.state());
        }
    }

    @Test
    void aDeviceWithAnotherIdIsRefusedNamingIt() throws Exception {
        String message = refusal(TestMachine.named("src").uarts("serial0"), TestMachine.named("dst"), RunState.PAUSED);
        assertEquals("configuration: stream has device ns16550a 'serial0' at 0x10000000 irq 10, this machine has no such device",
                message);
    }

    @Test
    void devicesInSwappedSlotsAreRefusedNamingBothPlacements() throws Exception {
        // the -device options in another order: each UART takes the other's slot
        String message = refusal(TestMachine.named("src").uarts("uart0", "uart1"),
                TestMachine.named("dst").uarts("uart1", "uart0"), RunState.PAUSED);
        assertEquals("configuration: device ns16550a 'uart0': at 0x10000000 irq 10 in the stream, at 0x10000100 irq 11 here",
                message);
    }

    @Test
    void aMachineThatDoesNotSayItsPlacementsIsCheckedByItsMemoryMap() throws Exception {
        String message = refusal(TestMachine.named("src").uarts("uart0", "uart1").withoutPlacements(),
                TestMachine.named("dst").uarts("uart1", "uart0").withoutPlacements(), RunState.PAUSED);
        assertEquals("configuration: device ns16550a 'uart0': at 0x10000000 in the stream, at 0x10000100 here", message);
    }

    @Test
    void aMachineThatDoesNotSayItsPlacementsTakesAStreamFromOneThatDoes() throws Exception {
        Path file = dir.resolve("vm.snapshot");
        try (TestMachine source = TestMachine.named("src").uarts("uart0", "uart1").build();
             TestMachine destination = TestMachine.named("dst").uarts("uart0", "uart1").withoutPlacements().build()) {
            source.runtime.memory().write(TestMachine.UART_BASE + 0x100 + 7, 0x5A, 1);
            migration.save(source.control(), file);
            migration.load(destination.control(), file);
            assertEquals(0x5A, destination.uarts.get(1).saveState().scr());
        }
    }

    @Test
    void aDeviceOfAnotherTypeWithTheSameIdIsRefused() throws Exception {
        String message = refusal(TestMachine.named("src").uarts().device(new FakeDevice("uart0", 1)),
                TestMachine.named("dst"), RunState.PAUSED);
        assertEquals("configuration: device 'uart0' is a fake-device in the stream, a ns16550a here", message);
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
