package org.osgemu.migration;

import org.osgemu.api.vmstate.VMStateDescription;

/** Migration state of a {@link FakeHart}: public, as VMState binds records through public lookups. */
public record FakeHartState(long pc, long[] x, boolean waiting) {

    public static final VMStateDescription<FakeHartState> VMSTATE =
            VMStateDescription.builder("fake-hart", FakeHartState.class).version(1)
                    .u64("pc").u64Array("x", 4).bool("waiting").build();

    public FakeHartState {
        x = x.clone();
    }

    @Override
    public long[] x() {
        return x.clone();
    }
}
