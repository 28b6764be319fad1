package org.osgemu.api.device;

import java.util.List;

import org.osgemu.api.fdt.FdtNode;
import org.osgemu.api.memory.MemoryRegion;

/**
 * A device on the board's system bus: one MMIO region placed by the board's memory map, IRQ
 * lines routed by the board, and a node of its own in the device tree. Boards are whiteboards:
 * every {@code PlatformDevice} service whose {@link Device#MACHINE} names a board is placed on
 * it, and removed when the service goes away.
 */
public interface PlatformDevice extends Device {

    /** Bus of devices that sit behind a virtio-mmio transport slot of the board. */
    String VIRTIO_MMIO = "virtio-mmio";
    /** Bus of devices that have a fixed place of their own type on the board. */
    String SYSBUS = "sysbus";

    /**
     * The kind of place the device takes on a board: {@link #SYSBUS} (a slot for its type, such
     * as the UART's) or {@link #VIRTIO_MMIO} (the next free virtio-mmio slot).
     */
    default String bus() {
        return SYSBUS;
    }

    /** The MMIO region the board maps at the device's base address. */
    MemoryRegion region();

    /** Connects the device to the machine; called before the region is mapped. */
    void realize(DeviceContext context);

    /** Disconnects the device: timers stop, lines are dropped; the region is already unmapped. */
    void unrealize();

    /** The device's device-tree node at {@code placement}, or null when it has none. */
    FdtNode describe(DevicePlacement placement);

    /**
     * Nodes the device adds at the root of the device tree, beside the bus its own node sits on:
     * a {@code gpio-keys} node for a button wired to the device's pins, for example. They may
     * refer to the device's node by its label. The default adds none.
     */
    default List<FdtNode> rootNodes(DevicePlacement placement) {
        return List.of();
    }
}
