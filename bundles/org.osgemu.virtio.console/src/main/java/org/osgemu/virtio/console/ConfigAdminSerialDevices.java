package org.osgemu.virtio.console;

import java.io.IOException;
import java.util.Set;
import java.util.TreeSet;

import org.osgemu.api.device.Device;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;

/** {@link SerialDeviceConfigurations} read from ConfigAdmin's factory configurations of {@link VirtioConsoleComponent#PID}. */
final class ConfigAdminSerialDevices implements SerialDeviceConfigurations {

    private final ConfigurationAdmin configAdmin;

    ConfigAdminSerialDevices(ConfigurationAdmin configAdmin) {
        this.configAdmin = configAdmin;
    }

    /** An unreadable configuration store counts as no device: the port is then refused, not left waiting. */
    @Override
    public Set<String> deviceIds(String machine) {
        String filter = "(&(service.factoryPid=" + VirtioConsoleComponent.PID + ")(" + Device.MACHINE + "=" + escape(machine) + "))";
        Set<String> ids = new TreeSet<>();
        try {
            Configuration[] found = configAdmin.listConfigurations(filter);
            if (found != null) {
                for (Configuration c : found) {
                    Object id = c.getProperties() == null ? null : c.getProperties().get(Device.ID);
                    if (id != null) {
                        ids.add(String.valueOf(id));
                    }
                }
            }
        } catch (IOException | InvalidSyntaxException | IllegalStateException e) {
            System.getLogger(ConfigAdminSerialDevices.class.getName()).log(System.Logger.Level.WARNING,
                    "cannot list the virtio-serial-device configurations of machine '" + machine + "': " + e.getMessage());
        }
        return ids;
    }

    /** Escapes the characters LDAP filters reserve. */
    private static String escape(String value) {
        return value.replace("\\", "\\\\").replace("*", "\\*").replace("(", "\\(").replace(")", "\\)");
    }
}
