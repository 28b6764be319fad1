package org.osgemu.api.memory;

/**
 * Read and write callbacks of an MMIO region (QEMU's {@code MemoryRegionOps}).
 *
 * <p>Offsets are relative to the region start. Values are little-endian register values,
 * zero-extended to 64 bits on read. The core only calls the handler with sizes allowed by
 * the region's {@link AccessRules} ({@code implMin..implMax}). A guest mistake (reserved
 * offset, bad value) is logged by the device and ignored, never thrown; a handler may throw
 * {@link BusErrorException} to signal a bus error to the accessing CPU.
 */
public interface MmioHandler {

    /** Reads {@code size} bytes at {@code offset}. */
    long read(long offset, int size);

    /** Writes the low {@code size} bytes of {@code value} at {@code offset}. */
    void write(long offset, long value, int size);
}
