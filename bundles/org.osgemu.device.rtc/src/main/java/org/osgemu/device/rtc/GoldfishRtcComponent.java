package org.osgemu.device.rtc;

import org.osgemu.api.device.Device;
import org.osgemu.api.device.DeviceConfigs;
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
        super(DeviceConfigs.checkedId(PID, config.id(), config.machine()));
    }

    @Deactivate
    void deactivate() {
        unrealize();
    }
}
