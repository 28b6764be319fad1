package org.osgemu.virtio.rng;

import org.osgemu.api.device.Device;
import org.osgemu.api.device.PlatformDevice;
import org.osgemu.virtio.api.VirtioMmioDevice;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;

/**
 * One {@code virtio-rng-device} per factory configuration of
 * {@code osgemu.device.virtio-rng-device}, registered as a {@link PlatformDevice} (bus
 * virtio-mmio) with the configuration's {@code id} and {@code machine}; each has its own
 * {@link java.security.SecureRandom}.
 */
@Component(immediate = true, service = PlatformDevice.class, configurationPid = VirtioRngComponent.PID,
        configurationPolicy = ConfigurationPolicy.REQUIRE, property = Device.TYPE + "=" + VirtioRng.TYPE)
public final class VirtioRngComponent extends VirtioMmioDevice<VirtioRngState> {

    /** Factory PID of the configurations. */
    public static final String PID = "osgemu.device." + VirtioRng.TYPE;

    @Activate
    public VirtioRngComponent(VirtioRngConfig config) {
        super(checked(config), VirtioRng.TYPE, new VirtioRng());
    }

    /** The board unrealizes on unregistration; this covers a board that left first. */
    @Deactivate
    void deactivate() {
        unrealize();
    }

    private static String checked(VirtioRngConfig config) {
        for (String[] p : new String[][] {{"machine", config.machine()}, {"id", config.id()}}) {
            if (p[1] == null || p[1].isBlank()) {
                throw new IllegalArgumentException(PID + ": configuration property '" + p[0] + "' is missing");
            }
        }
        return config.id();
    }
}
