package org.osgemu.api.component;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.osgi.framework.Bundle;
import org.osgi.service.component.runtime.ServiceComponentRuntime;
import org.osgi.service.component.runtime.dto.ComponentConfigurationDTO;
import org.osgi.service.component.runtime.dto.ComponentDescriptionDTO;
import org.osgi.service.component.runtime.dto.ReferenceDTO;
import org.osgi.service.component.runtime.dto.UnsatisfiedReferenceDTO;
import org.osgi.util.promise.Promise;

class ComponentProblemsTest {

    private static final String NET_BACKEND = "org.osgemu.api.net.NetBackend";
    private static final String CTOR_FAILURE = """
            java.lang.reflect.InvocationTargetException
            \tat java.base/jdk.internal.reflect.DirectConstructorHandleAccessor.newInstance(DirectConstructorHandleAccessor.java:74)
            Caused by: java.lang.IllegalArgumentException: nic0: mac='zz' is not six hex bytes
            \tat org.osgemu.virtio.net.MacAddress.parse(MacAddress.java:20)
            """;

    private final FakeScr scr = new FakeScr();

    @Test
    void aFailedActivationGivesTheComponentsOwnMessageNotTheReflectiveWrapper() {
        scr.component("nic", List.of(), List.of(ref("netdev", NET_BACKEND)))
                .add(config(ComponentConfigurationDTO.FAILED_ACTIVATION, "osgemu.device.nic~1", Map.of("id", "nic0"), CTOR_FAILURE));
        Optional<ComponentProblems.Problem> p = ComponentProblems.forPid(scr, "osgemu.device.nic~1");
        assertEquals(Optional.of(new ComponentProblems.Problem("nic0: mac='zz' is not six hex bytes", true, "osgemu.device.nic~1")), p);
    }

    @Test
    void aReferenceWhoseTargetFailedIsExplainedByThatFailure() {
        scr.component("netdev", List.of(NET_BACKEND), List.of())
                .add(config(ComponentConfigurationDTO.FAILED_ACTIVATION, "osgemu.netdev.socket~1", Map.of("id", "n0"),
                        "java.io.UncheckedIOException: n0: cannot listen on :5555: Address already in use\n\tat x.y(Z.java:1)"));
        scr.component("nic", List.of(), List.of(ref("netdev", NET_BACKEND)))
                .add(unsatisfied("osgemu.device.nic~1", Map.of("id", "nic0", "machine", "m"), "netdev", "(id=n0)"));
        assertEquals(Optional.of(new ComponentProblems.Problem("n0: cannot listen on :5555: Address already in use", true,
                        "osgemu.netdev.socket~1")),
                ComponentProblems.find(scr, p -> "nic0".equals(p.get("id")) && "m".equals(p.get("machine"))));
    }

    @Test
    void aFailureToGetAReferencedServiceIsExplainedByThatServicesFailure() {
        scr.component("netdev", List.of(NET_BACKEND), List.of())
                .add(config(ComponentConfigurationDTO.FAILED_ACTIVATION, "osgemu.netdev.socket~1", Map.of("id", "n0"),
                        "java.io.UncheckedIOException: n0: cannot listen on :5555: Address already in use"));
        scr.component("nic", List.of(), List.of(ref("netdev", NET_BACKEND)))
                .add(config(ComponentConfigurationDTO.FAILED_ACTIVATION, "osgemu.device.nic~1",
                        Map.of("id", "nic0", "netdev.target", "(id=n0)"),
                        "org.osgi.service.component.ComponentException: Unable to get service for reference netdev"));
        assertEquals(Optional.of(new ComponentProblems.Problem("n0: cannot listen on :5555: Address already in use", true,
                "osgemu.netdev.socket~1")), ComponentProblems.forPid(scr, "osgemu.device.nic~1"));
    }

    @Test
    void anImmediateComponentIsUpOnceActiveADelayedOneOnceSatisfied() {
        ComponentDescriptionDTO immediate = scr.describe("rng", List.of(), List.of());
        immediate.immediate = true;
        scr.configurations(immediate).add(config(ComponentConfigurationDTO.SATISFIED, "osgemu.device.rng~1", Map.of("id", "rng0"), null));
        scr.component("lazy", List.of(), List.of())
                .add(config(ComponentConfigurationDTO.SATISFIED, "osgemu.lazy~1", Map.of("id", "lazy0"), null));
        assertFalse(ComponentProblems.isUp(scr, p -> "rng0".equals(p.get("id"))));
        assertEquals(Optional.empty(), ComponentProblems.forPid(scr, "osgemu.device.rng~1")); // not failed: still coming up
        assertTrue(ComponentProblems.isUp(scr, p -> "lazy0".equals(p.get("id"))));
    }

    @Test
    void aReferenceNothingOffersIsNotSettledAndOneBeingBoundIsNoProblem() {
        ComponentDescriptionDTO netdev = scr.describe("netdev", List.of(NET_BACKEND), List.of());
        scr.component("nic", List.of(), List.of(ref("netdev", NET_BACKEND)))
                .add(unsatisfied("osgemu.device.nic~1", Map.of("id", "nic0"), "netdev", "(id=n0)"));
        assertEquals(Optional.of(new ComponentProblems.Problem("reference 'netdev' has no target (id=n0)", false,
                "osgemu.device.nic~1")),
                ComponentProblems.forPid(scr, "osgemu.device.nic~1"));

        // a netdev with another id does not count; the one named, once active, is being bound
        scr.configurations(netdev).add(config(ComponentConfigurationDTO.ACTIVE, "osgemu.netdev.socket~2", Map.of("id", "n1"), null));
        assertFalse(ComponentProblems.forPid(scr, "osgemu.device.nic~1").orElseThrow().settled());
        scr.configurations(netdev).add(config(ComponentConfigurationDTO.ACTIVE, "osgemu.netdev.socket~1", Map.of("id", "n0"), null));
        assertEquals(Optional.empty(), ComponentProblems.forPid(scr, "osgemu.device.nic~1"));
    }

    @Test
    void upAndAbsentConfigurations() {
        scr.component("rng", List.of(), List.of())
                .add(config(ComponentConfigurationDTO.ACTIVE, "osgemu.device.rng~1", Map.of("id", "rng0"), null));
        assertTrue(ComponentProblems.isUp(scr, p -> "rng0".equals(p.get("id"))));
        assertEquals(Optional.empty(), ComponentProblems.forPid(scr, "osgemu.device.rng~1"));
        assertFalse(ComponentProblems.isUp(scr, p -> "rng1".equals(p.get("id"))));
        assertEquals(Optional.empty(), ComponentProblems.forPid(scr, "osgemu.device.rng~2"));
    }

    @Test
    void failureTextsWithoutACauseOrMessage() {
        assertEquals("its activation failed", ComponentProblems.failureLine(null));
        assertEquals("boom", ComponentProblems.failureLine("java.lang.IllegalStateException: boom\n\tat a.b(C.java:1)"));
        assertEquals("java.lang.NullPointerException", ComponentProblems.failureLine("java.lang.NullPointerException\n\tat a.b(C.java:1)"));
        assertEquals("disk: locked by another process",
                ComponentProblems.failureLine("org.osgi.service.component.ComponentException: disk: locked by another process"));
    }

    private static ReferenceDTO ref(String name, String service) {
        ReferenceDTO r = new ReferenceDTO();
        r.name = name;
        r.interfaceName = service;
        return r;
    }

    private static ComponentConfigurationDTO config(int state, String pid, Map<String, Object> properties, String failure) {
        ComponentConfigurationDTO c = new ComponentConfigurationDTO();
        c.state = state;
        c.properties = new LinkedHashMap<>(properties);
        c.properties.put("service.pid", pid);
        c.failure = failure;
        c.unsatisfiedReferences = new UnsatisfiedReferenceDTO[0];
        return c;
    }

    private static ComponentConfigurationDTO unsatisfied(String pid, Map<String, Object> properties, String reference, String target) {
        ComponentConfigurationDTO c = config(ComponentConfigurationDTO.UNSATISFIED_REFERENCE, pid, properties, null);
        UnsatisfiedReferenceDTO u = new UnsatisfiedReferenceDTO();
        u.name = reference;
        u.target = target;
        c.unsatisfiedReferences = new UnsatisfiedReferenceDTO[] {u};
        return c;
    }

    /** SCR's runtime view as data: descriptions and their configurations. */
    private static final class FakeScr implements ServiceComponentRuntime {
        private final Map<ComponentDescriptionDTO, List<ComponentConfigurationDTO>> components = new LinkedHashMap<>();

        List<ComponentConfigurationDTO> component(String name, List<String> services, List<ReferenceDTO> references) {
            return configurations(describe(name, services, references));
        }

        ComponentDescriptionDTO describe(String name, List<String> services, List<ReferenceDTO> references) {
            ComponentDescriptionDTO d = new ComponentDescriptionDTO();
            d.name = name;
            d.serviceInterfaces = services.toArray(String[]::new);
            d.references = references.toArray(ReferenceDTO[]::new);
            components.put(d, new ArrayList<>());
            return d;
        }

        List<ComponentConfigurationDTO> configurations(ComponentDescriptionDTO d) {
            return components.get(d);
        }

        @Override
        public Collection<ComponentDescriptionDTO> getComponentDescriptionDTOs(Bundle... bundles) {
            return List.copyOf(components.keySet());
        }

        @Override
        public ComponentDescriptionDTO getComponentDescriptionDTO(Bundle bundle, String name) {
            return components.keySet().stream().filter(d -> d.name.equals(name)).findFirst().orElse(null);
        }

        @Override
        public Collection<ComponentConfigurationDTO> getComponentConfigurationDTOs(ComponentDescriptionDTO description) {
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
}
