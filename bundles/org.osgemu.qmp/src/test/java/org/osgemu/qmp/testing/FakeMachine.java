package org.osgemu.qmp.testing;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.function.Consumer;

import org.osgemu.api.cpu.Cpu;
import org.osgemu.api.device.Device;
import org.osgemu.api.machine.MachineControl;
import org.osgemu.api.machine.MachineListener;
import org.osgemu.api.machine.RunState;
import org.osgemu.api.machine.ShutdownCause;
import org.osgemu.api.memory.AddressSpace;

/** A machine without CPUs or memory: run states, listeners and a device list, as the core reports them. */
public final class FakeMachine implements MachineControl {

    private final String name;
    private final List<MachineListener> listeners = new CopyOnWriteArrayList<>();
    private final List<Device> devices = new CopyOnWriteArrayList<>();
    private final CountDownLatch shutDown = new CountDownLatch(1);
    private volatile RunState state = RunState.RUNNING;
    private volatile int exitCode = -1;
    /** Runs inside stop(), as a listener would: lets a test hold the control operation. */
    public volatile Runnable duringStop = () -> { };

    public FakeMachine(String name) {
        this.name = name;
    }

    @Override public String name() { return name; }
    @Override public String machineType() { return "virt"; }
    @Override public RunState state() { return state; }
    @Override public AddressSpace memory() { throw new UnsupportedOperationException(); }
    @Override public String describeMemory(boolean flat) { return ""; }
    @Override public List<Cpu> cpus() { return List.of(); }
    @Override public List<Device> devices() { return List.copyOf(devices); }
    @Override public void addListener(MachineListener listener) { listeners.add(listener); }
    @Override public void removeListener(MachineListener listener) { listeners.remove(listener); }

    public void plug(Device device) {
        devices.add(device);
    }

    public void unplug(Device device) {
        devices.remove(device);
    }

    public int listenerCount() {
        return listeners.size();
    }

    public int exitCode() {
        return exitCode;
    }

    @Override
    public synchronized void stop() {
        if (state == RunState.RUNNING) {
            duringStop.run();
            change(RunState.PAUSED);
        }
    }

    @Override
    public synchronized void cont() {
        if (state == RunState.SHUTDOWN) {
            throw new IllegalStateException("machine " + name + " cannot continue from state shutdown");
        }
        change(RunState.RUNNING);
    }

    @Override
    public synchronized void systemReset(ShutdownCause cause) {
        tell(l -> l.reset(cause));
    }

    @Override
    public synchronized void shutdown(ShutdownCause cause, int code) {
        if (state == RunState.SHUTDOWN) {
            return;
        }
        exitCode = code;
        change(RunState.SHUTDOWN);
        tell(l -> l.shutdown(cause, code));
        shutDown.countDown();
    }

    @Override
    public int awaitShutdown() throws InterruptedException {
        shutDown.await();
        return exitCode;
    }

    private void change(RunState to) {
        RunState from = state;
        state = to;
        if (from != to) {
            tell(l -> l.stateChanged(from, to));
        }
    }

    private void tell(Consumer<MachineListener> event) {
        listeners.forEach(event);
    }
}
