package org.osgemu.device.sifivegpio;

import org.osgemu.api.device.Device;
import org.osgemu.api.device.DeviceConfigs;
import org.osgemu.api.device.PlatformDevice;
import org.osgemu.api.machine.PowerButton;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;

/**
 * One {@code sifive_gpio} per factory configuration of {@code osgemu.device.sifive_gpio},
 * registered as a {@link PlatformDevice} for the board to place and as the {@link PowerButton} of
 * the machine its {@code machine} property names, so that {@code system_powerdown} presses its key.
 * Immediate, so that a bad configuration fails (and registers no service) when it is given.
 */
@Component(immediate = true, service = {PlatformDevice.class, PowerButton.class}, configurationPid = SifiveGpioComponent.PID,
        configurationPolicy = ConfigurationPolicy.REQUIRE, property = Device.TYPE + "=" + SifiveGpioDevice.TYPE)
public final class SifiveGpioComponent extends SifiveGpioDevice {

    /** Factory PID of the configurations. */
    public static final String PID = "osgemu.device.sifive_gpio";

    @Activate
    public SifiveGpioComponent(SifiveGpioConfig config) {
        super(DeviceConfigs.checkedId(PID, config.id(), config.machine()));
    }

    /** The board unrealizes on unregistration; this covers a board that left first (the key's timer ends). */
    @Deactivate
    void deactivate() {
        unrealize();
    }
}
