package org.osgemu.core.memory;

import org.osgemu.api.memory.AccessRules;
import org.osgemu.api.memory.BusErrorException;
import org.osgemu.api.memory.MemoryRegion;
import org.osgemu.api.memory.MmioHandler;

/**
 * Turns a guest access into the accesses an MMIO handler implements: the guest size must be
 * one of the region's valid sizes (else a bus error); a size wider than the handler takes is
 * split into several accesses of its largest size, and a narrower one becomes accesses of its
 * smallest size on aligned offsets, of which only the addressed bytes are used (a write passes
 * its bytes shifted into place, the others zero).
 */
final class MmioDispatch {

    private MmioDispatch() {
    }

    static long read(MemoryRegion region, long offset, int size, long address) {
        AccessRules rules = checkValid(region, offset, size, address, false);
        MmioHandler handler = region.handler();
        if (size >= rules.implMin() && size <= rules.implMax()) {
            return handler.read(offset, size) & GuestMemoryAccess.mask(size);
        }
        int unit = unit(rules, size);
        long value = 0;
        for (long at = firstUnit(offset, size, unit); at < offset + size; at += unit) {
            long lo = Math.max(at, offset);
            long hi = Math.min(at + unit, offset + size);
            long unitValue = handler.read(at, unit);
            long bytes = (unitValue >>> ((lo - at) * 8)) & GuestMemoryAccess.mask((int) (hi - lo));
            value |= bytes << ((lo - offset) * 8);
        }
        return value;
    }

    static void write(MemoryRegion region, long offset, long value, int size, long address) {
        AccessRules rules = checkValid(region, offset, size, address, true);
        MmioHandler handler = region.handler();
        if (size >= rules.implMin() && size <= rules.implMax()) {
            handler.write(offset, value & GuestMemoryAccess.mask(size), size);
            return;
        }
        int unit = unit(rules, size);
        for (long at = firstUnit(offset, size, unit); at < offset + size; at += unit) {
            long lo = Math.max(at, offset);
            long hi = Math.min(at + unit, offset + size);
            long bytes = (value >>> ((lo - offset) * 8)) & GuestMemoryAccess.mask((int) (hi - lo));
            handler.write(at, bytes << ((lo - at) * 8), unit);
        }
    }

    /**
     * The largest access size up to {@code max} that the region accepts at {@code offset}, for
     * byte-block copies through MMIO; 0 when none fits.
     */
    static int bestSize(MemoryRegion region, long offset, long max) {
        AccessRules rules = region.rules();
        for (int size = 8; size >= 1; size >>= 1) {
            if (size <= max && rules.accepts(offset, size)) {
                return size;
            }
        }
        return 0;
    }

    private static AccessRules checkValid(MemoryRegion region, long offset, int size, long address, boolean write) {
        AccessRules rules = region.rules();
        if (!rules.accepts(offset, size)) {
            throw new BusErrorException(address, size, write, String.format("%s takes %saccesses of %d to %d bytes",
                    region.name(), rules.unaligned() ? "" : "aligned ", rules.validMin(), rules.validMax()));
        }
        return rules;
    }

    /** The handler access size used for a guest access of {@code size} outside impl. */
    private static int unit(AccessRules rules, int size) {
        return size > rules.implMax() ? rules.implMax() : rules.implMin();
    }

    /** Where the handler accesses start: at the guest offset when splitting, aligned down when widening. */
    private static long firstUnit(long offset, int size, int unit) {
        return size > unit ? offset : offset & -unit;
    }
}
