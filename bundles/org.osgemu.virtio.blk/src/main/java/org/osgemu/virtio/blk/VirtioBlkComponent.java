package org.osgemu.virtio.blk;

import org.osgemu.api.block.BlockBackend;
import org.osgemu.api.device.Device;
import org.osgemu.api.device.PlatformDevice;
import org.osgemu.virtio.api.VirtioMmioDevice;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;

/**
 * One {@code virtio-blk-device} per factory configuration of
 * {@code osgemu.device.virtio-blk-device}, registered as a {@link PlatformDevice} (bus
 * virtio-mmio) with the configuration's {@code id} and {@code machine}. Its drive is a
 * mandatory static reference: when the drive goes away, so does the device. Immediate, so a bad
 * configuration fails when it is given.
 */
@Component(immediate = true, service = PlatformDevice.class, configurationPid = VirtioBlkComponent.PID,
        configurationPolicy = ConfigurationPolicy.REQUIRE, property = Device.TYPE + "=" + VirtioBlk.TYPE)
public final class VirtioBlkComponent extends VirtioMmioDevice<VirtioBlkState> {

    /** Factory PID of the configurations. */
    public static final String PID = "osgemu.device." + VirtioBlk.TYPE;

    @Activate
    public VirtioBlkComponent(VirtioBlkConfig config, @Reference(name = "drive") BlockBackend drive) {
        super(checked(config, drive), VirtioBlk.TYPE, new VirtioBlk(drive, config.serial()));
    }

    /** The board unrealizes on unregistration; this covers a board that left first. */
    @Deactivate
    void deactivate() {
        unrealize();
        ((VirtioBlk) model()).close();
    }

    private static String checked(VirtioBlkConfig config, BlockBackend drive) {
        String id = required("id", config.id());
        required("machine", config.machine());
        String wanted = required("drive", config.drive());
        if (!wanted.equals(drive.id())) {
            throw new IllegalArgumentException(PID + " " + id + ": drive=" + wanted + " but the bound backend is "
                    + drive.id() + " (drive.target must select (id=" + wanted + "))");
        }
        return id;
    }

    private static String required(String property, String value) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(PID + ": configuration property '" + property + "' is missing");
        }
        return value;
    }
}
