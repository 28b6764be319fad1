package org.osgemu.core.machine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.osgemu.api.clock.ClockType;
import org.osgemu.api.machine.RunState;
import org.osgemu.api.memory.MemoryRegion;
import org.osgemu.api.memory.RamBlock;

/** The machine runtime's side of a migration: run-state steps, setting guest time, the RAM block list. */
class MigrationStatesTest {

    private final CoreMachineRuntime machine = new CoreMachineRuntime("vm", "fake", 2_000, m -> { });
    private final RecordingListener listener = new RecordingListener();
    private final FakeCpu cpu = new FakeCpu(0, machine.cpuEnvironment(0, 0x1000, 10_000_000));

    MigrationStatesTest() {
        machine.addCpu(cpu);
        machine.addListener(listener);
    }

    @AfterEach
    void destroy() {
        machine.destroy();
    }

    @Test
    void aSourceGoesThroughFinishMigrateToPostmigrateAndMayContinueFromThere() {
        machine.start(true);
        machine.transitionForMigration(RunState.PAUSED, RunState.FINISH_MIGRATE);
        IllegalStateException busy = assertThrows(IllegalStateException.class, machine::cont);
        assertEquals("machine vm is being saved by a migration (state finish-migrate): wait for it to end", busy.getMessage());

        machine.transitionForMigration(RunState.FINISH_MIGRATE, RunState.POSTMIGRATE);
        assertEquals(RunState.POSTMIGRATE, machine.state());
        machine.cont();

        assertEquals(RunState.RUNNING, machine.state());
        await("the hart runs again", () -> cpu.retired.get() > 0);
        assertEquals(List.of("prelaunch->paused", "paused->finish-migrate", "finish-migrate->postmigrate",
                "postmigrate->running"), listener.events.stream().filter(e -> e.contains("->")).toList());
    }

    @Test
    void aLiveSwitchoverStopsTheVcpusAndTheClock() throws InterruptedException {
        machine.start(false);
        await("the hart runs", () -> cpu.retired.get() > 0);

        machine.transitionForMigration(RunState.RUNNING, RunState.FINISH_MIGRATE);

        long retired = cpu.retired.get();
        long time = machine.virtualClockNanos();
        Thread.sleep(50);
        assertEquals(retired, cpu.retired.get(), "the hart executed during finish-migrate");
        assertEquals(time, machine.virtualClockNanos(), "guest time passed during finish-migrate");
        machine.transitionForMigration(RunState.FINISH_MIGRATE, RunState.RUNNING);
        await("the hart runs again after a failed live migration", () -> cpu.retired.get() > retired);
    }

    @Test
    void theExpectedStateIsCheckedInTheSameStepAsTheChange() {
        machine.start(false);

        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> machine.transitionForMigration(RunState.PAUSED, RunState.FINISH_MIGRATE));

        assertEquals("machine vm is running, not paused as the migration expected", e.getMessage());
        assertEquals(RunState.RUNNING, machine.state());
    }

    @Test
    void stepsOutsideTheMigrationRowsAreRefusedNamingBothStates() {
        machine.start(true);

        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> machine.transitionForMigration(RunState.PAUSED, RunState.POSTMIGRATE));

        assertEquals("machine vm: a migration cannot take it from paused to postmigrate", e.getMessage());
    }

    @Test
    void anIncomingMachineFromPrelaunchIsResetAndHeldUntilLoadedThenPausedUntilContinued() throws InterruptedException {
        machine.transitionForMigration(RunState.PRELAUNCH, RunState.INMIGRATE);

        assertEquals(1, cpu.resets.get(), "bringing a machine up for an incoming migration resets it once");
        IllegalStateException e = assertThrows(IllegalStateException.class, machine::cont);
        assertEquals("machine vm waits for an incoming migration (state inmigrate): load one first", e.getMessage());
        Thread.sleep(30);
        assertEquals(0, cpu.retired.get(), "the hart ran before the state was loaded");

        machine.transitionForMigration(RunState.INMIGRATE, RunState.PAUSED);
        machine.cont();
        await("the hart runs after the load", () -> cpu.retired.get() > 0);
    }

    @Test
    void guestTimeCanBeSetWhilePausedAndContinuesFromThere() throws InterruptedException {
        machine.start(true);
        long saved = TimeUnit.SECONDS.toNanos(42);

        machine.setVirtualClockNanos(saved);
        assertEquals(saved, machine.virtualClockNanos());
        assertEquals(saved, machine.clock(ClockType.VIRTUAL).nanos());
        machine.cont();
        Thread.sleep(20);

        long now = machine.virtualClockNanos();
        assertTrue(now > saved && now < saved + TimeUnit.SECONDS.toNanos(5), "time went on from 42 s: " + now);
    }

    @Test
    void guestTimeCannotBeSetWhileRunningOrNegative() {
        machine.start(false);
        IllegalStateException running = assertThrows(IllegalStateException.class, () -> machine.setVirtualClockNanos(5));
        assertEquals("machine vm is running: stop it before setting its virtual clock", running.getMessage());

        machine.stop();
        IllegalArgumentException negative = assertThrows(IllegalArgumentException.class, () -> machine.setVirtualClockNanos(-1));
        assertEquals("virtual clock: time must not be negative, not -1 ns", negative.getMessage());
    }

    @Test
    void ramBlocksListsEveryAllocatedBlockInOrderMappedOrNot() {
        RamBlock ram = machine.allocateRam("board.ram", 0x10000);
        RamBlock rom = machine.allocateRam("board.rom", 0x1000);
        machine.systemMemory().addSubregion(0x8000_0000L, MemoryRegion.ram("board.ram", ram));

        assertEquals(List.of(ram, rom), machine.ramBlocks());
    }

    private static void await(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting until " + what);
            }
            try {
                Thread.sleep(1);
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
        }
    }
}
