package org.osgemu.api.cpu;

import org.osgemu.api.clock.Clock;
import org.osgemu.api.memory.AddressSpace;

/** What the machine gives a vCPU: its memory, its time source and its reset vector. */
public interface CpuEnvironment {

    /** The address space the CPU fetches from and accesses. */
    AddressSpace addressSpace();

    /** The machine's virtual clock (stops while paused). */
    Clock virtualClock();

    /** Frequency of the architectural time counter (RISC-V {@code time}), in Hz. */
    long timebaseHz();

    /** Address the CPU starts at after reset. */
    long resetVector();

    /** Called by the CPU when one of its interrupt inputs changes, to wake a sleeping vCPU thread. */
    void wake();
}
