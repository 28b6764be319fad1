package org.osgemu.api.component;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

import org.osgi.framework.Constants;
import org.osgi.framework.Filter;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.service.component.runtime.ServiceComponentRuntime;
import org.osgi.service.component.runtime.dto.ComponentConfigurationDTO;
import org.osgi.service.component.runtime.dto.ComponentDescriptionDTO;
import org.osgi.service.component.runtime.dto.ReferenceDTO;
import org.osgi.service.component.runtime.dto.UnsatisfiedReferenceDTO;

/**
 * Why a component configuration is not up, read from the Service Component Runtime's DTOs, so
 * that whoever created the configuration (the launcher for {@code -device}, QMP's
 * {@code device_add}, a board waiting for its devices) can report the component's own reason at
 * once instead of timing out: the message of the exception its activation threw, or the
 * reference it waits for. A reference whose every candidate failed is explained by the
 * candidate's failure (a device whose {@code -netdev} could not listen says why the netdev failed).
 */
public final class ComponentProblems {

    /** How deep a chain of references is followed (device, backend, its backend); guards against cycles. */
    private static final int MAX_DEPTH = 4;
    /** Exceptions that only wrap the component's own: their line says nothing. */
    private static final List<String> WRAPPERS = List.of("java.lang.reflect.InvocationTargetException",
            "java.lang.reflect.UndeclaredThrowableException", "java.lang.ExceptionInInitializerError");

    /**
     * Why a component configuration is not up.
     *
     * @param reason one line: the activation failure's message, or which reference has no target
     * @param settled true when waiting will not change it (its activation, or that of every service
     *        its reference could bind, failed); false while a reference waits for a service that
     *        nothing offers yet and may still come
     * @param pid the {@code service.pid} of the configuration the reason belongs to: the one asked
     *        about, or the one behind a reference whose failure explains it (null when it has none)
     */
    public record Problem(String reason, boolean settled, String pid) {}

    private ComponentProblems() {}

    /** The description of the component that the configurations of {@code configurationPid} configure, if one is installed. */
    public static Optional<ComponentDescriptionDTO> componentFor(ServiceComponentRuntime scr, String configurationPid) {
        for (ComponentDescriptionDTO d : scr.getComponentDescriptionDTOs()) {
            if (List.of(d.configurationPid).contains(configurationPid)) {
                return Optional.of(d);
            }
        }
        return Optional.empty();
    }

    /**
     * Whether the component configured by {@code configurationPid} registers {@code service};
     * empty when no installed component takes that configuration.
     */
    public static Optional<Boolean> registers(ServiceComponentRuntime scr, String configurationPid, Class<?> service) {
        return componentFor(scr, configurationPid).map(d -> List.of(d.serviceInterfaces).contains(service.getName()));
    }

    /** The problem of the component configured by the ConfigAdmin configuration {@code pid}, if it has one. */
    public static Optional<Problem> forPid(ServiceComponentRuntime scr, String pid) {
        return find(scr, properties -> pid.equals(properties.get(Constants.SERVICE_PID)));
    }

    /**
     * The problem of the first component configuration whose properties match {@code configuration};
     * empty when none matches (not created yet) or the one that matches is up or still coming up.
     */
    public static Optional<Problem> find(ServiceComponentRuntime scr, Predicate<Map<String, Object>> configuration) {
        for (Candidate c : configurations(scr, null)) {
            if (configuration.test(c.configuration().properties)) {
                return problem(scr, c, 0);
            }
        }
        return Optional.empty();
    }

    /**
     * Whether a component configuration whose properties match {@code configuration} is up: active,
     * or, for a delayed component (created on first use), satisfied. An immediate component that
     * is only satisfied has yet to be (or failed to be) created.
     */
    public static boolean isUp(ServiceComponentRuntime scr, Predicate<Map<String, Object>> configuration) {
        for (Candidate c : configurations(scr, null)) {
            if (configuration.test(c.configuration().properties) && up(c)) {
                return true;
            }
        }
        return false;
    }

    /** A component configuration and the description it belongs to. */
    private record Candidate(ComponentDescriptionDTO description, ComponentConfigurationDTO configuration) {}

    /** Every component configuration, or only those of components providing {@code service} when not null. */
    private static List<Candidate> configurations(ServiceComponentRuntime scr, String service) {
        List<Candidate> all = new ArrayList<>();
        for (ComponentDescriptionDTO d : scr.getComponentDescriptionDTOs()) {
            if (service != null && (d.serviceInterfaces == null || !List.of(d.serviceInterfaces).contains(service))) {
                continue;
            }
            for (ComponentConfigurationDTO c : scr.getComponentConfigurationDTOs(d)) {
                all.add(new Candidate(d, c));
            }
        }
        return all;
    }

    private static boolean up(Candidate c) {
        int state = c.configuration().state;
        return state == ComponentConfigurationDTO.ACTIVE
                || (state == ComponentConfigurationDTO.SATISFIED && !c.description().immediate);
    }

    private static Optional<Problem> problem(ServiceComponentRuntime scr, Candidate c, int depth) {
        ComponentConfigurationDTO configuration = c.configuration();
        Object servicePid = configuration.properties.get(Constants.SERVICE_PID);
        String pid = servicePid == null ? null : servicePid.toString();
        if (configuration.state == ComponentConfigurationDTO.FAILED_ACTIVATION) {
            // SCR says "unable to get service for reference x" when what x binds failed to start: say why it failed
            if (depth < MAX_DEPTH && c.description().references != null) {
                for (ReferenceDTO r : c.description().references) {
                    Object target = configuration.properties.getOrDefault(r.name + ".target", r.target);
                    Optional<Problem> behind = allFailed(scr, r.interfaceName, target == null ? null : target.toString(), depth);
                    if (behind.isPresent()) {
                        return behind;
                    }
                }
            }
            return Optional.of(new Problem(failureLine(configuration.failure), true, pid));
        }
        if (configuration.state != ComponentConfigurationDTO.UNSATISFIED_REFERENCE
                || configuration.unsatisfiedReferences == null || configuration.unsatisfiedReferences.length == 0) {
            return Optional.empty();
        }
        UnsatisfiedReferenceDTO missing = configuration.unsatisfiedReferences[0];
        String noTarget = "reference '" + missing.name + "' has no target" + (missing.target == null ? "" : " " + missing.target);
        List<Candidate> candidates;
        try {
            candidates = candidates(scr, interfaceOf(c.description(), missing.name), missing.target);
        } catch (InvalidSyntaxException e) {
            return Optional.of(new Problem("reference '" + missing.name + "' has a malformed target " + missing.target, true, pid));
        }
        if (candidates.isEmpty() || depth >= MAX_DEPTH) {
            return Optional.of(new Problem(noTarget, false, pid));
        }
        Problem first = null;
        for (Candidate other : candidates) {
            Optional<Problem> p = problem(scr, other, depth + 1);
            if (p.isEmpty()) {
                return Optional.empty(); // a candidate is up or coming up: SCR is binding it
            }
            if (!p.get().settled()) {
                return Optional.of(new Problem(noTarget, false, pid));
            }
            first = first == null ? p.get() : first;
        }
        return Optional.of(first);
    }

    /** The problem of the first candidate when there are candidates and every one of them failed. */
    private static Optional<Problem> allFailed(ServiceComponentRuntime scr, String service, String target, int depth) {
        List<Candidate> candidates;
        try {
            candidates = candidates(scr, service, target);
        } catch (InvalidSyntaxException e) {
            return Optional.empty();
        }
        Problem first = null;
        for (Candidate other : candidates) {
            if (other.configuration().state != ComponentConfigurationDTO.FAILED_ACTIVATION) {
                return Optional.empty();
            }
            Problem p = problem(scr, other, depth + 1).orElseThrow();
            first = first == null ? p : first;
        }
        return Optional.ofNullable(first);
    }

    /** Configurations of components providing {@code service} whose properties match {@code target} (any when null). */
    private static List<Candidate> candidates(ServiceComponentRuntime scr, String service, String target)
            throws InvalidSyntaxException {
        List<Candidate> candidates = new ArrayList<>();
        if (service == null) {
            return candidates;
        }
        Filter filter = target == null ? null : FrameworkUtil.createFilter(target);
        for (Candidate other : configurations(scr, service)) {
            if (filter == null || filter.matches(other.configuration().properties)) {
                candidates.add(other);
            }
        }
        return candidates;
    }

    private static String interfaceOf(ComponentDescriptionDTO description, String reference) {
        if (description.references != null) {
            for (ReferenceDTO r : description.references) {
                if (r.name.equals(reference)) {
                    return r.interfaceName;
                }
            }
        }
        return null;
    }

    /**
     * The component's own message from SCR's failure text (a stack trace): the first exception in
     * the chain that is not a reflective wrapper, without its class name.
     */
    static String failureLine(String failure) {
        if (failure == null || failure.isBlank()) {
            return "its activation failed";
        }
        List<String> chain = new ArrayList<>();
        for (String line : failure.lines().toList()) {
            String s = line.strip();
            if (chain.isEmpty()) {
                chain.add(s);
            } else if (s.startsWith("Caused by: ")) {
                chain.add(s.substring("Caused by: ".length()));
            }
        }
        for (String exception : chain) {
            int colon = exception.indexOf(": ");
            String type = colon > 0 ? exception.substring(0, colon) : exception;
            if (WRAPPERS.contains(type) || (colon < 0 && type.matches("[\\w.$]+"))) {
                continue; // a wrapper, or an exception without a message
            }
            return colon > 0 && type.matches("[\\w.$]+") ? exception.substring(colon + 2) : exception;
        }
        return chain.get(0);
    }
}
