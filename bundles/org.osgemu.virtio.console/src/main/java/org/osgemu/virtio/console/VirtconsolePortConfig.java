package org.osgemu.virtio.console;

/**
 * Configuration of a {@code virtconsole} (factory PID {@code osgemu.device.virtconsole}), as the
 * launcher makes it from {@code -device virtconsole[,chardev=X][,bus=ID.0][,id=P]}: the launcher
 * turns {@code chardev=X} into {@code chardev.target=(id=X)}, which DS applies to the
 * {@code chardev} reference. Absent properties read as null: the component checks them.
 */
public @interface VirtconsolePortConfig {

    /** Instance id; required. */
    String id();

    /** Name of the machine the port belongs to; required. */
    String machine();

    /**
     * QEMU's bus name of the {@code virtio-serial-device} to plug into: its id followed by
     * {@code .0}. Absent: the first of the machine's devices that has a free console port.
     */
    String bus();

    /** Filter selecting the {@link org.osgemu.api.chardev.Chardev} of the port. */
    String chardev_target() default VirtioConsoleComponent.NO_CHARDEV;
}
