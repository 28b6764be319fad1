package org.osgemu.api.machine;

import org.osgemu.api.clock.Clock;
import org.osgemu.api.clock.ClockType;
import org.osgemu.api.cpu.Cpu;
import org.osgemu.api.cpu.CpuEnvironment;
import org.osgemu.api.device.Device;
import org.osgemu.api.device.DevicePlacement;
import org.osgemu.api.device.GuestErrorLog;
import org.osgemu.api.memory.MemoryRegion;
import org.osgemu.api.memory.RamBlock;

/**
 * What a board builds a machine on, made by {@link MachineRuntimeFactory}: the system memory
 * tree and its address space, the clocks, one vCPU thread per CPU, the run-state machine and
 * reset. The board adds RAM, devices and CPUs, then calls {@link #start(boolean)}.
 */
public interface MachineRuntime extends MachineControl {

    /** Root container of the system address space; the board maps regions into it. */
    MemoryRegion systemMemory();

    /** Allocates guest RAM (zeroed, off-heap, dirty-tracked). */
    RamBlock allocateRam(String name, long size);

    Clock clock(ClockType type);

    /** The environment for hart {@code hartId}: address space, clock, timebase, reset vector. */
    CpuEnvironment cpuEnvironment(int hartId, long resetVector, long timebaseHz);

    /** Adds a CPU: it is reset with the machine and runs on its own vCPU thread once started. */
    void addCpu(Cpu cpu);

    /** Adds a device to the qtree and to machine reset. */
    void addDevice(Device device);

    /**
     * Adds a device that the board placed at {@code placement}, which the runtime then answers in
     * {@link MachineControl#devicePlacement(Device)} until the device is removed. This default
     * forgets the placement and adds the device.
     */
    default void addDevice(Device device, DevicePlacement placement) {
        addDevice(device);
    }

    void removeDevice(Device device);

    /** Runs {@code handler} at every machine reset, after devices and before CPUs (e.g. reload firmware). */
    void addResetHandler(Runnable handler);

    /** The rate-limited guest-error log for {@code source}. */
    GuestErrorLog guestErrorLog(String source);

    /** Where {@link MachineControl#deviceTree()} gets the board's current device tree from. */
    void setDeviceTreeSource(java.util.function.Supplier<byte[]> source);

    /**
     * Sets what a reset or shutdown request does from now on; a board calls it before
     * {@link #start(boolean)}. This default knows only {@link MachineActions#DEFAULT}.
     *
     * @throws UnsupportedOperationException when the runtime cannot honour {@code actions}
     */
    default void setActions(MachineActions actions) {
        if (!MachineActions.DEFAULT.equals(actions)) {
            throw new UnsupportedOperationException("machine " + name() + " cannot honour " + actions);
        }
    }

    /** Leaves PRELAUNCH: resets everything and starts the vCPUs, or stays paused when {@code paused}. */
    void start(boolean paused);

    /** Ends vCPU and timer threads and frees RAM; the runtime cannot be used afterwards. */
    void destroy();
}
