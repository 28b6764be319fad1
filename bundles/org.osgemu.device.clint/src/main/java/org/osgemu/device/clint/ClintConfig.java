package org.osgemu.device.clint;

/**
 * Configuration of a {@code clint} instance (factory PID {@code osgemu.device.clint}). The hart
 * count comes from the board's placement, not from here. Absent properties read as null: the
 * component checks them.
 */
public @interface ClintConfig {

    /** Instance id ({@code -device clint,id=}); required. */
    String id();

    /** Name of the machine the device belongs to; required. */
    String machine();
}
