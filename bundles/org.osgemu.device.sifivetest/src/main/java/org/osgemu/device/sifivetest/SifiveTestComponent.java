package org.osgemu.device.sifivetest;

import org.osgemu.api.device.Device;
import org.osgemu.api.device.DeviceConfigs;
import org.osgemu.api.device.PlatformDevice;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;

/**
 * One {@code sifive_test} per factory configuration of {@code osgemu.device.sifive_test},
 * registered as a {@link PlatformDevice} with the configuration's {@code id} and {@code machine}
 * for the board to place.
 * Immediate, so that a bad configuration fails (and registers no service) when it is given,
 * not when a consumer first asks for the service.
 */
@Component(immediate = true, service = PlatformDevice.class, configurationPid = SifiveTestComponent.PID,
        configurationPolicy = ConfigurationPolicy.REQUIRE, property = Device.TYPE + "=" + SifiveTestDevice.TYPE)
public final class SifiveTestComponent extends SifiveTestDevice {

    /** Factory PID of the configurations. */
    public static final String PID = "osgemu.device.sifive_test";

    @Activate
    public SifiveTestComponent(SifiveTestConfig config) {
        super(DeviceConfigs.checkedId(PID, config.id(), config.machine()));
    }

    /** The board unrealizes on unregistration; this covers a board that left first. */
    @Deactivate
    void deactivate() {
        unrealize();
    }
}
