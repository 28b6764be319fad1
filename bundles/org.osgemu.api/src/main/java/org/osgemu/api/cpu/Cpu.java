package org.osgemu.api.cpu;

import java.util.Map;

import org.osgemu.api.irq.IrqLine;

/**
 * One virtual CPU (a RISC-V hart). Not thread-safe except where noted: one vCPU thread calls
 * {@link #execute(long)}; other threads only use interrupt lines, {@link #kick()} and, while the
 * vCPU is stopped, the state accessors. Implementations that can be migrated also implement
 * {@link org.osgemu.api.vmstate.Migratable}.
 */
public interface Cpu {

    /** Why {@link #execute(long)} returned. */
    enum ExitReason {
        /** The instruction budget ran out. */
        BUDGET,
        /** The CPU executed WFI and no interrupt is pending: sleep until {@link #hasWork()}. */
        WAIT_FOR_INTERRUPT,
        /** {@link #kick()} was called. */
        KICKED
    }

    /** Hart id. */
    int index();

    /** Architectural reset: registers and CSRs to their reset values, pc to the reset vector. */
    void reset();

    /** Runs up to {@code maxInstructions} instructions. */
    ExitReason execute(long maxInstructions);

    /** Whether the CPU would make progress (not in WFI, or an interrupt is pending). Thread-safe. */
    boolean hasWork();

    /** Makes a running {@link #execute(long)} return soon. Thread-safe. */
    void kick();

    /** Interrupt input {@code number} (for RISC-V the {@code mip} bit number). Thread-safe. */
    IrqLine interruptLine(int number);

    /** Program counter. */
    long pc();

    /** Named register values for {@code info registers} and debugging, in display order. */
    Map<String, Long> registers();

    /** Instructions retired since reset. */
    long instructionsRetired();
}
