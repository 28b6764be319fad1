package org.osgemu.core.machine;

import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.Supplier;

import org.osgemu.api.clock.Clock;
import org.osgemu.api.clock.ClockType;
import org.osgemu.api.cpu.Cpu;
import org.osgemu.api.cpu.CpuEnvironment;
import org.osgemu.api.device.Device;
import org.osgemu.api.device.DevicePlacement;
import org.osgemu.api.device.GuestErrorLog;
import org.osgemu.api.machine.MachineActions;
import org.osgemu.api.machine.MachineListener;
import org.osgemu.api.machine.MachineRuntime;
import org.osgemu.api.machine.PowerButton;
import org.osgemu.api.machine.RunState;
import org.osgemu.api.machine.ShutdownCause;
import org.osgemu.api.memory.AddressSpace;
import org.osgemu.api.memory.MemoryRegion;
import org.osgemu.api.memory.RamBlock;
import org.osgemu.core.clock.MachineClocks;
import org.osgemu.core.memory.DispatchingAddressSpace;
import org.osgemu.core.memory.MemoryTreePrinter;
import org.osgemu.core.memory.RamAllocator;

/**
 * One machine: the system memory tree ({@code system}) and its address space ({@code memory}),
 * the clocks and their timer thread, one vCPU thread per CPU, the run states and reset.
 *
 * <p>Control operations ({@code start}, {@code stop}, {@code cont}, {@code system_reset},
 * {@code shutdown}, {@code destroy}, and a migration's run-state steps and clock setting, which
 * only outside threads may ask for) are serialized by one lock and, called from an outside
 * thread (QMP, shell, launcher), return when done. Called from a thread of the machine itself
 * (a vCPU in the middle of a device write, a timer callback) they cannot wait for the vCPUs,
 * one of which is the caller: there they hold the vCPUs out of {@code execute} at once and hand
 * the operation to the machine's control thread, then return.
 *
 * <p>Devices that are {@link org.osgemu.api.device.Quiescable} are quiesced after the vCPUs
 * stopped on every way out of RUNNING (stop, a migration's stop, shutdown, a vCPU failure) and
 * resumed before the vCPUs run again; a machine that has not run yet keeps them quiesced.
 *
 * <p>Listeners are told on the thread that performs the operation, under the control lock: they
 * must not wait for another thread's control operation. Likewise an outside thread must not hold
 * a lock that a vCPU may need (a device's) while it calls an operation that waits for the vCPUs.
 */
public final class CoreMachineRuntime implements MachineRuntime {

    /** Instructions per {@code execute} call: small enough that a pause never waits long. */
    public static final long DEFAULT_BUDGET = 100_000;

    private static final System.Logger LOG = System.getLogger(CoreMachineRuntime.class.getName());
    private static final System.Logger GUEST_LOG = System.getLogger("org.osgemu.guest");
    private static final int GUEST_ERRORS_PER_WINDOW = 10;
    private static final long GUEST_ERROR_WINDOW_NANOS = TimeUnit.SECONDS.toNanos(1);
    /** Shutdowns that end the machine even under {@code -no-shutdown}: QEMU's quit and signal paths reset its action. */
    private static final Set<ShutdownCause> ALWAYS_ENDING = Set.of(ShutdownCause.NONE, ShutdownCause.HOST_ERROR,
            ShutdownCause.HOST_QMP_QUIT, ShutdownCause.HOST_SIGNAL);

    private final String name;
    private final String machineType;
    private final long budget;
    private final Consumer<CoreMachineRuntime> onDestroyed;
    private final MemoryRegion systemMemory = MemoryRegion.container("system", -1L);
    private final DispatchingAddressSpace memory = new DispatchingAddressSpace("memory", systemMemory);
    private final RamAllocator ram;
    private final MachineClocks clocks;
    private final VcpuGate gate = new VcpuGate();
    private final VcpuThrottle throttle = new VcpuThrottle();
    private final ReentrantLock controlLock = new ReentrantLock();
    private final ExecutorService controlThread;
    private volatile Thread controlWorker;
    /** Guards {@link #cpus}, {@link #runners} and {@link #started} together. */
    private final Object cpuLock = new Object();
    private final List<Cpu> cpus = new CopyOnWriteArrayList<>();
    private final Map<Integer, VcpuRunner> runners = new ConcurrentHashMap<>();
    private final MachineDevices devices;
    private final List<RamBlock> ramBlocks = new CopyOnWriteArrayList<>();
    private final List<Runnable> resetHandlers = new CopyOnWriteArrayList<>();
    private final List<MachineListener> listeners = new CopyOnWriteArrayList<>();
    private final Map<String, GuestErrorLog> guestErrorLogs = new ConcurrentHashMap<>();
    private final CountDownLatch shutDown = new CountDownLatch(1);
    private final Supplier<List<PowerButton>> powerButtons;
    private volatile Supplier<byte[]> deviceTreeSource = () -> new byte[0];
    private boolean started;
    private volatile RunState state = RunState.PRELAUNCH;
    private volatile int exitCode;
    private volatile MachineActions actions = MachineActions.DEFAULT;
    /** Whether {@link #awaitShutdown()} has been released: the machine has ended, not only paused in SHUTDOWN. */
    private boolean ended;
    private volatile boolean destroyed;

    /**
     * A machine in PRELAUNCH. {@code budget} is the number of instructions per {@code execute}
     * call; {@code onDestroyed} is told once {@link #destroy()} has finished.
     */
    public CoreMachineRuntime(String name, String machineType, long budget, Consumer<CoreMachineRuntime> onDestroyed) {
        this(name, machineType, budget, onDestroyed, List::of);
    }

    /**
     * A machine in PRELAUNCH whose {@link #requestPowerdown()} presses the buttons
     * {@code powerButtons} gives at the time of the request.
     */
    public CoreMachineRuntime(String name, String machineType, long budget, Consumer<CoreMachineRuntime> onDestroyed,
                              Supplier<List<PowerButton>> powerButtons) {
        this.name = requireName(name);
        this.machineType = Objects.requireNonNull(machineType, "machineType");
        if (budget <= 0) {
            throw new IllegalArgumentException("machine " + name + ": instruction budget must be positive, not " + budget);
        }
        this.budget = budget;
        this.onDestroyed = Objects.requireNonNull(onDestroyed, "onDestroyed");
        this.powerButtons = Objects.requireNonNull(powerButtons, "powerButtons");
        this.ram = new RamAllocator("machine " + name);
        this.devices = new MachineDevices(this.name);
        this.clocks = new MachineClocks(name + "-timers");
        this.controlThread = Executors.newSingleThreadExecutor(
                task -> controlWorker = Thread.ofPlatform().name(name + "-control").daemon(true).unstarted(task));
    }

    private static String requireName(String name) {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("machine name must not be empty, not '" + name + "'");
        }
        return name;
    }

    @Override public String name() { return name; }
    @Override public String machineType() { return machineType; }
    @Override public RunState state() { return state; }
    @Override public MemoryRegion systemMemory() { return systemMemory; }
    @Override public AddressSpace memory() { return memory; }
    @Override public List<Cpu> cpus() { return List.copyOf(cpus); }
    @Override public List<Device> devices() { return devices.list(); }
    @Override public Clock clock(ClockType type) { return clocks.clock(Objects.requireNonNull(type, "type")); }
    @Override public void addListener(MachineListener listener) { listeners.add(Objects.requireNonNull(listener)); }
    @Override public void removeListener(MachineListener listener) { listeners.remove(listener); }
    @Override public void addResetHandler(Runnable handler) { resetHandlers.add(Objects.requireNonNull(handler)); }
    @Override public void removeDevice(Device device) { devices.remove(device); }

    @Override
    public String describeMemory(boolean flat) {
        return MemoryTreePrinter.describe(memory, flat);
    }

    @Override
    public void setDeviceTreeSource(Supplier<byte[]> source) {
        deviceTreeSource = Objects.requireNonNull(source, "source");
    }

    @Override
    public byte[] deviceTree() {
        return deviceTreeSource.get();
    }

    @Override
    public long vcpuThreadId(int hartId) {
        VcpuRunner runner = runners.get(hartId);
        return runner == null ? -1L : runner.thread().threadId();
    }

    @Override
    public RamBlock allocateRam(String blockName, long size) {
        RamBlock block = ram.allocate(blockName, size);
        ramBlocks.add(block);
        return block;
    }

    /** Every block allocated, in allocation order, mapped or not: all of it is guest state. */
    @Override
    public List<RamBlock> ramBlocks() {
        return List.copyOf(ramBlocks);
    }

    @Override
    public long virtualClockNanos() {
        return clocks.virtual().nanos();
    }

    @Override
    public GuestErrorLog guestErrorLog(String source) {
        return guestErrorLogs.computeIfAbsent(Objects.requireNonNull(source, "source"),
                s -> new RateLimitedGuestErrorLog(s, line -> GUEST_LOG.log(Level.WARNING, line), System::nanoTime,
                        GUEST_ERRORS_PER_WINDOW, GUEST_ERROR_WINDOW_NANOS));
    }

    @Override
    public CpuEnvironment cpuEnvironment(int hartId, long resetVector, long timebaseHz) {
        if (hartId < 0) {
            throw new IllegalArgumentException("machine " + name + ": hart id must not be negative, not " + hartId);
        }
        if (timebaseHz <= 0) {
            throw new IllegalArgumentException("machine " + name + ": timebase of hart " + hartId
                    + " must be a positive frequency, not " + timebaseHz + " Hz");
        }
        return new MachineCpuEnvironment(memory, clocks.virtual(), timebaseHz, resetVector, () -> wake(hartId));
    }

    private void wake(int hartId) {
        VcpuRunner runner = runners.get(hartId);
        if (runner != null) {
            runner.wake();
        }
    }

    @Override
    public void addCpu(Cpu cpu) {
        Objects.requireNonNull(cpu, "cpu");
        synchronized (cpuLock) {
            if (destroyed) {
                throw new IllegalStateException("machine " + name + " was destroyed; cannot add hart " + cpu.index());
            }
            int position = 0;
            for (Cpu existing : cpus) {
                if (existing.index() == cpu.index()) {
                    throw new IllegalArgumentException("machine " + name + " already has a hart " + cpu.index());
                }
                if (existing.index() < cpu.index()) {
                    position++;
                }
            }
            cpus.add(position, cpu);
            if (started) {
                cpu.reset(); // a hart added to a started machine comes up as after a reset
                startRunner(cpu);
            }
        }
    }

    private void startRunner(Cpu cpu) {
        VcpuRunner runner = new VcpuRunner(cpu, gate, budget, this::vcpuFailed, throttle);
        runners.put(cpu.index(), runner);
        gate.add(runner);
        runner.start();
    }

    /**
     * Adds {@code device} to the qtree and to machine reset; a device that is {@link
     * org.osgemu.api.device.Quiescable} is quiesced at once unless the machine runs (one that has
     * not run yet, as with {@code -S} or {@code -incoming}, must not see DMA before its first run).
     */
    @Override
    public void addDevice(Device device) {
        devices.add(Objects.requireNonNull(device, "device"));
    }

    /** As {@link #addDevice(Device)}, remembering where the board placed it (migration streams record it). */
    @Override
    public void addDevice(Device device, DevicePlacement placement) {
        devices.add(Objects.requireNonNull(device, "device"), Objects.requireNonNull(placement, "placement"));
    }

    @Override
    public Optional<DevicePlacement> devicePlacement(Device device) {
        return devices.placement(device);
    }

    // ---- control operations ----

    @Override
    public void start(boolean paused) {
        control(false, () -> {
            if (state != RunState.PRELAUNCH) {
                throw new IllegalStateException("machine " + name + " was already started (state " + state.qapiName() + ")");
            }
            bringUp();
            if (paused) {
                changeState(RunState.PAUSED);
            } else {
                resume();
            }
        });
    }

    @Override
    public void stop() {
        control(true, () -> {
            if (state == RunState.RUNNING) {
                stopRunning();
                changeState(RunState.PAUSED);
            }
        });
    }

    @Override
    public void cont() {
        control(false, () -> {
            switch (state) {
                case RUNNING -> { }
                case PAUSED, POSTMIGRATE -> resume(); // as QEMU: a source that saved itself may go on
                case PRELAUNCH -> throw new IllegalStateException("machine " + name + " has not been started yet");
                case INMIGRATE -> throw new IllegalStateException("machine " + name
                        + " waits for an incoming migration (state inmigrate): load one first");
                case FINISH_MIGRATE -> throw new IllegalStateException("machine " + name
                        + " is being saved by a migration (state finish-migrate): wait for it to end");
                default -> throw new IllegalStateException("machine " + name + " cannot continue from state "
                        + state.qapiName() + (ended ? "" : "; reset it first"));
            }
        });
    }

    @Override
    public void setVirtualClockNanos(long nanos) {
        fromOutside("set the virtual clock", () -> {
            if (state == RunState.RUNNING) {
                throw new IllegalStateException("machine " + name + " is running: stop it before setting its virtual clock");
            }
            clocks.virtual().set(nanos);
        });
    }

    @Override
    public void transitionForMigration(RunState from, RunState to) {
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        fromOutside("change its run state for a migration", () -> {
            if (state != from) {
                throw new IllegalStateException("machine " + name + " is " + state.qapiName() + ", not " + from.qapiName()
                        + " as the migration expected");
            }
            MigrationStep step = MigrationStep.of(from, to);
            if (step == null) {
                throw new IllegalStateException("machine " + name + ": a migration cannot take it from "
                        + from.qapiName() + " to " + to.qapiName());
            }
            switch (step) {
                case STOP_AND_SAVE -> {
                    stopRunning();
                    changeState(to);
                }
                case START_HELD -> {
                    bringUp();
                    changeState(to);
                }
                case RESUME -> resume();
                case CHANGE -> changeState(to);
            }
        });
    }

    @Override
    public void setVcpuThrottle(int percent) {
        throttle.set(percent);
        gate.runners().forEach(VcpuRunner::wake); // a sleeping vCPU picks up a lower throttle now
    }

    @Override
    public int vcpuThrottle() {
        return throttle.percent();
    }

    /** A round trip through the vCPU threads: held out of execute once, then let in again. */
    @Override
    public void flushVcpuStores() {
        if (isMachineThread()) {
            throw new IllegalStateException("machine " + name + ": a thread of the machine itself cannot wait for its vCPUs");
        }
        gate.hold();
        try {
            gate.awaitAllOutside(this::kickAll);
        } finally {
            gate.release();
        }
    }

    @Override
    public void systemReset(ShutdownCause cause) {
        Objects.requireNonNull(cause, "cause");
        control(true, () -> {
            if (destroyed) {
                return;
            }
            if (ended) {
                return;
            }
            if (actions.resetShutsDown() && cause != ShutdownCause.SUBSYSTEM_RESET) {
                shutdownNow(cause, 0); // -no-reboot: QEMU turns every reset request but a subsystem's into a shutdown
                return;
            }
            gate.hold();
            try {
                gate.awaitAllOutside(this::kickAll);
                resetAll();
            } finally {
                gate.release();
            }
            if (state == RunState.INTERNAL_ERROR || state == RunState.SHUTDOWN) {
                changeState(RunState.PAUSED); // as QEMU: after the reset the machine can be continued
            }
            notifyListeners(l -> l.reset(cause));
        });
    }

    @Override
    public void shutdown(ShutdownCause cause, int code) {
        Objects.requireNonNull(cause, "cause");
        control(true, () -> shutdownNow(cause, code));
    }

    @Override
    public void setActions(MachineActions newActions) {
        actions = Objects.requireNonNull(newActions, "actions");
    }

    /** The actions {@link #setActions} set: what a reset or shutdown request does. */
    public MachineActions actions() {
        return actions;
    }

    /**
     * Stops the machine in SHUTDOWN and, unless {@code -no-shutdown} keeps it (QEMU's
     * {@code shutdown=pause}: the machine waits for {@code quit} or a reset), ends it. A non-zero
     * code the guest gave while kept is the exit status {@code quit} ends it with, as in QEMU,
     * where the finisher's code outlives the pause.
     */
    private void shutdownNow(ShutdownCause cause, int code) {
        if (ended) {
            return;
        }
        boolean keep = actions.shutdownPauses() && !ALWAYS_ENDING.contains(cause);
        if (state == RunState.SHUTDOWN && keep) {
            return; // already kept; a second guest request changes nothing
        }
        if (state != RunState.SHUTDOWN) {
            stopRunning();
        }
        if (code != 0) {
            exitCode = code;
        }
        changeState(RunState.SHUTDOWN);
        int reported = code;
        notifyListeners(l -> l.shutdown(cause, reported));
        if (!keep) {
            ended = true;
            shutDown.countDown();
        }
    }

    /**
     * Presses the machine's power buttons, on the caller's thread and without the control lock: a
     * press only moves a pin and arms a timer, and the guest acts on it later, on its own threads.
     */
    @Override
    public void requestPowerdown() {
        for (PowerButton button : powerButtons.get()) {
            try {
                button.press();
            } catch (RuntimeException e) {
                LOG.log(Level.ERROR, "machine " + name + ": power button " + button + " failed", e);
            }
        }
    }

    @Override
    public int awaitShutdown() throws InterruptedException {
        shutDown.await();
        return exitCode;
    }

    @Override
    public void destroy() {
        if (isMachineThread()) {
            try {
                controlThread.execute(this::destroy);
            } catch (RejectedExecutionException alreadyGoing) {
                // destroy is under way
            }
            return;
        }
        controlLock.lock();
        try {
            if (destroyed) {
                return;
            }
            shutdownNow(ShutdownCause.NONE, 0);
            synchronized (cpuLock) {
                destroyed = true;
            }
        } finally {
            controlLock.unlock();
        }
        gate.terminate();
        for (VcpuRunner runner : gate.runners()) {
            joinVcpu(runner);
        }
        clocks.close();
        controlThread.shutdown();
        if (Thread.currentThread() != controlWorker) {
            awaitControlThread();
        }
        memory.close();
        ram.close();
        onDestroyed.accept(this);
    }

    private void awaitControlThread() {
        try {
            if (!controlThread.awaitTermination(10, TimeUnit.SECONDS)) {
                LOG.log(Level.WARNING, "machine " + name + ": control thread still busy after destroy");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void joinVcpu(VcpuRunner runner) {
        try {
            while (runner.thread().isAlive() && runner.thread() != Thread.currentThread()) {
                runner.cpu().kick();
                runner.wake();
                runner.thread().join(100);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Runs a control operation: here under the control lock, or, from one of the machine's own
     * threads, on the control thread; {@code holdVcpus} then stops the vCPUs at once.
     */
    private void control(boolean holdVcpus, Runnable operation) {
        if (!isMachineThread()) {
            controlLock.lock();
            try {
                operation.run();
            } finally {
                controlLock.unlock();
            }
            return;
        }
        if (holdVcpus) {
            gate.hold();
            kickAll();
        }
        try {
            controlThread.execute(() -> {
                controlLock.lock();
                try {
                    if (!destroyed) {
                        operation.run();
                    }
                } catch (RuntimeException e) {
                    LOG.log(Level.ERROR, "machine " + name + ": a request from the guest failed", e);
                } finally {
                    controlLock.unlock();
                    if (holdVcpus) {
                        gate.release();
                    }
                }
            });
        } catch (RejectedExecutionException destroyedMeanwhile) {
            if (holdVcpus) {
                gate.release();
            }
        }
    }

    /**
     * Runs an operation that only outside threads (migration, QMP) may ask for, under the control
     * lock, so that it cannot interleave with another control operation.
     */
    private void fromOutside(String what, Runnable operation) {
        if (isMachineThread()) {
            throw new IllegalStateException("machine " + name + ": a thread of the machine itself cannot " + what);
        }
        controlLock.lock();
        try {
            if (destroyed) {
                throw new IllegalStateException("machine " + name + " was destroyed; cannot " + what);
            }
            operation.run();
        } finally {
            controlLock.unlock();
        }
    }

    /** Leaves PRELAUNCH: resets everything and starts the vCPU threads, which wait until the machine runs. */
    private void bringUp() {
        resetAll();
        synchronized (cpuLock) {
            started = true;
            cpus.forEach(this::startRunner);
        }
    }

    /** Whether the caller is one of this machine's vCPU threads or its timer thread. */
    private boolean isMachineThread() {
        if (clocks.isTimerThread()) {
            return true;
        }
        Thread self = Thread.currentThread();
        for (VcpuRunner runner : gate.runners()) {
            if (runner.thread() == self) {
                return true;
            }
        }
        return false;
    }

    /**
     * Every path that leaves RUNNING comes here: the vCPUs leave guest code and the virtual clock
     * stops, then the devices quiesce (finish their DMA in flight, start none), so that from here
     * on nothing changes guest memory: what a migration saves next, RAM first and devices after,
     * is one consistent state.
     */
    private void stopRunning() {
        gate.setRunning(false);
        gate.awaitAllOutside(this::kickAll);
        clocks.virtual().stop();
        devices.quiesceAll();
    }

    /** Every path into RUNNING comes here: the devices resume before the vCPUs run. */
    private void resume() {
        clocks.virtual().start();
        devices.resumeAll();
        changeState(RunState.RUNNING);
        gate.setRunning(true);
    }

    private void kickAll() {
        for (Cpu cpu : cpus) {
            cpu.kick();
        }
    }

    /** Devices in the order added, then reset handlers, then CPUs; the vCPUs are out of execute. */
    private void resetAll() {
        for (Device device : devices.list()) {
            try {
                device.reset();
            } catch (RuntimeException e) {
                LOG.log(Level.ERROR, "machine " + name + ": device " + device.id() + " (" + device.type()
                        + ") failed to reset", e);
            }
        }
        for (Runnable handler : resetHandlers) {
            handler.run();
        }
        for (Cpu cpu : cpus) {
            cpu.reset();
        }
    }

    private void vcpuFailed(VcpuRunner runner, Throwable failure) {
        LOG.log(Level.ERROR, "machine " + name + ": vCPU " + runner.cpu().index() + " failed at pc 0x"
                + Long.toHexString(runner.cpu().pc()) + "; the machine stops in state internal-error", failure);
        control(true, () -> {
            if (state == RunState.RUNNING || state == RunState.PAUSED) {
                stopRunning();
                changeState(RunState.INTERNAL_ERROR);
            }
        });
    }

    private void changeState(RunState to) {
        RunState from = state;
        state = to;
        if (from != to) {
            notifyListeners(l -> l.stateChanged(from, to));
        }
    }

    private void notifyListeners(Consumer<MachineListener> event) {
        for (MachineListener listener : new ArrayList<>(listeners)) {
            try {
                event.accept(listener);
            } catch (RuntimeException e) {
                LOG.log(Level.ERROR, "machine " + name + ": listener " + listener + " failed", e);
            }
        }
    }

    @Override
    public String toString() {
        return "Machine[" + name + ", " + machineType + ", " + state.qapiName() + "]";
    }
}
