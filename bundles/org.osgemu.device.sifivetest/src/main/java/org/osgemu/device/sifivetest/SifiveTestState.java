package org.osgemu.device.sifivetest;

import org.osgemu.api.vmstate.VMStateDescription;

/**
 * Migration state of the test finisher. The device keeps nothing between writes, so the state
 * is empty; it exists so that the finisher takes part in migration like every device and a
 * later version can add fields (loaded as zero from today's streams).
 */
public record SifiveTestState() {

    /** Version 1: no fields. */
    public static final VMStateDescription<SifiveTestState> VMSTATE =
            VMStateDescription.builder(SifiveTestDevice.TYPE, SifiveTestState.class).version(1).build();
}
