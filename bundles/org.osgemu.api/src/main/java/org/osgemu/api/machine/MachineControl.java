package org.osgemu.api.machine;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.osgemu.api.cpu.Cpu;
import org.osgemu.api.device.Device;
import org.osgemu.api.device.DevicePlacement;
import org.osgemu.api.memory.AddressSpace;
import org.osgemu.api.memory.FlatRange;
import org.osgemu.api.memory.RamBlock;

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

    /**
     * Resets every device and CPU (QMP {@code system_reset}); the run state is kept. Under
     * {@link MachineActions#resetShutsDown()} ({@code -no-reboot}) it shuts the machine down with
     * {@code cause} instead, as QEMU does for every reset request but a subsystem reset.
     */
    void systemReset(ShutdownCause cause);

    /**
     * Ends the machine: state SHUTDOWN, vCPUs stopped, {@link #awaitShutdown()} returns {@code exitCode}.
     * Under {@link MachineActions#shutdownPauses()} ({@code -no-shutdown}) a shutdown the guest (or a
     * reset) asked for only stops the machine in state SHUTDOWN; a later {@code quit} ends it, with
     * the guest's non-zero {@code exitCode} if it gave one, as QEMU does.
     */
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

    /**
     * Where the board placed {@code device}: its MMIO base address and window, and its interrupt
     * numbers on the board's interrupt controller, as the device got them when it was realized. A
     * migration records it for every device and refuses a stream whose devices sat elsewhere (the
     * guest's drivers would talk to the wrong device). Empty when the device is not on this machine,
     * or the machine does not keep its devices' placements, as this default: a migration then
     * finds the base address in the memory map and records no interrupt numbers.
     */
    default Optional<DevicePlacement> devicePlacement(Device device) {
        return Optional.empty();
    }

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

    /**
     * Guest time: the virtual clock in nanoseconds. It stands still while the machine does not
     * run, and a migration carries it over (the RISC-V {@code time} CSR and the CLINT's mtime
     * derive from it).
     */
    default long virtualClockNanos() {
        throw new UnsupportedOperationException("machine " + name() + " does not expose its virtual clock");
    }

    /**
     * Sets the virtual clock to {@code nanos}; only while the machine does not run. Armed timers
     * keep their deadlines: devices re-arm theirs when their migrated state is loaded.
     *
     * @throws IllegalArgumentException when {@code nanos} is negative
     * @throws IllegalStateException when the machine runs
     */
    default void setVirtualClockNanos(long nanos) {
        throw new UnsupportedOperationException("machine " + name() + " cannot set its virtual clock");
    }

    /**
     * The machine's RAM blocks (RAM and ROM), each once, in the order they were allocated. This
     * default finds the blocks mapped in {@link #memory()}, in address order.
     */
    default List<RamBlock> ramBlocks() {
        List<RamBlock> blocks = new ArrayList<>();
        for (FlatRange range : memory().flatView().ranges()) {
            RamBlock block = range.region().ramBlock();
            if (block != null && !blocks.contains(block)) {
                blocks.add(block);
            }
        }
        return blocks;
    }

    /**
     * Moves the machine from run state {@code from} to {@code to} on behalf of a migration, as
     * QEMU's run-state table allows: a source goes paused or postmigrate (or, live, running, which
     * stops the vCPUs and the clock) to finish-migrate, then to postmigrate when the stream is
     * complete or back when it failed; a destination goes prelaunch (which resets it and starts its
     * vCPU threads held), paused, postmigrate or inmigrate to inmigrate, then to paused once loaded.
     * The check of {@code from} and the change are one step, so a {@code cont} in between is seen.
     *
     * @throws IllegalStateException when the machine is not in {@code from}, or the step is not one
     *         of those above; the message names both states
     */
    default void transitionForMigration(RunState from, RunState to) {
        throw new UnsupportedOperationException("machine " + name() + " does not support migration");
    }

    /**
     * Makes the vCPU threads sleep {@code percent} per cent of their time, as QEMU's CPU throttle
     * does for a migration's {@code auto-converge}: a guest that dirties memory faster than the
     * link carries it slows down until the migration converges. 0 lets them run freely.
     *
     * @throws IllegalArgumentException when {@code percent} is outside 0..99
     */
    default void setVcpuThrottle(int percent) {
        throw new UnsupportedOperationException("machine " + name() + " cannot throttle its vCPUs");
    }

    /** The throttle {@link #setVcpuThrottle} set, in per cent; 0 when the vCPUs run freely. */
    default int vcpuThrottle() {
        return 0;
    }

    /**
     * Returns once every vCPU that runs has left guest code at least once since the call, so that
     * every guest store made before the call is visible to the caller. A migration calls it after
     * it cleared dirty bits and before it copies the pages (see {@link org.osgemu.api.memory.RamBlock}):
     * a store that checked the dirty bit before the clear has then landed. Machines whose vCPUs do
     * not run on threads of their own need nothing; the default does nothing.
     */
    default void flushVcpuStores() {
    }

    /**
     * Asks the guest to power down, as pressing its power button would (QMP {@code system_powerdown}):
     * presses every {@link PowerButton} registered for this machine and returns. The guest decides
     * what follows; a guest that powers itself off ends the machine with
     * {@link ShutdownCause#GUEST_SHUTDOWN}. A machine without a power button ignores the request,
     * as this default does.
     */
    default void requestPowerdown() {
    }

    void addListener(MachineListener listener);

    void removeListener(MachineListener listener);
}
