package org.osgemu.launcher;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import org.osgemu.api.component.ComponentProblems;
import org.osgi.framework.Constants;
import org.osgi.service.component.runtime.ServiceComponentRuntime;

/**
 * Waits for the components of configurations the launcher created to come up, and says at once
 * why one did not, with the option it came from: {@code -device virtio-net-device,mac=zz} and the
 * component's own reason; a device whose backend failed gives the backend's option and reason.
 * Backends are awaited before devices, so that a device waiting for a reference nothing offers is
 * known to wait forever.
 */
final class ConfigurationWaiter {

    /** A configuration to wait for: its PID and the option it was made from. */
    record Awaited(String pid, String option) {}

    /** Why {@code item} did not come up: the component's reason, or which reference has no target. */
    record Refusal(Awaited item, String reason) {}

    private static final long POLL_MILLIS = 20;

    private final ServiceComponentRuntime scr;
    private final long timeoutNanos;
    /** Everything awaited so far, by PID: a device's refusal may be the failure of a backend awaited before. */
    private final Map<String, Awaited> known = new HashMap<>();

    ConfigurationWaiter(ServiceComponentRuntime scr, long timeout, TimeUnit unit) {
        this.scr = scr;
        this.timeoutNanos = unit.toNanos(timeout);
    }

    /**
     * Waits until every configuration in {@code awaited} has a satisfied or active component.
     * Returns the first that did not: a failure at once; a reference no service offers once
     * nothing else in {@code awaited} is still on its way when {@code othersSettled} (everything
     * else it could bind was awaited before), else at the timeout; a configuration no component
     * took at the timeout.
     */
    Optional<Refusal> await(List<Awaited> awaited, boolean othersSettled) throws InterruptedException {
        long deadline = System.nanoTime() + timeoutNanos;
        List<Awaited> waiting = new ArrayList<>(awaited);
        awaited.forEach(a -> known.put(a.pid(), a));
        while (true) {
            Refusal firstWaitingForReference = null;
            boolean onItsWay = false;
            for (Awaited a : List.copyOf(waiting)) {
                if (ComponentProblems.isUp(scr, p -> a.pid().equals(p.get(Constants.SERVICE_PID)))) {
                    waiting.remove(a);
                    continue;
                }
                Optional<ComponentProblems.Problem> problem = ComponentProblems.forPid(scr, a.pid());
                if (problem.isEmpty()) {
                    onItsWay = true; // not delivered to SCR yet, or being bound
                } else if (problem.get().settled()) {
                    // the option of the configuration that failed: -netdev for a device whose netdev could not listen
                    return Optional.of(new Refusal(known.getOrDefault(problem.get().pid(), a), problem.get().reason()));
                } else if (firstWaitingForReference == null) {
                    firstWaitingForReference = new Refusal(a, problem.get().reason());
                }
            }
            if (waiting.isEmpty()) {
                return Optional.empty();
            }
            // one device may wait for another of the same batch (a port for its serial bus): only
            // when none is on its way any more is a reference nobody offers a refusal
            if (firstWaitingForReference != null && othersSettled && !onItsWay) {
                return Optional.of(firstWaitingForReference);
            }
            if (System.nanoTime() - deadline >= 0) {
                return Optional.of(firstWaitingForReference != null ? firstWaitingForReference
                        : new Refusal(waiting.get(0), "did not come up within " + TimeUnit.NANOSECONDS.toSeconds(timeoutNanos)
                                + " s (is the bundle that provides it started?)"));
            }
            Thread.sleep(POLL_MILLIS);
        }
    }
}
