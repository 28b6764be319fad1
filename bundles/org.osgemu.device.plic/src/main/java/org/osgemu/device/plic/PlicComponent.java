package org.osgemu.device.plic;

import org.osgemu.api.device.Device;
import org.osgemu.api.device.DeviceConfigs;
import org.osgemu.api.device.PlatformDevice;
import org.osgemu.api.irq.InterruptController;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;

/**
 * One {@code plic} per factory configuration of {@code osgemu.device.plic}, registered as a
 * {@link PlatformDevice} (for the board to place) and as the {@link InterruptController} whose
 * inputs the board connects the other devices' interrupt lines to.
 * Immediate, so that a bad configuration fails (and registers no service) when it is given,
 * not when a consumer first asks for the service.
 */
@Component(immediate = true, service = {PlatformDevice.class, InterruptController.class}, configurationPid = PlicComponent.PID,
        configurationPolicy = ConfigurationPolicy.REQUIRE, property = Device.TYPE + "=" + PlicDevice.TYPE)
public final class PlicComponent extends PlicDevice {

    /** Factory PID of the configurations. */
    public static final String PID = "osgemu.device.plic";

    @Activate
    public PlicComponent(PlicConfig config) {
        super(DeviceConfigs.checkedId(PID, config.id(), config.machine()), checkedSources(config));
    }

    /** The board unrealizes on unregistration; this covers a board that left first. */
    @Deactivate
    void deactivate() {
        unrealize();
    }

    private static int checkedSources(PlicConfig config) {
        int sources = config.num$_$sources();
        if (sources < 2 || sources > PlicRegisters.MAX_SOURCES) {
            throw new IllegalArgumentException(PID + " " + config.id() + ": num-sources " + sources + " is outside 2.."
                    + PlicRegisters.MAX_SOURCES + " (QEMU's virt uses 96)");
        }
        return sources;
    }
}
