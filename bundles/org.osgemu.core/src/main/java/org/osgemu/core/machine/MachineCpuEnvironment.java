package org.osgemu.core.machine;

import java.util.Objects;

import org.osgemu.api.clock.Clock;
import org.osgemu.api.cpu.CpuEnvironment;
import org.osgemu.api.memory.AddressSpace;

/**
 * What the machine hands one hart: its address space, the virtual clock, the timebase, the
 * reset vector and a {@code wake} that unparks that hart's vCPU thread.
 */
record MachineCpuEnvironment(AddressSpace addressSpace, Clock virtualClock, long timebaseHz, long resetVector,
                             Runnable waker) implements CpuEnvironment {

    MachineCpuEnvironment {
        Objects.requireNonNull(addressSpace, "addressSpace");
        Objects.requireNonNull(virtualClock, "virtualClock");
        Objects.requireNonNull(waker, "waker");
    }

    @Override
    public void wake() {
        waker.run();
    }
}
