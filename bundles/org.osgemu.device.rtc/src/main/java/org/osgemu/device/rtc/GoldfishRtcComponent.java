package org.osgemu.device.rtc;

import org.osgemu.api.device.Device;
import org.osgemu.api.device.PlatformDevice;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;

/** One Goldfish RTC per factory configuration of {@code osgemu.device.goldfish_rtc}. */
@Component(immediate = true, service = PlatformDevice.class, configurationPid = GoldfishRtcComponent.PID,
        configurationPolicy = ConfigurationPolicy.REQUIRE, property = Device.TYPE + "=" + GoldfishRtcDevice.TYPE)
public final class GoldfishRtcComponent extends GoldfishRtcDevice {

    public static final String PID = "osgemu.device.goldfish_rtc";

    @Activate
    public GoldfishRtcComponent(GoldfishRtcConfig config) {
        super(checked(config));
    }

    @Deactivate
    void deactivate() {
        unrealize();
    }

    private static String checked(GoldfishRtcConfig config) {
        if (config.machine() == null || config.machine().isBlank()) {
            throw new IllegalArgumentException(PID + ": configuration property 'machine' is missing");
        }
        if (config.id() == null || config.id().isBlank()) {
            throw new IllegalArgumentException(PID + ": configuration property 'id' is missing");
        }
        return config.id();
    }
}
