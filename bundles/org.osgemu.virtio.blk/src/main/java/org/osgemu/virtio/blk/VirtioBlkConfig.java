package org.osgemu.virtio.blk;

/**
 * Configuration of a {@code virtio-blk-device} (factory PID
 * {@code osgemu.device.virtio-blk-device}), as the launcher makes it from
 * {@code -device virtio-blk-device,drive=hd0[,serial=S]}. The launcher also sets
 * {@code drive.target=(id=hd0)}, which DS applies to the {@code drive} reference.
 * Absent properties read as null: the component checks them.
 */
public @interface VirtioBlkConfig {

    /** Instance id; required. */
    String id();

    /** Name of the machine the device belongs to; required. */
    String machine();

    /** Id of the {@code -drive} backing the device; required. */
    String drive();

    /** Serial number reported by GET_ID (at most 20 bytes are used); optional. */
    String serial();
}
