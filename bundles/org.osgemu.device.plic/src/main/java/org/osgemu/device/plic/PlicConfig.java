package org.osgemu.device.plic;

/**
 * Configuration of a {@code plic} instance (factory PID {@code osgemu.device.plic}). The hart
 * count, and with it the number of contexts, comes from the board's placement. Absent {@code id}
 * and {@code machine} read as null: the component checks them.
 */
public @interface PlicConfig {

    /** Instance id ({@code -device plic,id=}); required. */
    String id();

    /** Name of the machine the device belongs to; required. */
    String machine();

    /**
     * Property {@code num-sources}: interrupt sources counting the nonexistent source 0, 2..1024;
     * QEMU's {@code virt} has 96 (inputs 1..95, {@code riscv,ndev} = 95).
     */
    int num$_$sources() default 96;
}
