package org.osgemu.device.rtc;

/**
 * Register layout of the Goldfish RTC (32-bit registers, as Linux's rtc-goldfish driver and
 * QEMU's model use them). Time and alarm are nanoseconds since the Unix epoch.
 */
final class GoldfishRtcRegisters {

    static final long SIZE = 0x1000;
    static final int TIME_LOW = 0x00;
    static final int TIME_HIGH = 0x04;
    static final int ALARM_LOW = 0x08;
    static final int ALARM_HIGH = 0x0c;
    static final int IRQ_ENABLED = 0x10;
    static final int CLEAR_ALARM = 0x14;
    static final int ALARM_STATUS = 0x18;
    static final int CLEAR_INTERRUPT = 0x1c;

    private GoldfishRtcRegisters() {}
}
