package org.osgemu.shell.commands;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;

import org.osgemu.api.device.Device;
import org.osgemu.api.device.PlatformDevice;
import org.osgemu.api.memory.AddressSpace;
import org.osgemu.api.memory.MemoryRegion;

/**
 * {@code info qtree}: the machine's devices on QEMU's main system bus, each with its MMIO window
 * as {@code mmio <base>/<size>}. A device whose region is not placed shows base
 * {@code ffffffffffffffff}, as QEMU shows an unmapped sysbus region.
 */
final class QtreeDump {

    /** QEMU's name for the system bus and its type ({@code TYPE_SYSTEM_BUS}). */
    private static final String BUS_NAME = "main-system-bus";
    private static final String BUS_TYPE = "System";
    private static final long UNMAPPED = -1L;
    /** Bounds the search of the region tree, which a badly built alias could make cyclic. */
    private static final int MAX_DEPTH = 64;

    private QtreeDump() {
    }

    static String format(List<Device> devices, AddressSpace memory) {
        List<String> lines = new ArrayList<>();
        lines.add("bus: " + BUS_NAME);
        lines.add("  type " + BUS_TYPE);
        for (Device device : devices) {
            lines.add("  dev: " + device.type() + ", id \"" + device.id() + "\"");
            if (device instanceof PlatformDevice platform && platform.region() != null) {
                MemoryRegion region = platform.region();
                long base = baseAddress(memory.root(), region).orElse(UNMAPPED);
                lines.add(String.format("    mmio %016x/%016x", base, region.size()));
            }
        }
        return String.join("\n", lines);
    }

    /**
     * Where {@code target} sits in the address space rendered from {@code root}: found by walking
     * the region tree rather than the flat view, so regions hidden behind higher-priority ones
     * and device regions that are containers themselves are found too.
     */
    static OptionalLong baseAddress(MemoryRegion root, MemoryRegion target) {
        if (root == target) {
            return OptionalLong.of(0);
        }
        return search(root, 0, target, 0);
    }

    private static OptionalLong search(MemoryRegion container, long base, MemoryRegion target, int depth) {
        if (depth > MAX_DEPTH) {
            return OptionalLong.empty();
        }
        for (MemoryRegion.Subregion sub : container.subregions()) {
            MemoryRegion region = sub.region();
            long start = base + sub.offset();
            if (region == target) {
                return OptionalLong.of(start);
            }
            if (region.kind() == MemoryRegion.Kind.ALIAS && region.aliasTarget() == target) {
                return OptionalLong.of(start - region.aliasOffset());
            }
            if (region.kind() == MemoryRegion.Kind.CONTAINER) {
                OptionalLong found = search(region, start, target, depth + 1);
                if (found.isPresent()) {
                    return found;
                }
            }
        }
        return OptionalLong.empty();
    }
}
