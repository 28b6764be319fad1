package org.osgemu.migration;

import org.osgemu.api.device.Device;
import org.osgemu.api.vmstate.Migratable;
import org.osgemu.api.vmstate.VMStateDescription;

/** A device with one migratable register, whose VMState version a test chooses, and which can fail to save. */
final class FakeDevice implements Device, Migratable<FakeDeviceState> {

    private final String id;
    private final VMStateDescription<FakeDeviceState> vmstate;
    volatile int value;
    volatile boolean failToSave;

    FakeDevice(String id, int version) {
        this.id = id;
        this.vmstate = VMStateDescription.builder("fake-device", FakeDeviceState.class).version(version).u32("value").build();
    }

    @Override public String id() { return id; }
    @Override public String type() { return "fake-device"; }
    @Override public void reset() { value = 0; }
    @Override public VMStateDescription<FakeDeviceState> vmstate() { return vmstate; }

    @Override
    public FakeDeviceState saveState() {
        if (failToSave) {
            throw new IllegalStateException("fake-device " + id + " cannot save now");
        }
        return new FakeDeviceState(value);
    }

    @Override
    public void loadState(FakeDeviceState state) {
        value = state.value();
    }
}
