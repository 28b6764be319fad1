package org.osgemu.cpu.riscv.testing;

import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import org.osgemu.api.memory.AddressSpace;
import org.osgemu.api.memory.BusErrorException;
import org.osgemu.api.memory.FlatRange;
import org.osgemu.api.memory.FlatView;
import org.osgemu.api.memory.MemoryRegion;
import org.osgemu.api.memory.RamBlock;

/**
 * A minimal address space for tests: regions placed at fixed addresses without overlap, a new
 * flat view after every change (as the core does), and bus errors for holes, refused sizes and
 * ROM writes.
 */
public final class TestBus implements AddressSpace {

    private final MemoryRegion root = MemoryRegion.container("system", -1L);
    private final List<FlatRange> ranges = new ArrayList<>();
    private volatile FlatView view = newView();

    /** Maps {@code region} at {@code base}. */
    public synchronized TestBus map(long base, MemoryRegion region) {
        ranges.add(new FlatRange(base, region.size(), region, 0, region.kind() == MemoryRegion.Kind.ROM));
        ranges.sort(Comparator.comparingLong(FlatRange::start));
        view = newView();
        return this;
    }

    /** Removes the region mapped at {@code base}. */
    public synchronized void unmap(long base) {
        ranges.removeIf(r -> r.start() == base);
        view = newView();
    }

    private FlatView newView() {
        List<FlatRange> copy = List.copyOf(ranges);
        return new FlatView() {
            @Override
            public List<FlatRange> ranges() {
                return copy;
            }

            @Override
            public FlatRange lookup(long address) {
                for (FlatRange r : copy) {
                    if (r.contains(address)) {
                        return r;
                    }
                }
                return null;
            }
        };
    }

    @Override public String name() { return "test"; }
    @Override public MemoryRegion root() { return root; }
    @Override public FlatView flatView() { return view; }

    private FlatRange range(long address, int size, boolean write) {
        FlatRange r = view.lookup(address);
        if (r == null || !r.contains(address + size - 1)) {
            throw new BusErrorException(address, size, write, "unassigned");
        }
        if (r.region().kind() == MemoryRegion.Kind.MMIO && !r.region().rules().accepts(address - r.start(), size)) {
            throw new BusErrorException(address, size, write, "refused by " + r.region().name());
        }
        return r;
    }

    @Override
    public long read(long address, int size) {
        FlatRange r = range(address, size, false);
        long offset = address - r.start() + r.offsetInRegion();
        RamBlock block = r.region().ramBlock();
        if (block != null) {
            long v = 0;
            for (int i = size - 1; i >= 0; i--) {
                v = v << 8 | (block.segment().get(ValueLayout.JAVA_BYTE, offset + i) & 0xFF);
            }
            return v;
        }
        return r.region().handler().read(offset, size);
    }

    @Override
    public void write(long address, long value, int size) {
        FlatRange r = range(address, size, true);
        if (r.readOnly()) {
            throw new BusErrorException(address, size, true, "read-only");
        }
        long offset = address - r.start() + r.offsetInRegion();
        RamBlock block = r.region().ramBlock();
        if (block != null) {
            for (int i = 0; i < size; i++) {
                block.segment().set(ValueLayout.JAVA_BYTE, offset + i, (byte) (value >>> (8 * i)));
            }
            block.markDirty(offset, size);
            return;
        }
        r.region().handler().write(offset, value, size);
    }

    @Override
    public void readBytes(long address, byte[] dst, int offset, int length) {
        for (int i = 0; i < length; i++) {
            dst[offset + i] = (byte) read(address + i, 1);
        }
    }

    @Override
    public void loadBytes(long address, byte[] src, int offset, int length) {
        for (int i = 0; i < length; i++) {
            FlatRange r = range(address + i, 1, true);
            r.region().ramBlock().segment().set(ValueLayout.JAVA_BYTE,
                    address + i - r.start() + r.offsetInRegion(), src[offset + i]);
        }
    }

    @Override
    public void writeBytes(long address, byte[] src, int offset, int length) {
        for (int i = 0; i < length; i++) {
            write(address + i, src[offset + i], 1);
        }
    }
}
