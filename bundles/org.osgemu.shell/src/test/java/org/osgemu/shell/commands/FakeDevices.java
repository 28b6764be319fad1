package org.osgemu.shell.commands;

import org.osgemu.api.device.Device;
import org.osgemu.api.device.DeviceContext;
import org.osgemu.api.device.DevicePlacement;
import org.osgemu.api.device.PlatformDevice;
import org.osgemu.api.fdt.FdtNode;
import org.osgemu.api.memory.AccessRules;
import org.osgemu.api.memory.MemoryRegion;
import org.osgemu.api.memory.MmioHandler;

/** Devices for the qtree: an MMIO device and one without a region. */
final class FakeDevices {

    private FakeDevices() {
    }

    static MemoryRegion mmio(String name, long size) {
        MmioHandler silent = new MmioHandler() {
            @Override public long read(long offset, int size) { return 0; }
            @Override public void write(long offset, long value, int size) { }
        };
        return MemoryRegion.mmio(name, size, silent, AccessRules.ANY);
    }

    static PlatformDevice platform(String id, String type, MemoryRegion region) {
        return new PlatformDevice() {
            @Override public String id() { return id; }
            @Override public String type() { return type; }
            @Override public void reset() { }
            @Override public MemoryRegion region() { return region; }
            @Override public void realize(DeviceContext context) { }
            @Override public void unrealize() { }
            @Override public FdtNode describe(DevicePlacement placement) { return null; }
        };
    }

    static Device plain(String id, String type) {
        return new Device() {
            @Override public String id() { return id; }
            @Override public String type() { return type; }
            @Override public void reset() { }
        };
    }
}
