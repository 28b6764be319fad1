package org.osgemu.api.memory;

/**
 * One piece of a {@link FlatView}: {@code [start, start+size)} of the address space is served
 * by {@code region} from {@code offsetInRegion} on (aliases already resolved to the region
 * that holds the data).
 *
 * @param start first address covered
 * @param size number of bytes covered
 * @param region the terminal region (RAM, ROM or MMIO)
 * @param offsetInRegion offset inside {@code region} that {@code start} maps to
 * @param readOnly whether writes are refused (ROM, read-only aliases)
 */
public record FlatRange(long start, long size, MemoryRegion region, long offsetInRegion, boolean readOnly) {

    /** Last address covered (inclusive). */
    public long end() {
        return start + size - 1;
    }

    /** Whether {@code address} falls in this range (unsigned comparison). */
    public boolean contains(long address) {
        return Long.compareUnsigned(address, start) >= 0 && Long.compareUnsigned(address - start, size) < 0;
    }
}
