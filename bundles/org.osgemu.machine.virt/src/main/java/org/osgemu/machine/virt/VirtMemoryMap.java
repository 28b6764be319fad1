package org.osgemu.machine.virt;

import java.util.List;
import java.util.Optional;

/**
 * The virt board's memory map, one table that feeds both the bus (where each device's region is
 * mapped) and the device tree (the {@code reg} and {@code interrupts} of each node). Addresses
 * and interrupt numbers are those of QEMU's RISC-V {@code virt} machine, so guests built for it
 * run unchanged.
 */
final class VirtMemoryMap {

    /** A place on the board for a device type: base address, window size, PLIC sources. */
    record Slot(String type, long base, long size, List<Integer> irqs) {}

    static final long MROM_BASE = 0x1000;
    static final long MROM_SIZE = 0xf000;
    static final long DRAM_BASE = 0x8000_0000L;
    static final long TIMEBASE_HZ = 10_000_000;

    static final List<Slot> SLOTS = List.of(
            new Slot("sifive_test", 0x10_0000, 0x1000, List.of()),
            new Slot("goldfish_rtc", 0x10_1000, 0x1000, List.of(11)),
            new Slot("bigstate", 0x10_2000, 0x1000, List.of()),
            // not on QEMU's RISC-V virt: the GPIO controller with the power key (PLIC 12..27, one per pin)
            new Slot("sifive_gpio", 0x10_3000, 0x1000, java.util.stream.IntStream.range(12, 28).boxed().toList()),
            new Slot("clint", 0x200_0000, 0x1_0000, List.of()),
            new Slot("plic", 0xc00_0000, 0x60_0000, List.of()),
            new Slot("ns16550a", 0x1000_0000, 0x100, List.of(10)));

    /** The eight virtio-mmio transports: 0x1000_1000 + i * 0x1000, PLIC sources 1..8. */
    static final List<Slot> VIRTIO_SLOTS = java.util.stream.IntStream.range(0, 8)
            .mapToObj(i -> new Slot("virtio-mmio", 0x1000_1000L + i * 0x1000L, 0x1000, List.of(1 + i)))
            .toList();

    private VirtMemoryMap() {}

    /** The slots a device may take, in the order they are handed out. */
    static List<Slot> candidates(String bus, String type) {
        if (org.osgemu.api.device.PlatformDevice.VIRTIO_MMIO.equals(bus)) {
            return VIRTIO_SLOTS;
        }
        return slotFor(type).map(List::of).orElse(List.of());
    }

    /** The slot for devices of {@code type}, if the board has one. */
    static Optional<Slot> slotFor(String type) {
        return SLOTS.stream().filter(s -> s.type().equals(type)).findFirst();
    }
}
