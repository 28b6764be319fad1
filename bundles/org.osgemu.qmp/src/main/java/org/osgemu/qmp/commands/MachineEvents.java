package org.osgemu.qmp.commands;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.osgemu.api.command.CommandRegistry;
import org.osgemu.api.machine.MachineControl;
import org.osgemu.api.machine.MachineListener;
import org.osgemu.api.machine.RunState;
import org.osgemu.api.machine.ShutdownCause;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;

/**
 * Turns what every machine tells its {@link MachineListener}s into the schema's events: STOP
 * when a running machine pauses, RESUME when it runs, RESET and SHUTDOWN with {@code guest}
 * and {@code reason}. Listeners run on the machine's threads under its control lock; emitting
 * only queues the event for each client, so it never waits.
 */
@Component(service = {}, immediate = true)
public final class MachineEvents {

    private final CommandRegistry registry;
    private final Map<MachineControl, MachineListener> listeners = new ConcurrentHashMap<>();

    @Activate
    public MachineEvents(@Reference CommandRegistry registry) {
        this.registry = registry;
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC, unbind = "removeMachine")
    public void addMachine(MachineControl machine) {
        MachineListener listener = listenerFor(machine.name());
        listeners.put(machine, listener);
        machine.addListener(listener);
    }

    public void removeMachine(MachineControl machine) {
        MachineListener listener = listeners.remove(machine);
        if (listener != null) {
            machine.removeListener(listener);
        }
    }

    @Deactivate
    void deactivate() {
        listeners.forEach(MachineControl::removeListener);
        listeners.clear();
    }

    private MachineListener listenerFor(String machine) {
        return new MachineListener() {
            @Override
            public void stateChanged(RunState from, RunState to) {
                if (to == RunState.RUNNING) {
                    registry.emit(machine, "RESUME", Map.of());
                } else if (from == RunState.RUNNING && to != RunState.SHUTDOWN) {
                    registry.emit(machine, "STOP", Map.of());
                }
            }

            @Override
            public void reset(ShutdownCause cause) {
                registry.emit(machine, "RESET", cause(cause));
            }

            @Override
            public void shutdown(ShutdownCause cause, int exitCode) {
                registry.emit(machine, "SHUTDOWN", cause(cause));
            }
        };
    }

    private static Map<String, Object> cause(ShutdownCause cause) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("guest", cause.isGuest());
        data.put("reason", cause.qapiName());
        return data;
    }
}
