package org.osgemu.virtio.net;

import org.osgemu.api.device.Device;
import org.osgemu.api.device.PlatformDevice;
import org.osgemu.api.net.NetBackend;
import org.osgemu.virtio.api.VirtioMmioDevice;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;

/**
 * One {@code virtio-net-device} per factory configuration of
 * {@code osgemu.device.virtio-net-device}, registered as a {@link PlatformDevice} (bus
 * virtio-mmio) with the configuration's {@code id} and {@code machine}. Its netdev is a
 * mandatory static reference: when the backend goes away, so does the card.
 */
@Component(immediate = true, service = PlatformDevice.class, configurationPid = VirtioNetComponent.PID,
        configurationPolicy = ConfigurationPolicy.REQUIRE, property = Device.TYPE + "=" + VirtioNet.TYPE)
public final class VirtioNetComponent extends VirtioMmioDevice<VirtioNetState> {

    /** Factory PID of the configurations. */
    public static final String PID = "osgemu.device." + VirtioNet.TYPE;

    @Activate
    public VirtioNetComponent(VirtioNetConfig config, @Reference(name = "netdev") NetBackend netdev) {
        super(checked(config, netdev), VirtioNet.TYPE,
                new VirtioNet(netdev, MacAddress.parse(PID + " " + config.id(), config.mac(), config.id())));
    }

    /** The board unrealizes on unregistration; this covers a board that left first. */
    @Deactivate
    void deactivate() {
        ((VirtioNet) model()).detach();
        unrealize();
    }

    private static String checked(VirtioNetConfig config, NetBackend netdev) {
        String id = required("id", config.id());
        required("machine", config.machine());
        String wanted = required("netdev", config.netdev());
        if (!wanted.equals(netdev.id())) {
            throw new IllegalArgumentException(PID + " " + id + ": netdev=" + wanted + " but the bound backend is "
                    + netdev.id() + " (netdev.target must select (id=" + wanted + "))");
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
