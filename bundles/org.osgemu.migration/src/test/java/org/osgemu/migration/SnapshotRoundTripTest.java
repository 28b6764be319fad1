package org.osgemu.migration;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgemu.api.machine.RunState;
import org.osgemu.api.memory.RamBlock;
import org.osgemu.api.migration.MigrationException;
import org.osgemu.device.clint.ClintState;
import org.osgemu.device.uart16550.Uart16550State;
import org.osgemu.migration.service.PrecopyMigrationService;

/** A whole machine saved to a file and loaded into another: RAM, devices, harts and guest time come back. */
class SnapshotRoundTripTest {

    private static final long SAVED_TIME = TimeUnit.SECONDS.toNanos(7) + 123_456;
    private static final int PAGE = RamBlock.PAGE_SIZE;

    private final PrecopyMigrationService migration = new PrecopyMigrationService();

    @TempDir
    Path dir;

    @Test
    void theWholeMachineComesBackAndGuestTimeGoesOnFromTheSavedValue() throws Exception {
        Path file = dir.resolve("vm.snapshot");
        try (TestMachine source = TestMachine.named("src").harts(2).build();
             TestMachine destination = TestMachine.named("dst").harts(2).build()) {
            dressUp(source);
            TestMachine.fill(destination.ram, (byte) 0xEE); // pages that are zero in the source must be cleared
            TestMachine.fill(destination.rom, (byte) 0xEE);

            migration.save(source.control(), file);
            migration.load(destination.control(), file);

            assertEquals(RunState.POSTMIGRATE, source.runtime.state());
            assertEquals(RunState.PAUSED, destination.runtime.state());
            assertEquals(-1, source.ram.segment().mismatch(destination.ram.segment()), "RAM differs");
            assertEquals(-1, source.rom.segment().mismatch(destination.rom.segment()), "ROM differs");
            assertEquals(SAVED_TIME, destination.runtime.virtualClockNanos());
            for (int h = 0; h < 2; h++) {
                FakeHartState expected = source.harts.get(h).saveState();
                FakeHartState actual = destination.harts.get(h).saveState();
                assertEquals(expected.pc(), actual.pc());
                assertArrayEquals(expected.x(), actual.x());
                assertEquals(expected.waiting(), actual.waiting());
            }
            ClintState clint = destination.clint.saveState();
            assertArrayEquals(source.clint.saveState().msip(), clint.msip());
            assertArrayEquals(source.clint.saveState().mtimecmp(), clint.mtimecmp());
            Uart16550State uart = destination.uarts.getFirst().saveState();
            Uart16550State expected = source.uarts.getFirst().saveState();
            assertEquals(withoutFifo(expected), withoutFifo(uart));
            assertArrayEquals(expected.rxFifo(), uart.rxFifo());
            assertEquals(0x5A, uart.scr());
            assertEquals(0x0C, uart.divisor());
        }
    }

    @Test
    void aRestoredTimerFiresWhenRestoredGuestTimeReachesItAndNotBefore() throws Exception {
        Path file = dir.resolve("timer.snapshot");
        try (TestMachine source = TestMachine.named("src").build();
             TestMachine destination = TestMachine.named("dst").build()) {
            source.runtime.setVirtualClockNanos(SAVED_TIME);
            long nowTicks = ticks(SAVED_TIME);
            source.runtime.memory().write(TestMachine.CLINT_BASE + 0x4000, nowTicks + 20_000, 8); // 2 ms of guest time later
            source.harts.getFirst().loadState(new FakeHartState(0x8000_0000L, new long[4], true)); // waiting in WFI
            migration.save(source.control(), file);

            migration.load(destination.control(), file);
            FakeHart hart = destination.harts.getFirst();
            assertEquals(SAVED_TIME, destination.runtime.virtualClockNanos());
            assertFalse(hart.line(TestMachine.MTIP), "the timer interrupt is pending before its time");
            long continued = System.nanoTime();
            destination.runtime.cont();

            await("the restored mtimecmp raises MTIP", () -> hart.line(TestMachine.MTIP));
            assertTrue(System.nanoTime() - continued < TimeUnit.SECONDS.toNanos(2),
                    "a timer 2 ms ahead in guest time took seconds: guest time did not go on from the saved value");
            long now = destination.runtime.virtualClockNanos();
            assertTrue(now >= SAVED_TIME + 2_000_000 && now < SAVED_TIME + TimeUnit.SECONDS.toNanos(5),
                    "guest time went on from the saved value: " + now);
            await("the hart leaves WFI once the timer fired", () -> hart.retired.get() > 0);
        }
    }

    @Test
    void zeroPagesTravelAsMarkersWithoutTheirBytes() throws Exception {
        Path file = dir.resolve("sparse.snapshot");
        try (TestMachine source = TestMachine.named("src").ram(4 << 20).build()) {
            source.ram.segment().set(ValueLayout.JAVA_BYTE, 5L * PAGE + 17, (byte) 1);
            migration.save(source.control(), file);
        }
        long pages = (4 << 20) / PAGE + TestMachine.ROM_SIZE / PAGE;
        long size = Files.size(file);
        assertTrue(size >= PAGE && size < PAGE + pages * 8 + 2048,
                "a 4 MiB machine with one non-zero page took " + size + " bytes");
    }

    @Test
    void aMachineStillInPrelaunchIsBroughtUpByTheLoadAndLeftPaused() throws Exception {
        Path file = dir.resolve("vm.snapshot");
        try (TestMachine source = TestMachine.named("src").build();
             TestMachine destination = TestMachine.named("dst").prelaunch().build()) {
            dressUp(source);
            migration.save(source.control(), file);

            migration.load(destination.control(), file);

            assertEquals(RunState.PAUSED, destination.runtime.state());
            assertEquals(1, destination.harts.getFirst().resets, "brought up once, and not reset after the load");
            assertEquals(0x8000_1000L, destination.harts.getFirst().pc());
            destination.runtime.cont();
            await("the loaded machine runs", () -> destination.harts.getFirst().retired.get() > 0);
        }
    }

    @Test
    void aSavedMachineMayContinueAndBeSavedAgain() throws Exception {
        try (TestMachine source = TestMachine.named("src").build()) {
            migration.save(source.control(), dir.resolve("one"));
            assertEquals(RunState.POSTMIGRATE, source.runtime.state());
            migration.save(source.control(), dir.resolve("two"));
            source.runtime.cont();
            assertEquals(RunState.RUNNING, source.runtime.state());
        }
        assertArrayEquals(Files.readAllBytes(dir.resolve("one")), Files.readAllBytes(dir.resolve("two")));
    }

    @Test
    void aRunningMachineIsNotSavedAndKeepsRunning() {
        try (TestMachine source = TestMachine.named("src").build()) {
            source.runtime.cont();
            MigrationException e = assertThrows(MigrationException.class, () -> migration.save(source.control(), dir.resolve("x")));
            assertEquals("machine 'src' is running: stop it first, a snapshot is taken of a paused machine", e.getMessage());
            assertEquals(RunState.RUNNING, source.runtime.state());
            assertFalse(Files.exists(dir.resolve("x")));
        }
    }

    @Test
    void aFailedSaveKeepsTheOldFileAndPutsTheMachineBack() throws Exception {
        Path file = dir.resolve("vm.snapshot");
        Files.writeString(file, "an older snapshot");
        FakeDevice device = new FakeDevice("dev0", 1);
        try (TestMachine source = TestMachine.named("src").device(device).build()) {
            device.failToSave = true;

            MigrationException e = assertThrows(MigrationException.class, () -> migration.save(source.control(), file));

            assertEquals("section 'fake-device' (dev0): cannot save: java.lang.IllegalStateException: fake-device dev0 cannot save now",
                    e.getMessage());
            assertEquals(RunState.PAUSED, source.runtime.state());
        }
        assertEquals("an older snapshot", Files.readString(file));
        try (var listing = Files.list(dir)) {
            assertEquals(1, listing.count(), "a temporary file was left behind");
        }
    }

    /** Puts recognizable state everywhere: RAM and ROM pages, harts, CLINT, UART, guest time. */
    private static void dressUp(TestMachine m) {
        MemorySegment ram = m.ram.segment();
        for (int i = 0; i < PAGE; i++) {
            ram.set(ValueLayout.JAVA_BYTE, i, (byte) i);
        }
        ram.set(ValueLayout.JAVA_LONG, 9L * PAGE + 64, 0x1122_3344_5566_7788L);
        ram.set(ValueLayout.JAVA_BYTE, m.ram.size() - 1, (byte) 0x7F); // the very last byte
        m.rom.segment().set(ValueLayout.JAVA_INT, 0, 0x0000_0297); // auipc t0, 0
        for (int h = 0; h < m.harts.size(); h++) {
            m.harts.get(h).loadState(new FakeHartState(0x8000_1000L + h, new long[] {h, 2, 3, 4}, h == 1));
        }
        m.runtime.setVirtualClockNanos(SAVED_TIME);
        m.runtime.memory().write(TestMachine.CLINT_BASE, 1, 4); // MSIP of hart 0
        m.runtime.memory().write(TestMachine.CLINT_BASE + 0x4000, ticks(SAVED_TIME) + 1_000_000, 8);
        long uart = TestMachine.UART_BASE;
        m.runtime.memory().write(uart + 3, 0x83, 1); // LCR with DLAB
        m.runtime.memory().write(uart, 0x0C, 1);     // DLL
        m.runtime.memory().write(uart + 3, 0x03, 1); // LCR 8N1
        m.runtime.memory().write(uart + 7, 0x5A, 1); // SCR
        m.runtime.memory().write(uart + 1, 0x01, 1); // IER: receive interrupt
    }

    private static long ticks(long nanos) {
        return nanos / 1_000_000_000L * TestMachine.TIMEBASE_HZ + nanos % 1_000_000_000L * TestMachine.TIMEBASE_HZ / 1_000_000_000L;
    }

    /** The UART registers without the FIFO (a record compares arrays by identity). */
    private static List<Object> withoutFifo(Uart16550State s) {
        return List.of(s.divisor(), s.ier(), s.lcr(), s.mcr(), s.scr(), s.fcr(), s.lsrErrors(),
                s.thrInterruptPending(), s.timeoutPending());
    }

    static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting until " + what);
            }
            Thread.sleep(1);
        }
    }
}
