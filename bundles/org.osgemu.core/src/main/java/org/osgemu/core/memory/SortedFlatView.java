package org.osgemu.core.memory;

import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import org.osgemu.api.memory.FlatRange;
import org.osgemu.api.memory.FlatView;
import org.osgemu.api.memory.MemoryRegion;
import org.osgemu.api.memory.RamBlock;

/**
 * An immutable flat view kept as parallel arrays, so that a lookup is a binary search over
 * primitive longs and a RAM access needs no object besides the segment.
 */
final class SortedFlatView implements FlatView {

    /** Range starts with the sign bit flipped: signed order of these is unsigned order of addresses. */
    private final long[] startKeys;
    private final long[] lasts;
    private final FlatRange[] ranges;
    private final int[] priorities;
    /** For RAM and ROM: the backing segment and block, and segment offset minus address. */
    private final MemorySegment[] segments;
    private final RamBlock[] blocks;
    private final long[] segmentDeltas;
    private final List<FlatRange> rangeList;
    /**
     * The largest range (main RAM on a board), tried before the binary search: most guest
     * accesses land there, and a fixed guess costs no shared writes between vCPU threads.
     */
    private final int likely;
    private final long likelyStart;
    private final long likelySizeMinusOne;

    SortedFlatView(List<FlatViewRenderer.Piece> pieces) {
        int n = pieces.size();
        startKeys = new long[n];
        lasts = new long[n];
        ranges = new FlatRange[n];
        priorities = new int[n];
        segments = new MemorySegment[n];
        blocks = new RamBlock[n];
        segmentDeltas = new long[n];
        List<FlatRange> list = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            FlatViewRenderer.Piece p = pieces.get(i);
            startKeys[i] = p.first() ^ Long.MIN_VALUE;
            lasts[i] = p.last();
            ranges[i] = new FlatRange(p.first(), p.size(), p.region(), p.offsetInRegion(), p.readOnly());
            priorities[i] = p.priority();
            RamBlock block = p.region().ramBlock();
            if (block != null) {
                blocks[i] = block;
                segments[i] = block.segment();
                segmentDeltas[i] = p.offsetInRegion() - p.first();
            }
            list.add(ranges[i]);
        }
        rangeList = Collections.unmodifiableList(list);
        int largest = -1;
        for (int i = 0; i < n; i++) {
            if (largest < 0 || Long.compareUnsigned(lasts[i] - ranges[i].start(), lasts[largest] - ranges[largest].start()) > 0) {
                largest = i;
            }
        }
        // An empty view "guesses" index -1 (unassigned) for every address, which is the truth.
        likely = largest;
        likelyStart = largest < 0 ? 0 : ranges[largest].start();
        likelySizeMinusOne = largest < 0 ? -1 : lasts[largest] - likelyStart;
    }

    static SortedFlatView of(MemoryRegion root) {
        return new SortedFlatView(FlatViewRenderer.render(root));
    }

    @Override
    public List<FlatRange> ranges() {
        return rangeList;
    }

    @Override
    public FlatRange lookup(long address) {
        int i = indexOf(address);
        return i < 0 ? null : ranges[i];
    }

    /** Index of the range holding {@code address}, or -1 when it is unassigned. */
    int indexOf(long address) {
        if (Long.compareUnsigned(address - likelyStart, likelySizeMinusOne) <= 0) {
            return likely;
        }
        long key = address ^ Long.MIN_VALUE;
        int lo = 0;
        int hi = startKeys.length - 1;
        int found = -1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            if (startKeys[mid] <= key) {
                found = mid;
                lo = mid + 1;
            } else {
                hi = mid - 1;
            }
        }
        if (found < 0 || Long.compareUnsigned(address, lasts[found]) > 0) {
            return -1;
        }
        return found;
    }

    /** Whether {@code size} bytes from {@code address} stay inside range {@code i}. */
    boolean fits(int i, long address, long size) {
        return Long.compareUnsigned(lasts[i] - address, size - 1) >= 0;
    }

    int size() {
        return ranges.length;
    }

    FlatRange range(int i) {
        return ranges[i];
    }

    long start(int i) {
        return ranges[i].start();
    }

    long last(int i) {
        return lasts[i];
    }

    int priority(int i) {
        return priorities[i];
    }

    /** The backing segment of a RAM or ROM range, or null for MMIO. */
    MemorySegment segment(int i) {
        return segments[i];
    }

    RamBlock block(int i) {
        return blocks[i];
    }

    /** Segment offset of {@code address} in RAM or ROM range {@code i}. */
    long segmentOffset(int i, long address) {
        return address + segmentDeltas[i];
    }

    /** Region offset of {@code address} in range {@code i}. */
    long regionOffset(int i, long address) {
        return address - ranges[i].start() + ranges[i].offsetInRegion();
    }
}
