package org.osgemu.api.device;

import org.osgemu.api.fdt.FdtNode;
import org.osgemu.api.memory.MemoryRegion;

/**
 * A device on the board's system bus: one MMIO region placed by the board's memory map, IRQ
 * lines routed by the board, and a node of its own in the device tree. Boards are whiteboards:
 * every {@code PlatformDevice} service whose {@link Device#MACHINE} names a board is placed on
 * it, and removed when the service goes away.
 */
public interface PlatformDevice extends Device {

    /** The MMIO region the board maps at the device's base address. */
    MemoryRegion region();

    /** Connects the device to the machine; called before the region is mapped. */
    void realize(DeviceContext context);

    /** Disconnects the device: timers stop, lines are dropped; the region is already unmapped. */
    void unrealize();

    /** The device's device-tree node at {@code placement}, or null when it has none. */
    FdtNode describe(DevicePlacement placement);
}
