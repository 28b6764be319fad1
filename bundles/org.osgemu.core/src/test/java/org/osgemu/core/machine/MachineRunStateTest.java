package org.osgemu.core.machine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.osgemu.api.clock.ClockType;
import org.osgemu.api.device.Device;
import org.osgemu.api.machine.RunState;
import org.osgemu.api.machine.ShutdownCause;

class MachineRunStateTest {

    private static final Duration DEADLOCK_LIMIT = Duration.ofSeconds(10);

    private final CoreMachineRuntime machine = new CoreMachineRuntime("test", "fake", 2_000, m -> { });
    private final RecordingListener listener = new RecordingListener();

    MachineRunStateTest() {
        machine.addListener(listener);
    }

    @AfterEach
    void destroy() {
        machine.destroy();
    }

    private FakeCpu addCpu(int hart) {
        FakeCpu cpu = new FakeCpu(hart, machine.cpuEnvironment(hart, 0x1000, 10_000_000));
        machine.addCpu(cpu);
        return cpu;
    }

    private static void await(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting until " + what);
            }
            Thread.onSpinWait();
            try {
                Thread.sleep(1);
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
        }
    }

    private static void awaitProgress(FakeCpu cpu) {
        long before = cpu.retired.get();
        await("hart " + cpu.index() + " executes", () -> cpu.retired.get() > before);
    }

    private static void assertNoProgress(FakeCpu cpu) throws InterruptedException {
        long before = cpu.retired.get();
        Thread.sleep(60);
        assertEquals(before, cpu.retired.get(), "hart " + cpu.index() + " executed while it should not");
    }

    @Test
    void startResetsEverythingAndRunsEachCpuOnItsOwnThread() {
        FakeCpu cpu0 = addCpu(0);
        FakeCpu cpu1 = addCpu(1);

        machine.start(false);

        awaitProgress(cpu0);
        awaitProgress(cpu1);
        assertEquals(RunState.RUNNING, machine.state());
        assertEquals("vcpu-0", cpu0.executingThread.getName());
        assertEquals("vcpu-1", cpu1.executingThread.getName());
        assertEquals(cpu1.executingThread.threadId(), machine.vcpuThreadId(1));
        assertEquals(1, cpu0.resets.get());
        assertEquals(List.of("prelaunch->running"), listener.events);
        assertEquals(List.of(cpu0, cpu1), machine.cpus());
    }

    @Test
    void startPausedKeepsTheVcpusStillUntilCont() throws InterruptedException {
        FakeCpu cpu = addCpu(0);
        machine.start(true);

        assertEquals(RunState.PAUSED, machine.state());
        assertNoProgress(cpu);

        machine.cont();
        awaitProgress(cpu);
        assertEquals(List.of("prelaunch->paused", "paused->running"), listener.events);
    }

    @Test
    void stopReturnsWithEveryVcpuOutsideExecuteAndVirtualTimeFrozen() throws InterruptedException {
        FakeCpu cpu0 = addCpu(0);
        FakeCpu cpu1 = addCpu(1);
        machine.start(false);
        awaitProgress(cpu0);

        machine.stop();

        assertEquals(0, cpu0.inside.get());
        assertEquals(0, cpu1.inside.get());
        assertEquals(RunState.PAUSED, machine.state());
        long frozen = machine.clock(ClockType.VIRTUAL).nanos();
        assertNoProgress(cpu0);
        assertNoProgress(cpu1);
        assertEquals(frozen, machine.clock(ClockType.VIRTUAL).nanos());

        machine.cont();
        awaitProgress(cpu1);
        await("virtual time runs again", () -> machine.clock(ClockType.VIRTUAL).nanos() > frozen);
        assertEquals(List.of("prelaunch->running", "running->paused", "paused->running"), listener.events);
    }

    @Test
    void virtualTimersDoNotFireWhileStoppedAndFireAfterCont() throws InterruptedException {
        addCpu(0);
        machine.start(false);
        List<String> fired = new CopyOnWriteArrayList<>();
        var virtual = machine.clock(ClockType.VIRTUAL);
        var timer = virtual.newTimer("guest", () -> fired.add("fired"));
        timer.modNanos(virtual.nanos() + 30_000_000L);

        machine.stop();
        Thread.sleep(120);
        assertEquals(List.of(), fired);

        machine.cont();
        await("the timer fires after cont", () -> fired.size() == 1);
    }

    @Test
    void systemResetResetsDevicesInOrderThenHandlersThenCpusAndKeepsRunning() {
        List<String> order = new CopyOnWriteArrayList<>();
        machine.addDevice(new FakeDevice("uart0", order));
        machine.addDevice(new FakeDevice("rtc0", order));
        machine.addResetHandler(() -> order.add("firmware reload"));
        FakeCpu cpu = addCpu(0);
        cpu.onReset = () -> order.add("hart 0");
        machine.start(false);
        awaitProgress(cpu);
        order.clear();

        machine.systemReset(ShutdownCause.HOST_QMP_SYSTEM_RESET);

        assertEquals(List.of("uart0", "rtc0", "firmware reload", "hart 0"), order);
        assertEquals(RunState.RUNNING, machine.state());
        assertEquals(List.of("prelaunch->running", "reset host-qmp-system-reset"), listener.events);
        awaitProgress(cpu);
    }

    @Test
    void resetRequestedFromInsideTheVcpuDoesNotDeadlock() {
        FakeCpu cpu0 = addCpu(0);
        FakeCpu cpu1 = addCpu(1);
        machine.start(false);
        awaitProgress(cpu1);

        assertTimeoutPreemptively(DEADLOCK_LIMIT, () -> {
            cpu0.insideNextExecute = () -> machine.systemReset(ShutdownCause.GUEST_RESET);
            await("the guest's reset is done", () -> listener.events.contains("reset guest-reset"));
        });

        assertEquals(2, cpu0.resets.get());
        assertEquals(2, cpu1.resets.get());
        assertEquals(0, cpu0.resetsWhileExecuting.get() + cpu1.resetsWhileExecuting.get());
        assertEquals(RunState.RUNNING, machine.state());
        awaitProgress(cpu0);
    }

    @Test
    void resetFromInsideTheVcpuWhileAnotherThreadStopsTheMachineDoesNotDeadlock() {
        FakeCpu cpu = addCpu(0);
        machine.start(false);
        awaitProgress(cpu);
        CountDownLatch deviceWriteStarted = new CountDownLatch(1);
        cpu.insideNextExecute = () -> {
            deviceWriteStarted.countDown();
            sleep(50); // the monitor's stop() comes in while the guest is in the device
            machine.systemReset(ShutdownCause.GUEST_RESET);
        };

        assertTimeoutPreemptively(DEADLOCK_LIMIT, () -> {
            deviceWriteStarted.await();
            machine.stop();
            await("the guest's reset is done", () -> listener.events.contains("reset guest-reset"));
        });

        assertEquals(RunState.PAUSED, machine.state());
        assertEquals(2, cpu.resets.get());
        assertEquals(0, cpu.resetsWhileExecuting.get());
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    void shutdownRequestedFromInsideTheVcpuEndsTheMachineWithItsExitCode() {
        FakeCpu cpu = addCpu(0);
        machine.start(false);
        awaitProgress(cpu);

        int exitCode = assertTimeoutPreemptively(DEADLOCK_LIMIT, () -> {
            cpu.insideNextExecute = () -> machine.shutdown(ShutdownCause.GUEST_SHUTDOWN, 3);
            return machine.awaitShutdown();
        });

        assertEquals(3, exitCode);
        assertEquals(RunState.SHUTDOWN, machine.state());
        assertEquals(0, cpu.inside.get());
        assertEquals(List.of("prelaunch->running", "running->shutdown", "shutdown guest-shutdown 3"), listener.events);
    }

    @Test
    void stopRequestedFromInsideTheVcpuPausesTheMachine() throws InterruptedException {
        FakeCpu cpu = addCpu(0);
        machine.start(false);
        awaitProgress(cpu);

        assertTimeoutPreemptively(DEADLOCK_LIMIT, () -> {
            cpu.insideNextExecute = machine::stop;
            await("the machine is paused", () -> machine.state() == RunState.PAUSED);
        });
        await("the vCPU left execute", () -> cpu.inside.get() == 0);
        assertNoProgress(cpu);
    }

    @Test
    void awaitShutdownBlocksUntilAnotherThreadShutsTheMachineDown() throws Exception {
        addCpu(0);
        machine.start(false);
        CompletableFuture<Integer> waiter = CompletableFuture.supplyAsync(() -> {
            try {
                return machine.awaitShutdown();
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        Thread.sleep(50);
        assertFalse(waiter.isDone());

        machine.shutdown(ShutdownCause.HOST_QMP_QUIT, 7);
        machine.shutdown(ShutdownCause.HOST_SIGNAL, 9);

        assertEquals(7, waiter.get(10, TimeUnit.SECONDS));
        assertEquals(7, machine.awaitShutdown(), "the first shutdown decides");
        assertThrows(IllegalStateException.class, machine::cont);
    }

    @Test
    void cpuWaitingForAnInterruptSleepsUntilWoken() throws InterruptedException {
        FakeCpu cpu = addCpu(0);
        machine.start(false);
        awaitProgress(cpu);

        cpu.enterWfi();
        await("the vCPU sleeps", () -> cpu.inside.get() == 0);
        assertNoProgress(cpu);
        long entriesWhileAsleep = cpu.retired.get();

        cpu.interrupt();
        awaitProgress(cpu);
        assertTrue(cpu.retired.get() > entriesWhileAsleep);
    }

    @Test
    void resetWakesACpuSleepingInWfi() {
        FakeCpu cpu = addCpu(0);
        machine.start(false);
        cpu.enterWfi();
        await("the vCPU sleeps", () -> cpu.inside.get() == 0);

        machine.systemReset(ShutdownCause.HOST_QMP_SYSTEM_RESET);

        awaitProgress(cpu);
    }

    @Test
    void failingCpuPutsTheMachineInInternalErrorUntilReset() {
        FakeCpu cpu = addCpu(0);
        machine.start(false);
        awaitProgress(cpu);

        cpu.failNextExecute = new IllegalStateException("translator bug");
        await("internal error", () -> machine.state() == RunState.INTERNAL_ERROR);
        assertThrows(IllegalStateException.class, machine::cont);

        machine.systemReset(ShutdownCause.HOST_QMP_SYSTEM_RESET);
        assertEquals(RunState.PAUSED, machine.state());
        machine.cont();
        awaitProgress(cpu);
    }

    @Test
    void misuseIsRefusedWithAMessage() {
        addCpu(0);
        IllegalStateException notStarted = assertThrows(IllegalStateException.class, machine::cont);
        assertTrue(notStarted.getMessage().contains("test"), notStarted.getMessage());
        IllegalArgumentException twice = assertThrows(IllegalArgumentException.class, () -> addCpu(0));
        assertTrue(twice.getMessage().contains("hart 0"), twice.getMessage());
        assertThrows(IllegalArgumentException.class, () -> machine.cpuEnvironment(1, 0, 0));

        machine.start(true);
        assertThrows(IllegalStateException.class, () -> machine.start(false));
    }

    @Test
    void destroyEndsEveryThreadAndFreesTheRam() throws InterruptedException {
        FakeCpu cpu = addCpu(0);
        var ram = machine.allocateRam("ram", 0x1000);
        machine.start(false);
        awaitProgress(cpu);
        Thread vcpuThread = cpu.executingThread;

        machine.destroy();

        assertFalse(vcpuThread.isAlive());
        assertEquals(0, machine.awaitShutdown());
        assertThrows(IllegalStateException.class, () -> ram.segment().get(java.lang.foreign.ValueLayout.JAVA_BYTE, 0));
        assertFalse(Thread.getAllStackTraces().keySet().stream()
                .anyMatch(t -> t.getName().equals("test-timers") || t.getName().equals("test-control")));
    }

    /** A device that records its resets into a shared list. */
    private record FakeDevice(String id, List<String> order) implements Device {
        @Override
        public String type() {
            return "fake";
        }

        @Override
        public void reset() {
            order.add(id);
        }
    }
}
