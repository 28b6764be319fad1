package org.osgemu.device.sifivetest;

import java.util.ArrayList;
import java.util.List;

import org.osgemu.api.cpu.Cpu;
import org.osgemu.api.device.Device;
import org.osgemu.api.machine.MachineControl;
import org.osgemu.api.machine.MachineListener;
import org.osgemu.api.machine.RunState;
import org.osgemu.api.machine.ShutdownCause;
import org.osgemu.api.memory.AddressSpace;

/** Records shutdown and reset requests; everything else is out of scope for device tests. */
final class FakeMachine implements MachineControl {

    final List<String> requests = new ArrayList<>();

    @Override
    public void shutdown(ShutdownCause cause, int exitCode) {
        requests.add("shutdown " + cause.qapiName() + " " + exitCode);
    }

    @Override
    public void systemReset(ShutdownCause cause) {
        requests.add("reset " + cause.qapiName());
    }

    @Override public String name() { return "test"; }
    @Override public String machineType() { return "fake"; }
    @Override public RunState state() { return RunState.RUNNING; }
    @Override public void stop() { throw new UnsupportedOperationException(); }
    @Override public void cont() { throw new UnsupportedOperationException(); }
    @Override public int awaitShutdown() { throw new UnsupportedOperationException(); }
    @Override public AddressSpace memory() { throw new UnsupportedOperationException(); }
    @Override public String describeMemory(boolean flat) { throw new UnsupportedOperationException(); }
    @Override public List<Cpu> cpus() { return List.of(); }
    @Override public List<Device> devices() { return List.of(); }
    @Override public void addListener(MachineListener listener) { }
    @Override public void removeListener(MachineListener listener) { }
}
