package org.osgemu.virtio.rng;

import org.osgemu.api.vmstate.VMStateDescription;

/**
 * Migration state of the virtio-rng model: none of its own (the queue travels with the
 * transport, and random bytes are not state). Kept as a record so that a later version can add
 * fields (a rate limiter's budget) without a new section.
 */
public record VirtioRngState() {

    /** Version 1. */
    public static final VMStateDescription<VirtioRngState> VMSTATE =
            VMStateDescription.builder(VirtioRng.TYPE, VirtioRngState.class).version(1).build();
}
