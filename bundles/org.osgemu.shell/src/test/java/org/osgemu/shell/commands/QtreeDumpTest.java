package org.osgemu.shell.commands;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.osgemu.api.memory.MemoryRegion;

class QtreeDumpTest {

    @Test
    void devicesAreListedOnTheSystemBusWithTheirMmioWindow() {
        MemoryRegion system = MemoryRegion.container("system", -1L);
        MemoryRegion uart = FakeDevices.mmio("serial", 0x100);
        system.addSubregion(0x10000000L, uart);

        String text = QtreeDump.format(List.of(FakeDevices.platform("serial0", "ns16550a", uart)), new FakeMemory(system));

        assertEquals("""
                bus: main-system-bus
                  type System
                  dev: ns16550a, id "serial0"
                    mmio 0000000010000000/0000000000000100""", text);
    }

    @Test
    void regionsInsideContainersAndBehindAliasesGetTheirAbsoluteBase() {
        MemoryRegion system = MemoryRegion.container("system", -1L);
        MemoryRegion soc = MemoryRegion.container("soc", 0x1000000);
        MemoryRegion plic = FakeDevices.mmio("plic", 0x600000);
        MemoryRegion rtc = FakeDevices.mmio("rtc", 0x1000);
        soc.addSubregion(0x4000, plic);
        system.addSubregion(0x0c000000L, soc);
        system.addSubregion(0x101000L, MemoryRegion.alias("rtc-window", rtc, 0, 0x1000));

        assertEquals(0x0c004000L, QtreeDump.baseAddress(system, plic).orElseThrow());
        assertEquals(0x101000L, QtreeDump.baseAddress(system, rtc).orElseThrow());
    }

    @Test
    void unplacedRegionShowsQemusUnmappedAddressAndRegionlessDevicesShowNoWindow() {
        MemoryRegion system = MemoryRegion.container("system", -1L);
        String text = QtreeDump.format(List.of(
                FakeDevices.platform("virtio0", "virtio-mmio", FakeDevices.mmio("virtio", 0x200)),
                FakeDevices.plain("hd0", "virtio-blk-device")), new FakeMemory(system));

        assertEquals("""
                bus: main-system-bus
                  type System
                  dev: virtio-mmio, id "virtio0"
                    mmio ffffffffffffffff/0000000000000200
                  dev: virtio-blk-device, id "hd0\"""", text);
    }
}
