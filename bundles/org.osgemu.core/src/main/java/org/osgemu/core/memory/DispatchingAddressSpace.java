package org.osgemu.core.memory;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Objects;

import org.osgemu.api.memory.AddressSpace;
import org.osgemu.api.memory.BusErrorException;
import org.osgemu.api.memory.FlatView;
import org.osgemu.api.memory.MemoryRegion;
import org.osgemu.api.memory.RamBlock;

/**
 * An address space over a region tree: it renders the tree into a {@link SortedFlatView} again
 * whenever the tree changes and publishes the new view through a volatile field, so a vCPU
 * thread always dispatches on a complete view. RAM and ROM are plain segment accesses (RAM
 * stores mark the dirty bitmaps); MMIO goes through the region's {@link MmioDispatch} rules.
 *
 * <p>RAM and ROM take any size at any alignment: alignment faults are the CPU's business.
 *
 * <p>During a postcopy migration's destination phase a RAM page may not have arrived yet: every
 * RAM access here first waits for the pages it touches ({@link RamBlock#awaitPresent}), which
 * costs one field read when no postcopy runs. The callers (devices' DMA, loaders, debuggers) are
 * not vCPUs that could retry, so they wait until the page arrives.
 */
public final class DispatchingAddressSpace implements AddressSpace, AutoCloseable {

    private final String name;
    private final MemoryRegion root;
    private final Runnable rebuild = this::rebuild;
    private volatile SortedFlatView view;

    /** An address space named {@code name} that follows the tree below {@code root} until closed. */
    public DispatchingAddressSpace(String name, MemoryRegion root) {
        this.name = Objects.requireNonNull(name, "name");
        this.root = Objects.requireNonNull(root, "root");
        root.addListener(rebuild);
        rebuild();
    }

    /** Renders the tree afresh; serialized so that the last change is also the last view published. */
    private synchronized void rebuild() {
        view = SortedFlatView.of(root);
    }

    /** Stops following the tree; the last view stays usable. */
    @Override
    public void close() {
        root.removeListener(rebuild);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public MemoryRegion root() {
        return root;
    }

    @Override
    public FlatView flatView() {
        return view;
    }

    /** The current view with the extra data {@code info mtree -f} prints (priorities). */
    SortedFlatView sortedView() {
        return view;
    }

    @Override
    public long read(long address, int size) {
        if (!GuestMemoryAccess.isAccessSize(size)) {
            throw GuestMemoryAccess.badSize(size);
        }
        SortedFlatView v = view;
        int i = v.indexOf(address);
        if (i < 0 || !v.fits(i, address, size)) {
            throw unassigned(v, i, address, size, false);
        }
        MemorySegment segment = v.segment(i);
        if (segment != null) {
            long offset = v.segmentOffset(i, address);
            v.block(i).awaitPresent(offset, size);
            return GuestMemoryAccess.read(segment, offset, size);
        }
        return MmioDispatch.read(v.range(i).region(), v.regionOffset(i, address), size, address);
    }

    @Override
    public void write(long address, long value, int size) {
        if (!GuestMemoryAccess.isAccessSize(size)) {
            throw GuestMemoryAccess.badSize(size);
        }
        SortedFlatView v = view;
        int i = v.indexOf(address);
        if (i < 0 || !v.fits(i, address, size)) {
            throw unassigned(v, i, address, size, true);
        }
        MemorySegment segment = v.segment(i);
        if (segment != null) {
            if (v.range(i).readOnly()) {
                throw readOnly(v, i, address, size);
            }
            long offset = v.segmentOffset(i, address);
            v.block(i).awaitPresent(offset, size);
            GuestMemoryAccess.write(segment, offset, value, size);
            v.block(i).markDirty(offset, size);
            return;
        }
        MmioDispatch.write(v.range(i).region(), v.regionOffset(i, address), value, size, address);
    }

    @Override
    public void readBytes(long address, byte[] dst, int offset, int length) {
        Objects.checkFromIndexSize(offset, length, dst.length);
        SortedFlatView v = view;
        checkMapped(v, address, length, false);
        long done = 0;
        while (done < length) {
            long at = address + done;
            int i = v.indexOf(at);
            int chunk = (int) Math.min(length - done, v.last(i) - at + 1);
            MemorySegment segment = v.segment(i);
            if (segment != null) {
                long segmentOffset = v.segmentOffset(i, at);
                v.block(i).awaitPresent(segmentOffset, chunk);
                MemorySegment.copy(segment, ValueLayout.JAVA_BYTE, segmentOffset, dst, offset + (int) done, chunk);
            } else {
                mmioReadBytes(v, i, at, dst, offset + (int) done, chunk);
            }
            done += chunk;
        }
    }

    @Override
    public void writeBytes(long address, byte[] src, int offset, int length) {
        copyIn(address, src, offset, length, false);
    }

    @Override
    public void loadBytes(long address, byte[] src, int offset, int length) {
        copyIn(address, src, offset, length, true);
    }

    private void copyIn(long address, byte[] src, int offset, int length, boolean romWritable) {
        Objects.checkFromIndexSize(offset, length, src.length);
        SortedFlatView v = view;
        checkMapped(v, address, length, !romWritable);
        long done = 0;
        while (done < length) {
            long at = address + done;
            int i = v.indexOf(at);
            int chunk = (int) Math.min(length - done, v.last(i) - at + 1);
            MemorySegment segment = v.segment(i);
            if (segment != null) {
                long segmentOffset = v.segmentOffset(i, at);
                RamBlock block = v.block(i);
                block.awaitPresent(segmentOffset, chunk); // an absent page's late copy would overwrite these bytes
                MemorySegment.copy(src, offset + (int) done, segment, ValueLayout.JAVA_BYTE, segmentOffset, chunk);
                block.markDirty(segmentOffset, chunk);
            } else {
                mmioWriteBytes(v, i, at, src, offset + (int) done, chunk);
            }
            done += chunk;
        }
    }

    /** Refuses a block transfer up front when any byte of it is unassigned (or ROM, for bus-master writes). */
    private static void checkMapped(SortedFlatView v, long address, int length, boolean refuseReadOnly) {
        if (length == 0) {
            return;
        }
        if (Long.compareUnsigned(address + length - 1, address) < 0) {
            throw new BusErrorException(address, length, refuseReadOnly, "runs past the end of the address space");
        }
        long at = address;
        long last = address + length - 1;
        while (true) {
            int i = v.indexOf(at);
            if (i < 0) {
                throw new BusErrorException(address, length, refuseReadOnly,
                        String.format("0x%x is not assigned", at));
            }
            if (refuseReadOnly && v.range(i).readOnly()) {
                throw new BusErrorException(address, length, true,
                        String.format("0x%x is read-only (%s)", at, v.range(i).region().name()));
            }
            if (Long.compareUnsigned(v.last(i), last) >= 0) {
                return;
            }
            at = v.last(i) + 1;
        }
    }

    private static void mmioReadBytes(SortedFlatView v, int i, long address, byte[] dst, int offset, int length) {
        MemoryRegion region = v.range(i).region();
        for (int done = 0; done < length; ) {
            long regionOffset = v.regionOffset(i, address + done);
            int size = mmioChunk(region, regionOffset, length - done, address + done, false);
            long value = MmioDispatch.read(region, regionOffset, size, address + done);
            for (int b = 0; b < size; b++) {
                dst[offset + done + b] = (byte) (value >>> (8 * b));
            }
            done += size;
        }
    }

    private static void mmioWriteBytes(SortedFlatView v, int i, long address, byte[] src, int offset, int length) {
        MemoryRegion region = v.range(i).region();
        for (int done = 0; done < length; ) {
            long regionOffset = v.regionOffset(i, address + done);
            int size = mmioChunk(region, regionOffset, length - done, address + done, true);
            long value = 0;
            for (int b = 0; b < size; b++) {
                value |= (src[offset + done + b] & 0xffL) << (8 * b);
            }
            MmioDispatch.write(region, regionOffset, value, size, address + done);
            done += size;
        }
    }

    private static int mmioChunk(MemoryRegion region, long regionOffset, int remaining, long address, boolean write) {
        int size = MmioDispatch.bestSize(region, regionOffset, remaining);
        if (size == 0) {
            throw new BusErrorException(address, remaining, write,
                    region.name() + " takes no access size that fits the remaining " + remaining + " byte(s)");
        }
        return size;
    }

    private static BusErrorException unassigned(SortedFlatView v, int i, long address, int size, boolean write) {
        if (i < 0) {
            return new BusErrorException(address, size, write, "unassigned address");
        }
        return new BusErrorException(address, size, write, "access runs past the end of " + v.range(i).region().name());
    }

    private static BusErrorException readOnly(SortedFlatView v, int i, long address, int size) {
        return new BusErrorException(address, size, true, v.range(i).region().name() + " is read-only");
    }

    @Override
    public String toString() {
        return "AddressSpace[" + name + "]";
    }
}
