package org.osgemu.api.machine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.MemorySegment;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Proxy;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.osgemu.api.memory.AddressSpace;
import org.osgemu.api.memory.DirtyClient;
import org.osgemu.api.memory.FlatRange;
import org.osgemu.api.memory.FlatView;
import org.osgemu.api.memory.MemoryRegion;
import org.osgemu.api.memory.RamBlock;

/** What a {@link MachineControl} that implements only the required methods offers. */
class MachineControlDefaultsTest {

    /** A block with a name and a size, and nothing else. */
    private record Block(String name, long size) implements RamBlock {
        @Override public MemorySegment segment() { return MemorySegment.NULL; }
        @Override public void markDirty(long offset, long length) { }
        @Override public boolean isDirty(DirtyClient client, long offset) { return false; }
        @Override public boolean testAndClearDirty(DirtyClient client, long offset) { return false; }
        @Override public long dirtyPageCount(DirtyClient client) { return 0; }
    }

    /** A machine named {@code vm1} whose memory shows {@code ranges}; only its default methods work. */
    private static MachineControl machine(List<FlatRange> ranges) {
        FlatView view = new FlatView() {
            @Override public List<FlatRange> ranges() { return ranges; }
            @Override public FlatRange lookup(long address) { return null; }
        };
        AddressSpace memory = (AddressSpace) Proxy.newProxyInstance(MachineControlDefaultsTest.class.getClassLoader(),
                new Class<?>[] {AddressSpace.class}, (proxy, method, args) -> {
                    if (method.getName().equals("flatView")) return view;
                    throw new UnsupportedOperationException(method.getName());
                });
        InvocationHandler handler = (proxy, method, args) -> switch (method.getName()) {
            case "name" -> "vm1";
            case "memory" -> memory;
            default -> {
                if (method.isDefault()) yield InvocationHandler.invokeDefault(proxy, method, args);
                throw new UnsupportedOperationException(method.getName());
            }
        };
        return (MachineControl) Proxy.newProxyInstance(MachineControlDefaultsTest.class.getClassLoader(),
                new Class<?>[] {MachineControl.class}, handler);
    }

    @Test
    void ramBlocksAreTheMappedBlocksOnceEachInAddressOrder() {
        Block rom = new Block("rom", 0x1000);
        Block ram = new Block("ram", 0x10_0000);
        MemoryRegion romRegion = MemoryRegion.rom("rom", rom);
        MemoryRegion ramRegion = MemoryRegion.ram("ram", ram);
        MemoryRegion uart = MemoryRegion.container("uart", 0x100); // no block behind it
        List<FlatRange> ranges = List.of(
                new FlatRange(0x1000, 0x1000, romRegion, 0, true),
                new FlatRange(0x1000_0000L, 0x100, uart, 0, false),
                new FlatRange(0x8000_0000L, 0x8_0000, ramRegion, 0, false),
                new FlatRange(0x8008_0000L, 0x8_0000, ramRegion, 0x8_0000, false)); // split by an overlay

        assertEquals(List.of(rom, ram), machine(ranges).ramBlocks());
    }

    @Test
    void optionalFeaturesSayTheyAreMissingNamingTheMachine() {
        MachineControl m = machine(List.of());

        assertArrayEquals(new byte[0], m.deviceTree());
        assertEquals(-1L, m.vcpuThreadId(0));
        assertEquals(0, m.vcpuThrottle());
        UnsupportedOperationException clock = assertThrows(UnsupportedOperationException.class, m::virtualClockNanos);
        UnsupportedOperationException migration = assertThrows(UnsupportedOperationException.class,
                () -> m.transitionForMigration(RunState.PAUSED, RunState.FINISH_MIGRATE));
        assertTrue(clock.getMessage().contains("vm1"), clock.getMessage());
        assertTrue(migration.getMessage().contains("vm1"), migration.getMessage());
    }
}
