package org.osgemu.virtio.net;

/**
 * Configuration of a {@code virtio-net-device} (factory PID
 * {@code osgemu.device.virtio-net-device}), as the launcher makes it from
 * {@code -device virtio-net-device,netdev=n0[,mac=52:54:00:12:34:56]}. The launcher also sets
 * {@code netdev.target=(id=n0)}, which DS applies to the {@code netdev} reference.
 * Absent properties read as null: the component checks them.
 */
public @interface VirtioNetConfig {

    /** Instance id; required. */
    String id();

    /** Name of the machine the device belongs to; required. */
    String machine();

    /** Id of the {@code -netdev} the card is plugged into; required. */
    String netdev();

    /** MAC address, {@code xx:xx:xx:xx:xx:xx}, unicast; optional (then 52:54:00 and bytes derived from the id). */
    String mac();
}
