package org.osgemu.virtio.blk;

import org.osgemu.api.vmstate.VMStateDescription;

/**
 * Migration state of the virtio-blk model. Requests in flight travel with the transport (they
 * are re-read from guest memory and run again on the destination); what is left is the disk
 * size the guest saw, which the destination's drive must match.
 *
 * @param capacity capacity in 512-byte sectors
 */
public record VirtioBlkState(long capacity) {

    /** Version 1. */
    public static final VMStateDescription<VirtioBlkState> VMSTATE =
            VMStateDescription.builder(VirtioBlk.TYPE, VirtioBlkState.class).version(1).u64("capacity").build();

    public VirtioBlkState {
        if (capacity < 0) {
            throw new IllegalArgumentException("capacity: " + Long.toUnsignedString(capacity) + " sectors is too large");
        }
    }
}
