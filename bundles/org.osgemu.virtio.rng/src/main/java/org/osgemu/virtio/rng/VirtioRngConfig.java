package org.osgemu.virtio.rng;

/**
 * Configuration of a {@code virtio-rng-device} (factory PID {@code osgemu.device.virtio-rng-device}).
 * Absent properties read as null: the component checks them.
 */
public @interface VirtioRngConfig {

    /** Instance id; required. */
    String id();

    /** Name of the machine the device belongs to; required. */
    String machine();
}
