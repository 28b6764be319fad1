package org.osgemu.device.bigstate;

/**
 * Configuration of a {@code bigstate} device (factory PID {@code osgemu.device.bigstate}):
 * {@code -device bigstate,id=big0,size=128M,dirty-rate=1M,index-rounds=64}. Absent values read as
 * null or 0 (DS defaults are bnd's, not the runtime's), so the component applies the defaults.
 */
public @interface BigStateConfig {

    /** Instance id; required. */
    String id();

    /** Name of the machine the device belongs to; required. */
    String machine();

    /** Device memory: bytes with an optional K, M or G suffix, a multiple of 4 KiB, 1M to 1G (default 64M). */
    String size() default "64M";

    /** Bytes per second of guest time the device rewrites by itself, with a suffix (default 1M; 0: never). */
    String dirty$_$rate() default "1M";

    /** Hash passes over each block when the device indexes its memory: the cost of loading it (default 16). */
    int index$_$rounds() default 16;
}
