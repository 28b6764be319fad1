package org.osgemu.core.memory;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import org.osgemu.api.memory.AddressSpace;
import org.osgemu.api.memory.FlatRange;
import org.osgemu.api.memory.FlatView;
import org.osgemu.api.memory.MemoryRegion;

/**
 * Lays out a region tree as QEMU's {@code info mtree} does, so that the two can be compared
 * side by side: one line per enabled region with its absolute address range, priority, kind
 * ({@code ram}, {@code rom}, {@code i/o}; an alias shows its target's kind) and name; regions
 * that aliases show follow as {@code memory-region:} sections. With {@code flat} it prints the
 * rendered flat view instead ({@code info mtree -f}).
 */
public final class MemoryTreePrinter {

    private static final String INDENT = "  ";
    private static final Comparator<MemoryRegion.Subregion> BY_ADDRESS =
            (a, b) -> Long.compareUnsigned(a.offset(), b.offset()) != 0
                    ? Long.compareUnsigned(a.offset(), b.offset())
                    : Integer.compare(b.priority(), a.priority());

    private final StringBuilder out = new StringBuilder();
    private final Set<MemoryRegion> aliasTargets = new LinkedHashSet<>();

    private MemoryTreePrinter() {
    }

    /** The tree below {@code space} (or its flat view when {@code flat}) as text. */
    public static String describe(AddressSpace space, boolean flat) {
        MemoryTreePrinter printer = new MemoryTreePrinter();
        if (flat) {
            printer.printFlatView(space);
        } else {
            printer.printTree(space);
        }
        return printer.out.toString();
    }

    private void printTree(AddressSpace space) {
        out.append("address-space: ").append(space.name()).append('\n');
        if (space.root().isEnabled()) {
            printRegion(space.root(), 0, 0, 1, true);
        }
        out.append('\n');
        // Aliases found while printing may show regions with aliases of their own.
        Set<MemoryRegion> printed = new LinkedHashSet<>();
        while (printed.size() < aliasTargets.size()) {
            for (MemoryRegion target : List.copyOf(aliasTargets)) {
                if (printed.add(target)) {
                    out.append("memory-region: ").append(target.name()).append('\n');
                    printRegion(target, 0, 0, 1, true);
                    out.append('\n');
                }
            }
        }
    }

    private void printRegion(MemoryRegion region, long address, int priority, int depth, boolean isRoot) {
        out.append(INDENT.repeat(depth)).append(hex(address)).append('-')
                .append(hex(address + FlatViewRenderer.lastOffset(region)))
                .append(" (prio ").append(priority).append(", ").append(kindName(region, isRoot)).append("): ");
        if (region.kind() == MemoryRegion.Kind.ALIAS) {
            MemoryRegion target = region.aliasTarget();
            aliasTargets.add(target);
            out.append("alias ").append(region.name()).append(" @").append(target.name()).append(' ')
                    .append(hex(region.aliasOffset())).append('-')
                    .append(hex(region.aliasOffset() + region.size() - 1)).append('\n');
            return;
        }
        out.append(region.name()).append('\n');
        if (region.kind() == MemoryRegion.Kind.CONTAINER) {
            List<MemoryRegion.Subregion> subs = new ArrayList<>(region.subregions());
            subs.sort(BY_ADDRESS); // stable: equal address and priority keep the latest-added-first order
            for (MemoryRegion.Subregion sub : subs) {
                if (sub.region().isEnabled()) {
                    printRegion(sub.region(), address + sub.offset(), sub.priority(), depth + 1, false);
                }
            }
        }
    }

    /**
     * The kind column. A root container prints as {@code i/o}, as QEMU prints its {@code system}
     * region; containers below it print as {@code container}, since they serve no access themselves.
     */
    private static String kindName(MemoryRegion region, boolean isRoot) {
        return switch (region.kind()) {
            case RAM -> "ram";
            case ROM -> "rom";
            case MMIO -> "i/o";
            case ALIAS -> kindName(region.aliasTarget(), isRoot);
            case CONTAINER -> isRoot ? "i/o" : "container";
        };
    }

    private void printFlatView(AddressSpace space) {
        FlatView view = space.flatView();
        out.append("FlatView #0\n");
        out.append(" AS \"").append(space.name()).append("\", root: ").append(space.root().name()).append('\n');
        out.append(" Root memory region: ").append(space.root().name()).append('\n');
        List<FlatRange> ranges = view.ranges();
        if (ranges.isEmpty()) {
            out.append(INDENT).append("No rendered FlatView\n");
        }
        for (int i = 0; i < ranges.size(); i++) {
            FlatRange range = ranges.get(i);
            int priority = view instanceof SortedFlatView sorted ? sorted.priority(i) : 0;
            out.append(INDENT).append(hex(range.start())).append('-').append(hex(range.end()))
                    .append(" (prio ").append(priority).append(", ")
                    .append(range.readOnly() ? "rom" : kindName(range.region(), false)).append("): ")
                    .append(range.region().name());
            if (range.offsetInRegion() != 0) {
                out.append(" @").append(hex(range.offsetInRegion()));
            }
            out.append('\n');
        }
        out.append('\n');
    }

    private static String hex(long value) {
        String digits = Long.toHexString(value);
        return "0".repeat(16 - digits.length()) + digits;
    }
}
