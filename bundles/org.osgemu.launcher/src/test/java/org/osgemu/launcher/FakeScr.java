package org.osgemu.launcher;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import org.osgi.framework.Bundle;
import org.osgi.service.component.runtime.ServiceComponentRuntime;
import org.osgi.service.component.runtime.dto.ComponentConfigurationDTO;
import org.osgi.service.component.runtime.dto.ComponentDescriptionDTO;
import org.osgi.service.component.runtime.dto.ReferenceDTO;
import org.osgi.service.component.runtime.dto.UnsatisfiedReferenceDTO;
import org.osgi.util.promise.Promise;

/** SCR's runtime view as data: component descriptions and their configurations, changeable while read. */
final class FakeScr implements ServiceComponentRuntime {

    private final Map<ComponentDescriptionDTO, List<ComponentConfigurationDTO>> components = new LinkedHashMap<>();

    /** Declares a component providing {@code services}; returns its (live) list of configurations. */
    synchronized List<ComponentConfigurationDTO> component(String name, List<String> services) {
        ComponentDescriptionDTO d = new ComponentDescriptionDTO();
        d.name = name;
        d.serviceInterfaces = services.toArray(String[]::new);
        ReferenceDTO netdev = new ReferenceDTO();
        netdev.name = "netdev";
        netdev.interfaceName = "org.osgemu.api.net.NetBackend";
        d.references = new ReferenceDTO[] {netdev};
        List<ComponentConfigurationDTO> configurations = new CopyOnWriteArrayList<>();
        components.put(d, configurations);
        return configurations;
    }

    static ComponentConfigurationDTO config(int state, String pid, String id, String failure) {
        ComponentConfigurationDTO c = new ComponentConfigurationDTO();
        c.state = state;
        c.properties = new LinkedHashMap<>(Map.of("service.pid", pid, "id", id));
        c.failure = failure;
        c.unsatisfiedReferences = new UnsatisfiedReferenceDTO[0];
        return c;
    }

    static ComponentConfigurationDTO unsatisfied(String pid, String id, String reference, String target) {
        ComponentConfigurationDTO c = config(ComponentConfigurationDTO.UNSATISFIED_REFERENCE, pid, id, null);
        UnsatisfiedReferenceDTO u = new UnsatisfiedReferenceDTO();
        u.name = reference;
        u.target = target;
        c.unsatisfiedReferences = new UnsatisfiedReferenceDTO[] {u};
        return c;
    }

    @Override
    public synchronized Collection<ComponentDescriptionDTO> getComponentDescriptionDTOs(Bundle... bundles) {
        return new ArrayList<>(components.keySet());
    }

    @Override
    public synchronized ComponentDescriptionDTO getComponentDescriptionDTO(Bundle bundle, String name) {
        return components.keySet().stream().filter(d -> d.name.equals(name)).findFirst().orElse(null);
    }

    @Override
    public synchronized Collection<ComponentConfigurationDTO> getComponentConfigurationDTOs(ComponentDescriptionDTO description) {
        return List.copyOf(components.get(description));
    }

    @Override
    public boolean isComponentEnabled(ComponentDescriptionDTO description) {
        return true;
    }

    @Override
    public Promise<Void> enableComponent(ComponentDescriptionDTO description) {
        throw new UnsupportedOperationException();
    }

    @Override
    public Promise<Void> disableComponent(ComponentDescriptionDTO description) {
        throw new UnsupportedOperationException();
    }
}
