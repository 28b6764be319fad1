package org.osgemu.device.clint;

import org.osgemu.api.device.Device;
import org.osgemu.api.device.DeviceConfigs;
import org.osgemu.api.device.PlatformDevice;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;

/**
 * One {@code clint} per factory configuration of {@code osgemu.device.clint}, registered as a
 * {@link PlatformDevice} with the configuration's {@code id} and {@code machine}.
 * Immediate, so that a bad configuration fails (and registers no service) when it is given,
 * not when a consumer first asks for the service.
 */
@Component(immediate = true, service = PlatformDevice.class, configurationPid = ClintComponent.PID,
        configurationPolicy = ConfigurationPolicy.REQUIRE, property = Device.TYPE + "=" + ClintDevice.TYPE)
public final class ClintComponent extends ClintDevice {

    /** Factory PID of the configurations. */
    public static final String PID = "osgemu.device.clint";

    @Activate
    public ClintComponent(ClintConfig config) {
        super(DeviceConfigs.checkedId(PID, config.id(), config.machine()));
    }

    /** The board unrealizes on unregistration; this covers a board that left first (timers end here). */
    @Deactivate
    void deactivate() {
        unrealize();
    }
}
