package org.osgemu.core.machine;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

import org.osgemu.api.machine.PowerButton;

/**
 * The {@link PowerButton} services seen so far, by the machine each names. Buttons may register
 * before their machine exists (a device configuration comes up first) and stay when it goes, so
 * the runtime asks for its buttons at each request instead of keeping a list of its own.
 */
final class PowerButtons {

    private final Map<PowerButton, String> machineOf = new ConcurrentHashMap<>();

    /** Adds {@code button} of machine {@code machine}; a button without a machine name is refused. */
    void add(PowerButton button, String machine) {
        Objects.requireNonNull(button, "button");
        if (machine == null || machine.isBlank()) {
            throw new IllegalArgumentException("power button " + button + " has no '" + PowerButton.MACHINE
                    + "' service property: it cannot be pressed for any machine");
        }
        machineOf.put(button, machine);
    }

    void remove(PowerButton button) {
        machineOf.remove(button);
    }

    /** The buttons of machine {@code machine}, in no particular order. */
    List<PowerButton> of(String machine) {
        return machineOf.entrySet().stream().filter(e -> e.getValue().equals(machine)).map(Map.Entry::getKey).toList();
    }
}
