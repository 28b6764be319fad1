package org.osgemu.api.device;

import org.osgemu.api.clock.Clock;
import org.osgemu.api.clock.ClockType;
import org.osgemu.api.irq.IrqLine;
import org.osgemu.api.machine.MachineControl;
import org.osgemu.api.memory.AddressSpace;

/** What a board gives a device when it realizes it. */
public interface DeviceContext {

    /** The device's placement (base address, IRQ numbers). */
    DevicePlacement placement();

    /** The device's {@code index}-th interrupt line, routed by the board to its interrupt controller. */
    IrqLine irq(int index);

    /** Interrupt input {@code number} of hart {@code hart} (for RISC-V a {@code mip} bit). */
    IrqLine cpuInterrupt(int hart, int number);

    /** One of the machine's clocks. */
    Clock clock(ClockType type);

    /** Frequency of the architectural timer ({@code timebase-frequency}), in Hz. */
    long timebaseHz();

    /** Where the device reports guest mistakes (rate-limited). */
    GuestErrorLog log();

    /** The machine, for shutdown and reset requests. */
    MachineControl machine();

    /** The address space the device reaches by DMA (guest-physical memory, as CPUs see it). */
    default AddressSpace dma() {
        throw new UnsupportedOperationException("this device context offers no DMA");
    }
}
