package org.osgemu.api.memory;

/**
 * What a bus master (CPU, DMA-capable device) sees: a region tree rendered into a
 * {@link FlatView}, with dispatch. Accesses to unassigned addresses, with a size or alignment
 * the target region refuses, or writes to ROM throw {@link BusErrorException}.
 */
public interface AddressSpace {

    /** Name, as {@code info mtree} prints it. */
    String name();

    /** Root of the region tree. */
    MemoryRegion root();

    /** The current flat view; a new object after every change of the tree. */
    FlatView flatView();

    /** Reads {@code size} (1, 2, 4, 8) bytes, little-endian, zero-extended. */
    long read(long address, int size);

    /** Writes the low {@code size} bytes of {@code value}, little-endian. */
    void write(long address, long value, int size);

    /** Copies {@code length} bytes from guest memory into {@code dst}; any bus error aborts. */
    void readBytes(long address, byte[] dst, int offset, int length);

    /** Copies bytes into guest memory (ROM included: this is the loader's path, like QEMU's rom loading). */
    void loadBytes(long address, byte[] src, int offset, int length);

    /** Writes bytes as a bus master would (ROM refused). */
    void writeBytes(long address, byte[] src, int offset, int length);
}
