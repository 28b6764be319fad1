package org.osgemu.core.machine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.osgemu.api.device.Device;
import org.osgemu.api.device.Quiescable;
import org.osgemu.api.machine.RunState;
import org.osgemu.api.machine.ShutdownCause;

/**
 * Devices are quiesced after the vCPUs stopped on every way out of running and resumed before
 * they run again, in a fixed order, and a machine that has not run yet keeps them quiesced.
 */
class DeviceQuiesceTest {

    private final CoreMachineRuntime machine = new CoreMachineRuntime("vm", "fake", 2_000, m -> { });
    private final FakeCpu cpu = new FakeCpu(0, machine.cpuEnvironment(0, 0x1000, 10_000_000));
    private final List<String> calls = new CopyOnWriteArrayList<>();

    DeviceQuiesceTest() {
        machine.addCpu(cpu);
    }

    @AfterEach
    void destroy() {
        machine.destroy();
    }

    /** Records each call with what the machine looked like at that moment. */
    private final class RecordingDevice implements Device, Quiescable {
        private final String id;
        volatile RuntimeException failure;

        RecordingDevice(String id) {
            this.id = id;
        }

        @Override public String id() { return id; }
        @Override public String type() { return "recording"; }
        @Override public void reset() { }

        @Override
        public void quiesce() {
            calls.add("quiesce " + id + (cpu.inside.get() > 0 ? " while a vCPU executes" : ""));
            throwIfAsked();
        }

        @Override
        public void resume() {
            calls.add("resume " + id + " in " + machine.state().qapiName()
                    + (cpu.inside.get() > 0 ? " while a vCPU executes" : ""));
            throwIfAsked();
        }

        private void throwIfAsked() {
            RuntimeException e = failure;
            if (e != null) {
                throw e;
            }
        }
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

    private void awaitRunning() {
        long before = cpu.retired.get();
        await("the hart executes", () -> cpu.retired.get() > before);
    }

    @Test
    void aNewMachineQuiescesItsDevicesAndResumesThemInOrderBeforeTheFirstRun() {
        machine.addDevice(new RecordingDevice("a"));
        machine.addDevice(new RecordingDevice("b"));
        assertEquals(List.of("quiesce a", "quiesce b"), calls, "devices of a machine that never ran must not DMA");

        machine.start(false);
        awaitRunning();

        assertEquals(List.of("quiesce a", "quiesce b", "resume a in prelaunch", "resume b in prelaunch"), calls);
    }

    @Test
    void stopQuiescesInReverseOrderAfterTheVcpusLeftAndContResumesBeforeTheyRun() {
        machine.addDevice(new RecordingDevice("a"));
        machine.addDevice(new RecordingDevice("b"));
        machine.start(false);
        awaitRunning();
        calls.clear();

        machine.stop();
        assertEquals(List.of("quiesce b", "quiesce a"), calls);
        machine.stop(); // already paused: no second quiesce
        machine.cont();
        awaitRunning();

        assertEquals(List.of("quiesce b", "quiesce a", "resume a in paused", "resume b in paused"), calls);
    }

    @Test
    void startPausedAndAnIncomingMigrationKeepDevicesQuiescedUntilCont() {
        machine.addDevice(new RecordingDevice("a"));
        machine.transitionForMigration(RunState.PRELAUNCH, RunState.INMIGRATE); // -incoming
        machine.transitionForMigration(RunState.INMIGRATE, RunState.PAUSED); // the state is loaded
        assertEquals(List.of("quiesce a"), calls);

        machine.cont();

        assertEquals(List.of("quiesce a", "resume a in paused"), calls);
    }

    @Test
    void aLiveMigrationQuiescesAtTheSwitchoverAndResumesWhenItFails() {
        machine.addDevice(new RecordingDevice("a"));
        machine.start(false);
        awaitRunning();
        calls.clear();

        machine.transitionForMigration(RunState.RUNNING, RunState.FINISH_MIGRATE);
        assertEquals(List.of("quiesce a"), calls);
        machine.transitionForMigration(RunState.FINISH_MIGRATE, RunState.RUNNING);

        assertEquals(List.of("quiesce a", "resume a in finish-migrate"), calls);
    }

    @Test
    void aSnapshotOfAPausedMachineAddsNoCallsAndPostmigrateMayContinue() {
        machine.addDevice(new RecordingDevice("a"));
        machine.start(false);
        awaitRunning();
        machine.stop();
        calls.clear();

        machine.transitionForMigration(RunState.PAUSED, RunState.FINISH_MIGRATE);
        machine.transitionForMigration(RunState.FINISH_MIGRATE, RunState.POSTMIGRATE);
        assertEquals(List.of(), calls, "the stop quiesced them already");
        machine.cont();

        assertEquals(List.of("resume a in postmigrate"), calls);
    }

    @Test
    void shutdownAndAVcpuFailureQuiesce() {
        machine.addDevice(new RecordingDevice("a"));
        machine.start(false);
        awaitRunning();
        calls.clear();
        cpu.failNextExecute = new IllegalStateException("simulated translator bug");
        await("the machine stops on the failure", () -> machine.state() == RunState.INTERNAL_ERROR);
        assertEquals(List.of("quiesce a"), calls);

        machine.systemReset(ShutdownCause.HOST_QMP_SYSTEM_RESET);
        machine.cont();
        awaitRunning();
        machine.shutdown(ShutdownCause.GUEST_SHUTDOWN, 0);

        assertEquals(List.of("quiesce a", "resume a in paused", "quiesce a"), calls);
    }

    @Test
    void aDeviceHotPluggedIntoAPausedMachineIsQuiescedAndOneIntoARunningMachineIsNot() {
        machine.start(false);
        awaitRunning();
        machine.addDevice(new RecordingDevice("running"));
        machine.stop();
        machine.addDevice(new RecordingDevice("paused"));

        assertEquals(List.of("quiesce running", "quiesce paused"), calls);
    }

    @Test
    void aDeviceThatThrowsDoesNotKeepTheOthersFromTheirCalls() {
        RecordingDevice broken = new RecordingDevice("broken");
        machine.addDevice(new RecordingDevice("a"));
        machine.addDevice(broken);
        machine.addDevice(new RecordingDevice("c"));
        broken.failure = new IllegalStateException("simulated device bug");
        calls.clear();

        machine.start(false);
        awaitRunning();
        machine.stop();

        assertEquals(List.of("resume a in prelaunch", "resume broken in prelaunch", "resume c in prelaunch",
                "quiesce c", "quiesce broken", "quiesce a"), calls);
        assertEquals(RunState.PAUSED, machine.state());
        assertTrue(calls.stream().noneMatch(c -> c.contains("while a vCPU executes")), calls.toString());
    }
}
