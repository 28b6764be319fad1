package org.osgemu.api.machine;

import java.util.List;

import org.osgemu.api.cpu.Cpu;
import org.osgemu.api.device.Device;
import org.osgemu.api.memory.AddressSpace;

/**
 * The one command implementation for a running machine: QMP, the Gogo shell and the launcher
 * are thin front-ends over it. Registered as a service with property {@link #NAME}.
 */
public interface MachineControl {

    /** Service property: the machine's name. */
    String NAME = "name";

    String name();

    /** Board type, e.g. {@code virt}. */
    String machineType();

    RunState state();

    /** Pauses the vCPUs and the virtual clock (QMP {@code stop}); returns when they are stopped. */
    void stop();

    /** Resumes (QMP {@code cont}). */
    void cont();

    /** Resets every device and CPU (QMP {@code system_reset}); the run state is kept. */
    void systemReset(ShutdownCause cause);

    /** Ends the machine: state SHUTDOWN, vCPUs stopped, {@link #awaitShutdown()} returns {@code exitCode}. */
    void shutdown(ShutdownCause cause, int exitCode);

    /** Waits until the machine shut down; returns the process exit status it asks for. */
    int awaitShutdown() throws InterruptedException;

    /** The system address space (what CPUs see). */
    AddressSpace memory();

    /** The region tree laid out as {@code info mtree} (flat view when {@code flat}). */
    String describeMemory(boolean flat);

    /** The CPUs, by hart id. */
    List<Cpu> cpus();

    /** The devices currently part of the machine, as {@code info qtree} shows them. */
    List<Device> devices();

    /** The flattened device tree the machine gives its firmware, as built now (QEMU's {@code dumpdtb}). */
    default byte[] deviceTree() {
        return new byte[0];
    }

    /**
     * The Java thread id ({@link Thread#threadId()}) of the vCPU thread running hart {@code hartId},
     * as {@code info cpus} shows it; {@code -1} when no thread runs it (not started yet).
     */
    default long vcpuThreadId(int hartId) {
        return -1L;
    }

    void addListener(MachineListener listener);

    void removeListener(MachineListener listener);
}
