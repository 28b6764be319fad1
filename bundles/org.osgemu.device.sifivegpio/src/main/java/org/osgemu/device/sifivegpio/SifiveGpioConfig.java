package org.osgemu.device.sifivegpio;

/**
 * Configuration of a {@code sifive_gpio} instance (factory PID {@code osgemu.device.sifive_gpio}).
 * Absent properties read as null: the component checks them.
 */
public @interface SifiveGpioConfig {

    /** Instance id ({@code -device sifive_gpio,id=}); required. */
    String id();

    /** Name of the machine the device belongs to; required. */
    String machine();
}
