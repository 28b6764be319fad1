package org.osgemu.core.machine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.osgemu.api.machine.MachineActions;
import org.osgemu.api.machine.RunState;
import org.osgemu.api.machine.ShutdownCause;

/** {@code -no-reboot} and {@code -no-shutdown}: what a guest's reset and power-off requests do. */
class MachineActionsTest {

    private final CoreMachineRuntime machine = new CoreMachineRuntime("test", "fake", 2_000, m -> { });
    private final RecordingListener listener = new RecordingListener();
    private final FakeCpu cpu = new FakeCpu(0, machine.cpuEnvironment(0, 0x1000, 10_000_000));

    MachineActionsTest() {
        machine.addListener(listener);
        machine.addCpu(cpu);
    }

    @AfterEach
    void destroy() {
        machine.destroy();
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting until " + what);
            }
            Thread.sleep(1);
        }
    }

    /** Runs {@code request} on the vCPU thread, as a device write of the guest would. */
    private void fromGuest(Runnable request) throws InterruptedException {
        await("the vCPU runs", () -> cpu.retired.get() > 0);
        cpu.insideNextExecute = request;
    }

    private CompletableFuture<Integer> exitStatus() {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return machine.awaitShutdown();
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
    }

    @Test
    void noRebootTurnsAGuestResetIntoAShutdownWithCauseGuestReset() throws Exception {
        machine.setActions(new MachineActions(true, false));
        machine.start(false);

        fromGuest(() -> machine.systemReset(ShutdownCause.GUEST_RESET));

        assertEquals(0, exitStatus().get(10, TimeUnit.SECONDS));
        assertEquals(RunState.SHUTDOWN, machine.state());
        assertTrue(listener.events.contains("shutdown guest-reset 0"), listener.events.toString());
        assertFalse(listener.events.contains("reset guest-reset"), listener.events.toString());
        assertEquals(1, cpu.resets.get(), "only the start may reset the hart");
    }

    @Test
    void noRebootStillResetsForASubsystemReset() throws Exception {
        machine.setActions(new MachineActions(true, false));
        machine.start(false);

        machine.systemReset(ShutdownCause.SUBSYSTEM_RESET);

        assertEquals(RunState.RUNNING, machine.state());
        assertEquals(2, cpu.resets.get());
    }

    @Test
    void withoutNoRebootAGuestResetResetsAndRunsOn() throws Exception {
        machine.start(false);

        fromGuest(() -> machine.systemReset(ShutdownCause.GUEST_RESET));

        await("the reset", () -> listener.events.contains("reset guest-reset"));
        assertEquals(RunState.RUNNING, machine.state());
        assertFalse(exitStatus().isDone());
    }

    @Test
    void noShutdownKeepsTheMachineInStateShutdownUntilQuitWhichExitsWithTheGuestsCode() throws Exception {
        machine.setActions(new MachineActions(false, true));
        machine.start(false);
        CompletableFuture<Integer> status = exitStatus();

        fromGuest(() -> machine.shutdown(ShutdownCause.GUEST_SHUTDOWN, 42));
        await("the guest's shutdown", () -> machine.state() == RunState.SHUTDOWN);
        long retired = cpu.retired.get();
        Thread.sleep(100);

        assertFalse(status.isDone(), "the machine ended although -no-shutdown keeps it");
        assertEquals(retired, cpu.retired.get(), "the hart ran on after the guest's shutdown");
        assertTrue(listener.events.contains("shutdown guest-shutdown 42"), listener.events.toString());

        machine.shutdown(ShutdownCause.HOST_QMP_QUIT, 0);

        assertEquals(42, status.get(10, TimeUnit.SECONDS), "quit ends with the finisher's code, as QEMU");
        assertTrue(listener.events.contains("shutdown host-qmp-quit 0"), listener.events.toString());
    }

    @Test
    void noShutdownMachineCanBeResetAndContinued() throws Exception {
        machine.setActions(new MachineActions(false, true));
        machine.start(false);
        machine.shutdown(ShutdownCause.GUEST_SHUTDOWN, 0);
        assertEquals(RunState.SHUTDOWN, machine.state());

        machine.systemReset(ShutdownCause.HOST_QMP_SYSTEM_RESET);
        assertEquals(RunState.PAUSED, machine.state());
        machine.cont();

        long before = cpu.retired.get();
        await("the hart runs again", () -> cpu.retired.get() > before);
        assertEquals(RunState.RUNNING, machine.state());
    }

    @Test
    void noRebootAndNoShutdownTogetherKeepAResetGuestInStateShutdown() throws Exception {
        machine.setActions(new MachineActions(true, true));
        machine.start(false);

        machine.systemReset(ShutdownCause.GUEST_RESET);

        assertEquals(RunState.SHUTDOWN, machine.state());
        assertFalse(exitStatus().isDone());
        assertTrue(listener.events.contains("shutdown guest-reset 0"), listener.events.toString());
    }
}
