package org.osgemu.virtio.console;

/**
 * Configuration of a {@code virtio-serial-device} (factory PID
 * {@code osgemu.device.virtio-serial-device}). The launcher turns {@code chardev=X} into
 * {@code chardev.target=(id=X)}, which DS applies to the {@code chardev} reference; without it
 * the console has no backend. Absent properties read as null: the component checks them.
 */
public @interface VirtioConsoleConfig {

    /** Instance id; required. */
    String id();

    /** Name of the machine the device belongs to; required. */
    String machine();

    /** Filter selecting the {@link org.osgemu.api.chardev.Chardev} of the console port. */
    String chardev_target() default VirtioConsoleComponent.NO_CHARDEV;
}
