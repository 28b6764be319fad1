package org.osgemu.device.rtc;

import org.osgemu.api.vmstate.VMStateDescription;

/**
 * Migration state of the Goldfish RTC.
 *
 * @param tickOffset guest time minus host time, in nanoseconds (what the guest set the clock to)
 * @param alarmNext alarm deadline in guest nanoseconds since the epoch
 * @param alarmRunning whether the alarm is armed
 * @param irqPending whether the alarm fired and is not yet acknowledged
 * @param irqEnabled whether the alarm interrupt is enabled
 * @param timeHigh the high word latched by the last read of TIME_LOW
 * @param alarmHigh the high word written to ALARM_HIGH
 */
public record GoldfishRtcState(long tickOffset, long alarmNext, boolean alarmRunning, boolean irqPending,
                               boolean irqEnabled, long timeHigh, long alarmHigh) {

    public static final VMStateDescription<GoldfishRtcState> VMSTATE =
            VMStateDescription.builder("goldfish_rtc", GoldfishRtcState.class)
                    .version(1)
                    .i64("tickOffset").u64("alarmNext").bool("alarmRunning").bool("irqPending").bool("irqEnabled")
                    .u32("timeHigh").u32("alarmHigh")
                    .build();
}
