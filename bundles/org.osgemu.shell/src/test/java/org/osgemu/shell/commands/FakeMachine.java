package org.osgemu.shell.commands;

import java.util.ArrayList;
import java.util.List;

import org.osgemu.api.cpu.Cpu;
import org.osgemu.api.device.Device;
import org.osgemu.api.machine.MachineControl;
import org.osgemu.api.machine.MachineListener;
import org.osgemu.api.machine.RunState;
import org.osgemu.api.machine.ShutdownCause;
import org.osgemu.api.memory.AddressSpace;
import org.osgemu.api.memory.MemoryRegion;

/** A machine that records what it was asked to do. */
final class FakeMachine implements MachineControl {

    final List<String> calls = new ArrayList<>();
    final List<Cpu> cpus = new ArrayList<>();
    final List<Device> devices = new ArrayList<>();
    final MemoryRegion systemMemory = MemoryRegion.container("system", -1L);
    RunState state = RunState.RUNNING;
    byte[] deviceTree = new byte[0];
    private final String name;

    FakeMachine(String name) {
        this.name = name;
    }

    @Override public String name() { return name; }
    @Override public String machineType() { return "virt"; }
    @Override public RunState state() { return state; }
    @Override public void stop() { calls.add("stop"); state = RunState.PAUSED; }
    @Override public void cont() { calls.add("cont"); state = RunState.RUNNING; }
    @Override public void systemReset(ShutdownCause cause) { calls.add("reset " + cause.qapiName()); }
    @Override public void shutdown(ShutdownCause cause, int exitCode) {
        calls.add("shutdown " + cause.qapiName() + " " + exitCode);
        state = RunState.SHUTDOWN;
    }
    @Override public int awaitShutdown() { return 0; }
    @Override public AddressSpace memory() { return new FakeMemory(systemMemory); }
    @Override public String describeMemory(boolean flat) { return (flat ? "FlatView #0" : "address-space: memory") + "\n"; }
    @Override public List<Cpu> cpus() { return cpus; }
    @Override public List<Device> devices() { return devices; }
    @Override public byte[] deviceTree() { return deviceTree; }
    @Override public long vcpuThreadId(int hartId) { return 100 + hartId; }
    @Override public void addListener(MachineListener listener) { }
    @Override public void removeListener(MachineListener listener) { }
}
