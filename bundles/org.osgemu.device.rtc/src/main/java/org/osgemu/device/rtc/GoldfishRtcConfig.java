package org.osgemu.device.rtc;

/** Configuration of a {@code goldfish_rtc} (factory PID {@code osgemu.device.goldfish_rtc}); absent values read as null. */
public @interface GoldfishRtcConfig {

    /** Instance id; required. */
    String id();

    /** Name of the machine the device belongs to; required. */
    String machine();
}
