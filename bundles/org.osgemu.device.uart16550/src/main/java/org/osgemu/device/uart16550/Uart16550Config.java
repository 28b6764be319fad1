package org.osgemu.device.uart16550;

/**
 * Configuration of an {@code ns16550a} instance (factory PID {@code osgemu.device.ns16550a}).
 * Absent properties read as null: the component checks them.
 */
public @interface Uart16550Config {

    /** Instance id ({@code -device ns16550a,id=}); required. */
    String id();

    /** Name of the machine the device belongs to; required. */
    String machine();

    /**
     * Filter selecting the {@link org.osgemu.api.chardev.Chardev} backend by its service
     * properties ({@code -serial} / {@code chardev=} become {@code (id=...)}); DS applies it to
     * the {@code chardev} reference.
     */
    String chardev_target() default Uart16550Component.DEFAULT_CHARDEV_TARGET;
}
