package org.osgemu.core.memory;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.osgemu.api.memory.AccessRules;
import org.osgemu.api.memory.BusErrorException;
import org.osgemu.api.memory.MemoryRegion;
import org.osgemu.api.memory.RamBlock;
import org.osgemu.core.memory.RecordingMmio.Access;

class AddressSpaceDispatchTest {

    private static final long RAM_BASE = 0x8000_0000L;
    private static final long ROM_BASE = 0x1000;
    private static final long DEV_BASE = 0x1000_0000L;

    private final RamAllocator allocator = new RamAllocator("test");
    private final MemoryRegion system = MemoryRegion.container("system", -1L);
    private final DispatchingAddressSpace space = new DispatchingAddressSpace("memory", system);
    private final RamBlock ram = allocator.allocate("ram", 0x10000);
    private final RamBlock rom = allocator.allocate("rom", 0x1000);

    AddressSpaceDispatchTest() {
        system.addSubregion(RAM_BASE, MemoryRegion.ram("ram", ram));
        system.addSubregion(ROM_BASE, MemoryRegion.rom("rom", rom));
    }

    @AfterEach
    void freeRam() {
        space.close();
        allocator.close();
    }

    private RecordingMmio device(AccessRules rules) {
        RecordingMmio handler = new RecordingMmio();
        system.addSubregion(DEV_BASE, MemoryRegion.mmio("dev", 0x100, handler, rules));
        return handler;
    }

    @Test
    void ramIsLittleEndianAtEverySize() {
        space.write(RAM_BASE, 0x1122_3344_5566_7788L, 8);

        assertEquals(0x88, space.read(RAM_BASE, 1));
        assertEquals(0x7788, space.read(RAM_BASE, 2));
        assertEquals(0x5566_7788L, space.read(RAM_BASE, 4));
        assertEquals(0x2233, space.read(RAM_BASE + 5, 2), "unaligned RAM accesses are allowed");
        assertEquals(0, space.read(RAM_BASE + 0x10, 8), "RAM starts zeroed");
    }

    @Test
    void narrowWriteLeavesTheOtherBytesAndReadIsZeroExtended() {
        space.write(RAM_BASE, -1L, 8);
        space.write(RAM_BASE + 2, 0xabcd_0000_0012L, 1);

        assertEquals(0xffff_ffff_ff12_ffffL, space.read(RAM_BASE, 8));
        assertEquals(0xffff_ffffL, space.read(RAM_BASE + 4, 4));
    }

    @Test
    void unassignedAddressIsABusError() {
        BusErrorException e = assertThrows(BusErrorException.class, () -> space.read(0x4000_0000L, 4));
        assertEquals(0x4000_0000L, e.address());
        assertEquals(4, e.size());
        assertThrows(BusErrorException.class, () -> space.write(0x4000_0000L, 1, 4));
    }

    @Test
    void accessRunningPastTheEndOfARangeIsABusError() {
        assertThrows(BusErrorException.class, () -> space.read(RAM_BASE + 0x10000 - 4, 8));
        assertThrows(BusErrorException.class, () -> space.write(RAM_BASE - 2, 0, 4));
    }

    @Test
    void romWritesAreRefusedButTheLoaderCanFillIt() {
        BusErrorException e = assertThrows(BusErrorException.class, () -> space.write(ROM_BASE, 0x13, 4));
        assertTrue(e.isWrite());
        assertThrows(BusErrorException.class, () -> space.writeBytes(ROM_BASE, new byte[4], 0, 4));

        space.loadBytes(ROM_BASE + 4, new byte[] {0x13, 0, 0, 0, 0x73}, 0, 5);

        assertEquals(0x13, space.read(ROM_BASE + 4, 4));
        assertEquals(0x73, space.read(ROM_BASE + 8, 1));
    }

    @Test
    void blockCopiesCrossRegionsAndRefuseHoles() {
        RecordingMmio dev = device(AccessRules.sizes(4, 4));
        byte[] data = {1, 2, 3, 4, 5, 6, 7, 8};
        space.writeBytes(RAM_BASE + 0xfffc, data, 0, 4);

        byte[] back = new byte[4];
        space.readBytes(RAM_BASE + 0xfffc, back, 0, 4);
        assertArrayEquals(new byte[] {1, 2, 3, 4}, back);

        byte[] fromDevice = new byte[8];
        space.readBytes(DEV_BASE, fromDevice, 0, 8);
        assertArrayEquals(new byte[] {0x10, 0x11, 0x12, 0x13, 0x14, 0x15, 0x16, 0x17}, fromDevice);
        assertEquals(List.of(new Access(false, 0, 4, 0x13121110L), new Access(false, 4, 4, 0x17161514L)), dev.accesses);

        assertThrows(BusErrorException.class, () -> space.writeBytes(RAM_BASE + 0xfffc, data, 0, 8));
        space.readBytes(RAM_BASE + 0xfffc, back, 0, 4);
        assertArrayEquals(new byte[] {1, 2, 3, 4}, back, "a refused copy writes nothing");
    }

    @Test
    void mmioAccessWithinImplSizesGoesStraightToTheHandler() {
        RecordingMmio dev = device(AccessRules.ANY);

        assertEquals(0x1716_1514L, space.read(DEV_BASE + 4, 4));
        space.write(DEV_BASE + 8, 0xaabb, 2);

        assertEquals(List.of(new Access(false, 4, 4, 0x17161514L), new Access(true, 8, 2, 0xaabb)), dev.accesses);
    }

    @Test
    void wideAccessIsSplitIntoImplMaxPiecesCombinedLittleEndian() {
        RecordingMmio dev = device(AccessRules.sizes(1, 8, 1, 4));

        assertEquals(0x1f1e_1d1c_1b1a_1918L, space.read(DEV_BASE + 8, 8));
        space.write(DEV_BASE + 0x10, 0x8877_6655_4433_2211L, 8);

        assertEquals(List.of(
                new Access(false, 8, 4, 0x1b1a1918L), new Access(false, 12, 4, 0x1f1e1d1cL),
                new Access(true, 0x10, 4, 0x44332211L), new Access(true, 0x14, 4, 0x88776655L)), dev.accesses);
    }

    @Test
    void narrowAccessIsWidenedToAnAlignedImplMinAccess() {
        RecordingMmio dev = device(AccessRules.sizes(1, 4, 4, 4));

        assertEquals(0x16, space.read(DEV_BASE + 6, 1));
        assertEquals(0x1514, space.read(DEV_BASE + 4, 2));
        space.write(DEV_BASE + 7, 0xab, 1);
        space.write(DEV_BASE + 2, 0x1234, 2);

        assertEquals(List.of(
                new Access(false, 4, 4, 0x17161514L), new Access(false, 4, 4, 0x17161514L),
                new Access(true, 4, 4, 0xab00_0000L), new Access(true, 0, 4, 0x1234_0000L)), dev.accesses);
    }

    @Test
    void unalignedNarrowAccessStraddlingTwoWordsUsesBoth() {
        RecordingMmio dev = device(new AccessRules(1, 4, true, 4, 4));

        assertEquals(0x1413, space.read(DEV_BASE + 3, 2));
        assertEquals(List.of(new Access(false, 0, 4, 0x13121110L), new Access(false, 4, 4, 0x17161514L)), dev.accesses);
    }

    @Test
    void accessOutsideTheValidSizesOrMisalignedIsABusErrorTheDeviceNeverSees() {
        RecordingMmio dev = device(AccessRules.sizes(4, 4));

        BusErrorException tooSmall = assertThrows(BusErrorException.class, () -> space.read(DEV_BASE, 1));
        assertTrue(tooSmall.getMessage().contains("dev"), tooSmall.getMessage());
        assertThrows(BusErrorException.class, () -> space.write(DEV_BASE, 0, 8));
        assertThrows(BusErrorException.class, () -> space.read(DEV_BASE + 2, 4));
        assertThrows(BusErrorException.class, () -> space.read(DEV_BASE + 0xfe, 4), "runs past the region");
        assertEquals(List.of(), dev.accesses);
    }

    @Test
    void badAccessSizeIsACallerBug() {
        assertThrows(IllegalArgumentException.class, () -> space.read(RAM_BASE, 3));
        assertThrows(IllegalArgumentException.class, () -> space.write(RAM_BASE, 0, 16));
    }

    @Test
    void aliasDispatchesToItsTarget() {
        system.addSubregion(0x2000_0000L, MemoryRegion.alias("ram-alias", MemoryRegion.ram("ram2",
                allocator.allocate("ram2", 0x2000)), 0x1000, 0x1000));
        space.write(0x2000_0010L, 0x5a, 1);

        assertEquals(0x5a, space.read(0x2000_0010L, 1));
        assertEquals(0x2000_0000L, space.flatView().lookup(0x2000_0010L).start());
        assertEquals(0x1000, space.flatView().lookup(0x2000_0010L).offsetInRegion());
    }
}
