package org.osgemu.qmp.testing;

import org.osgemu.api.device.DeviceContext;
import org.osgemu.api.device.DevicePlacement;
import org.osgemu.api.device.PlatformDevice;
import org.osgemu.api.fdt.FdtNode;
import org.osgemu.api.memory.MemoryRegion;

/** A device that only has an id and a type. */
public record FakeDevice(String id, String type) implements PlatformDevice {

    @Override public void reset() { }
    @Override public MemoryRegion region() { return null; }
    @Override public void realize(DeviceContext context) { }
    @Override public void unrealize() { }
    @Override public FdtNode describe(DevicePlacement placement) { return null; }
}
