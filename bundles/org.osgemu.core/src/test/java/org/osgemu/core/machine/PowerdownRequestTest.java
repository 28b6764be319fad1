package org.osgemu.core.machine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.osgemu.api.machine.MachineRuntime;
import org.osgemu.api.machine.PowerButton;
import org.osgemu.api.machine.RunState;

/** system_powerdown reaches the power buttons of its own machine, and only those. */
class PowerdownRequestTest {

    private final CoreMachineRuntimeFactory factory = new CoreMachineRuntimeFactory();
    private final List<String> presses = new ArrayList<>();

    @AfterEach
    void stopFactory() {
        factory.deactivate();
    }

    private PowerButton button(String name) {
        return () -> presses.add(name);
    }

    @Test
    void aRequestPressesEveryButtonOfItsMachineAndNoOther() {
        factory.addPowerButton(button("vm0-key"), Map.of(PowerButton.MACHINE, "vm0"));
        factory.addPowerButton(button("vm1-key"), Map.of(PowerButton.MACHINE, "vm1"));
        MachineRuntime vm0 = factory.create("vm0", "virt");

        vm0.requestPowerdown();

        assertEquals(List.of("vm0-key"), presses);
        assertEquals(RunState.PRELAUNCH, vm0.state(), "a press is a request to the guest, not a shutdown");
    }

    @Test
    void aButtonThatAppearsAfterTheMachineIsPressedAndAGoneOneIsNot() {
        MachineRuntime vm0 = factory.create("vm0", "virt");
        PowerButton late = button("late");
        factory.addPowerButton(late, Map.of(PowerButton.MACHINE, "vm0"));
        vm0.requestPowerdown();
        factory.removePowerButton(late);
        vm0.requestPowerdown();

        assertEquals(List.of("late"), presses);
    }

    @Test
    void aFailingButtonDoesNotKeepTheOthersFromBeingPressed() {
        factory.addPowerButton(() -> {
            throw new IllegalStateException("broken");
        }, Map.of(PowerButton.MACHINE, "vm0"));
        factory.addPowerButton(button("good"), Map.of(PowerButton.MACHINE, "vm0"));

        factory.create("vm0", "virt").requestPowerdown();

        assertEquals(List.of("good"), presses);
    }

    @Test
    void aButtonWithoutAMachineIsNeverPressed() {
        factory.addPowerButton(button("orphan"), Map.of());
        factory.create("vm0", "virt").requestPowerdown();
        assertEquals(List.of(), presses);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new PowerButtons().add(button("x"), " "));
        assertEquals(true, e.getMessage().contains("'machine'"), e.getMessage());
    }
}
