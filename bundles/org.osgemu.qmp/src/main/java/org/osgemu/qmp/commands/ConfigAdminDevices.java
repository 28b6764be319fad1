package org.osgemu.qmp.commands;

import java.io.IOException;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.osgemu.api.component.ComponentProblems;
import org.osgemu.api.device.PlatformDevice;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.runtime.ServiceComponentRuntime;

/** {@link DeviceConfigurations} on ConfigAdmin, with SCR's runtime view ({@link ComponentProblems}) for components that fail. */
final class ConfigAdminDevices implements DeviceConfigurations {

    static final String PID_PREFIX = "osgemu.device.";

    private final ConfigurationAdmin configAdmin;
    private final ServiceComponentRuntime scr;

    ConfigAdminDevices(ConfigurationAdmin configAdmin, ServiceComponentRuntime scr) {
        this.configAdmin = configAdmin;
        this.scr = scr;
    }

    @Override
    public boolean hasDriver(String driver) {
        return ComponentProblems.componentFor(scr, PID_PREFIX + driver).isPresent();
    }

    /** A driver whose component does not register a {@link PlatformDevice} is not placed by the board. */
    @Override
    public boolean placedByTheBoard(String driver) {
        return ComponentProblems.registers(scr, PID_PREFIX + driver, PlatformDevice.class).orElse(true);
    }

    @Override
    public String create(String driver, Map<String, Object> properties) throws IOException {
        Configuration configuration = configAdmin.createFactoryConfiguration(PID_PREFIX + driver, "?");
        Dictionary<String, Object> dictionary = new Hashtable<>(properties);
        configuration.update(dictionary);
        return configuration.getPid();
    }

    @Override
    public Optional<String> problem(String pid) {
        return ComponentProblems.forPid(scr, pid).map(ComponentProblems.Problem::reason);
    }

    @Override
    public void delete(String pid) throws IOException {
        Configuration[] found = list("(service.pid=" + escape(pid) + ")");
        if (found != null) {
            for (Configuration c : found) {
                c.delete();
            }
        }
    }

    @Override
    public Optional<String> find(String machine, String id) throws IOException {
        Configuration[] found = list("(&(id=" + escape(id) + ")(machine=" + escape(machine) + "))");
        if (found == null) {
            return Optional.empty();
        }
        for (Configuration c : found) {
            if (c.getFactoryPid() != null && c.getFactoryPid().startsWith(PID_PREFIX)) {
                return Optional.of(c.getPid());
            }
        }
        return Optional.empty();
    }

    private Configuration[] list(String filter) throws IOException {
        try {
            return configAdmin.listConfigurations(filter);
        } catch (InvalidSyntaxException e) {
            throw new IOException("bad configuration filter " + filter + ": " + e.getMessage(), e);
        }
    }

    /** Escapes the characters LDAP filters reserve. */
    static String escape(String value) {
        return value.replace("\\", "\\\\").replace("*", "\\*").replace("(", "\\(").replace(")", "\\)");
    }
}
