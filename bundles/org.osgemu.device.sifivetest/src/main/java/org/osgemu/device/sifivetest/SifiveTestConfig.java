package org.osgemu.device.sifivetest;

/**
 * Configuration of a {@code sifive_test} instance (factory PID {@code osgemu.device.sifive_test}).
 * Absent properties read as null: the component checks them.
 */
public @interface SifiveTestConfig {

    /** Instance id ({@code -device sifive_test,id=}); required. */
    String id();

    /** Name of the machine the device belongs to; required. */
    String machine();
}
