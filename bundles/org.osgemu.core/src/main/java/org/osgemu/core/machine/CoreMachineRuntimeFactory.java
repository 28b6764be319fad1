package org.osgemu.core.machine;

import java.lang.System.Logger.Level;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.osgemu.api.machine.MachineRuntime;
import org.osgemu.api.machine.MachineRuntimeFactory;
import org.osgemu.api.machine.PowerButton;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;

/**
 * Makes {@link CoreMachineRuntime}s for boards. Machine names are unique among the live
 * machines of this factory; the machines still alive when the component stops are destroyed,
 * so that no vCPU or timer thread outlives the bundle.
 *
 * <p>It is also the whiteboard of {@link PowerButton} services: each machine's
 * {@code requestPowerdown} presses the buttons whose {@link PowerButton#MACHINE} property names it.
 */
@Component(service = MachineRuntimeFactory.class, immediate = true, configurationPolicy = ConfigurationPolicy.IGNORE)
public final class CoreMachineRuntimeFactory implements MachineRuntimeFactory {

    private static final System.Logger LOG = System.getLogger(CoreMachineRuntimeFactory.class.getName());

    private final Map<String, CoreMachineRuntime> machines = new ConcurrentHashMap<>();
    private final PowerButtons powerButtons = new PowerButtons();

    @Activate
    public CoreMachineRuntimeFactory() {
    }

    @Override
    public MachineRuntime create(String name, String machineType) {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("machine name must not be empty, not '" + name + "'");
        }
        CoreMachineRuntime machine = new CoreMachineRuntime(name, machineType, CoreMachineRuntime.DEFAULT_BUDGET,
                gone -> machines.remove(gone.name(), gone), () -> powerButtons.of(name));
        if (machines.putIfAbsent(name, machine) != null) {
            machine.destroy();
            throw new IllegalArgumentException("a machine named " + name + " already exists");
        }
        return machine;
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC, unbind = "removePowerButton")
    void addPowerButton(PowerButton button, Map<String, Object> properties) {
        Object machine = properties.get(PowerButton.MACHINE);
        if (machine == null || machine.toString().isBlank()) {
            // a bind method must not throw: DS would only log it less clearly
            LOG.log(Level.WARNING, "power button " + button + " has no '" + PowerButton.MACHINE
                    + "' service property; no machine will press it");
            return;
        }
        powerButtons.add(button, machine.toString());
    }

    void removePowerButton(PowerButton button) {
        powerButtons.remove(button);
    }

    @Deactivate
    void deactivate() {
        for (CoreMachineRuntime machine : List.copyOf(machines.values())) {
            machine.destroy();
        }
    }
}
