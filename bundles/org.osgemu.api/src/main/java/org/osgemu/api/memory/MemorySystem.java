package org.osgemu.api.memory;

/**
 * Service that allocates guest RAM and builds address spaces over region trees; provided by
 * the core.
 */
public interface MemorySystem {

    /** Allocates zeroed off-heap RAM of {@code size} bytes (a multiple of the page size). */
    RamBlock allocateRam(String name, long size);

    /** An address space rendering {@code root}; it follows later changes of the tree. */
    AddressSpace createAddressSpace(String name, MemoryRegion root);

    /** The region tree below {@code space} laid out as QEMU's {@code info mtree} does. */
    String describeTree(AddressSpace space, boolean flatView);
}
