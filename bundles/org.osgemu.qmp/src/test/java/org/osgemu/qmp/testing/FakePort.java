package org.osgemu.qmp.testing;

import org.osgemu.api.device.Device;

/** A device that plugs into another device's bus (like a virtconsole): a plain {@link Device}, never placed by the board. */
public record FakePort(String id, String type) implements Device {

    @Override public void reset() { }
}
