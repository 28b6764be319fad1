package org.osgemu.qmp.commands;

import java.io.IOException;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.osgi.framework.InvalidSyntaxException;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.runtime.ServiceComponentRuntime;
import org.osgi.service.component.runtime.dto.ComponentConfigurationDTO;
import org.osgi.service.component.runtime.dto.ComponentDescriptionDTO;
import org.osgi.service.component.runtime.dto.UnsatisfiedReferenceDTO;

/** {@link DeviceConfigurations} on ConfigAdmin, with SCR's runtime view for components that fail. */
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
        String pid = PID_PREFIX + driver;
        return scr.getComponentDescriptionDTOs().stream().anyMatch(d -> List.of(d.configurationPid).contains(pid));
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
        for (ComponentDescriptionDTO description : scr.getComponentDescriptionDTOs()) {
            for (ComponentConfigurationDTO c : scr.getComponentConfigurationDTOs(description)) {
                if (!pid.equals(c.properties.get("service.pid"))) {
                    continue;
                }
                if (c.state == ComponentConfigurationDTO.FAILED_ACTIVATION) {
                    return Optional.of(firstLine(c.failure));
                }
                if (c.state == ComponentConfigurationDTO.UNSATISFIED_REFERENCE && c.unsatisfiedReferences.length > 0) {
                    UnsatisfiedReferenceDTO missing = c.unsatisfiedReferences[0];
                    return Optional.of("reference '" + missing.name + "' has no target"
                            + (missing.target == null ? "" : " " + missing.target));
                }
            }
        }
        return Optional.empty();
    }

    private static String firstLine(String failure) {
        if (failure == null || failure.isBlank()) {
            return "its activation failed";
        }
        String line = failure.lines().findFirst().orElse(failure).strip();
        // SCR's failure text is a stack trace: keep the exception's message, not its class
        int colon = line.indexOf(": ");
        return colon > 0 && line.substring(0, colon).matches("[\\w.$]+") ? line.substring(colon + 2) : line;
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
