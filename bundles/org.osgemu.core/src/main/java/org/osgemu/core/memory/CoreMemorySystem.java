package org.osgemu.core.memory;

import java.util.Objects;

import org.osgemu.api.memory.AddressSpace;
import org.osgemu.api.memory.MemoryRegion;
import org.osgemu.api.memory.MemorySystem;
import org.osgemu.api.memory.RamBlock;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;

/**
 * The memory service: off-heap RAM blocks, address spaces over region trees and the
 * {@code info mtree} layout. RAM allocated here is freed when the service goes away; machines
 * made by the machine runtime factory own their RAM instead and free it when destroyed.
 */
@Component(service = MemorySystem.class, immediate = true, configurationPolicy = ConfigurationPolicy.IGNORE)
public final class CoreMemorySystem implements MemorySystem {

    private final RamAllocator allocator = new RamAllocator("memory system");

    @Activate
    public CoreMemorySystem() {
    }

    @Override
    public RamBlock allocateRam(String name, long size) {
        return allocator.allocate(name, size);
    }

    @Override
    public AddressSpace createAddressSpace(String name, MemoryRegion root) {
        return new DispatchingAddressSpace(name, root);
    }

    @Override
    public String describeTree(AddressSpace space, boolean flatView) {
        return MemoryTreePrinter.describe(Objects.requireNonNull(space, "space"), flatView);
    }

    @Deactivate
    void deactivate() {
        allocator.close();
    }
}
