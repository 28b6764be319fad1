package org.osgemu.core.memory;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.osgemu.api.memory.MemoryRegion;

/**
 * Renders a region tree into non-overlapping pieces. Subregions are visited highest priority
 * first (and, at equal priority, latest added first: the order {@link MemoryRegion#subregions()}
 * keeps), and each terminal region only fills the addresses nobody before it claimed, so the
 * winner of an overlap is the first one to reach it.
 *
 * <p>Addresses are unsigned 64-bit values and ranges are kept as inclusive {@code [first, last]}
 * so that the top of the address space needs no 65th bit.
 */
final class FlatViewRenderer {

    /** Deeper trees than this are taken for alias loops (an alias of a container inside itself). */
    private static final int MAX_DEPTH = 64;

    /** A rendered piece: {@code [first, last]} served by {@code region} from {@code offsetInRegion}. */
    record Piece(long first, long last, MemoryRegion region, long offsetInRegion, boolean readOnly, int priority) {
        long size() {
            return last - first + 1;
        }
    }

    private final TreeMap<Long, Piece> pieces = new TreeMap<>(Long::compareUnsigned);

    private FlatViewRenderer() {
    }

    /** The pieces of {@code root} placed at address 0, in ascending address order, adjacent pieces merged. */
    static List<Piece> render(MemoryRegion root) {
        FlatViewRenderer renderer = new FlatViewRenderer();
        renderer.place(root, 0, 0, lastOffset(root), 0, 0);
        return renderer.merged();
    }

    /**
     * The offset of the last byte of {@code region}; a container made with size {@code -1L}
     * stands for the whole 64-bit space.
     */
    static long lastOffset(MemoryRegion region) {
        if (region.kind() == MemoryRegion.Kind.CONTAINER && region.size() == Long.MAX_VALUE) {
            return -1L;
        }
        return region.size() - 1;
    }

    /**
     * Places {@code region} with its offset 0 at address {@code base} (modulo 2^64, since an alias
     * showing the upper part of a region moves the region's start below address 0), limited to
     * the addresses {@code [first, last]}, which all lie inside the region.
     */
    private void place(MemoryRegion region, long base, long first, long last, int priority, int depth) {
        if (!region.isEnabled()) {
            return;
        }
        if (depth > MAX_DEPTH) {
            throw new IllegalStateException("memory region " + region.name() + " is nested more than "
                    + MAX_DEPTH + " levels deep; is an alias showing one of its own containers?");
        }
        switch (region.kind()) {
            case ALIAS -> place(region.aliasTarget(), base - region.aliasOffset(), first, last, 0, depth + 1);
            case CONTAINER -> placeSubregions(region, base, first, last, depth);
            case RAM, ROM, MMIO -> fill(first, last, region, first - base,
                    region.kind() == MemoryRegion.Kind.ROM, priority);
        }
    }

    private void placeSubregions(MemoryRegion container, long base, long first, long last, int depth) {
        // Inside the container the clip is a plain ascending range of offsets: every clipped
        // address lies in the container, whose size is below 2^64.
        long clipFirst = first - base;
        long clipLast = last - base;
        for (MemoryRegion.Subregion sub : container.subregions()) {
            long subFirst = sub.offset();
            long subLast = sub.offset() + lastOffset(sub.region());
            long lo = Long.compareUnsigned(clipFirst, subFirst) >= 0 ? clipFirst : subFirst;
            long hi = Long.compareUnsigned(clipLast, subLast) <= 0 ? clipLast : subLast;
            if (Long.compareUnsigned(lo, hi) <= 0) {
                place(sub.region(), base + sub.offset(), base + lo, base + hi, sub.priority(), depth + 1);
            }
        }
    }

    /** Gives {@code region} the parts of {@code [first, last]} that no earlier region took. */
    private void fill(long first, long last, MemoryRegion region, long offsetAtFirst, boolean readOnly, int priority) {
        long cursor = first;
        while (true) {
            Map.Entry<Long, Piece> below = pieces.floorEntry(cursor);
            if (below != null && Long.compareUnsigned(below.getValue().last(), cursor) >= 0) {
                long takenUpTo = below.getValue().last();
                if (Long.compareUnsigned(takenUpTo, last) >= 0) {
                    return;
                }
                cursor = takenUpTo + 1;
                continue;
            }
            Map.Entry<Long, Piece> above = pieces.higherEntry(cursor);
            long gapLast = above == null || Long.compareUnsigned(above.getKey(), last) > 0 ? last : above.getKey() - 1;
            pieces.put(cursor, new Piece(cursor, gapLast, region, offsetAtFirst + (cursor - first), readOnly, priority));
            if (gapLast == last) {
                return;
            }
            cursor = gapLast + 1;
        }
    }

    /** Joins neighbours that continue each other (a region split only by the order of rendering). */
    private List<Piece> merged() {
        List<Piece> out = new ArrayList<>(pieces.size());
        for (Piece piece : pieces.values()) {
            int lastIndex = out.size() - 1;
            if (lastIndex >= 0) {
                Piece prev = out.get(lastIndex);
                boolean continues = prev.last() + 1 == piece.first()
                        && prev.region() == piece.region()
                        && prev.offsetInRegion() + prev.size() == piece.offsetInRegion()
                        && prev.readOnly() == piece.readOnly()
                        && prev.priority() == piece.priority();
                if (continues) {
                    out.set(lastIndex, new Piece(prev.first(), piece.last(), prev.region(), prev.offsetInRegion(),
                            prev.readOnly(), prev.priority()));
                    continue;
                }
            }
            out.add(piece);
        }
        return out;
    }
}
