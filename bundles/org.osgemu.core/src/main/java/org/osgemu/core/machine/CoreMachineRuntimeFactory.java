package org.osgemu.core.machine;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.osgemu.api.machine.MachineRuntime;
import org.osgemu.api.machine.MachineRuntimeFactory;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;

/**
 * Makes {@link CoreMachineRuntime}s for boards. Machine names are unique among the live
 * machines of this factory; the machines still alive when the component stops are destroyed,
 * so that no vCPU or timer thread outlives the bundle.
 */
@Component(service = MachineRuntimeFactory.class, immediate = true, configurationPolicy = ConfigurationPolicy.IGNORE)
public final class CoreMachineRuntimeFactory implements MachineRuntimeFactory {

    private final Map<String, CoreMachineRuntime> machines = new ConcurrentHashMap<>();

    @Activate
    public CoreMachineRuntimeFactory() {
    }

    @Override
    public MachineRuntime create(String name, String machineType) {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("machine name must not be empty, not '" + name + "'");
        }
        CoreMachineRuntime machine = new CoreMachineRuntime(name, machineType, CoreMachineRuntime.DEFAULT_BUDGET,
                gone -> machines.remove(gone.name(), gone));
        if (machines.putIfAbsent(name, machine) != null) {
            machine.destroy();
            throw new IllegalArgumentException("a machine named " + name + " already exists");
        }
        return machine;
    }

    @Deactivate
    void deactivate() {
        for (CoreMachineRuntime machine : List.copyOf(machines.values())) {
            machine.destroy();
        }
    }
}
