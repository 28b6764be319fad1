package org.osgemu.api.machine;

/**
 * A machine's power button (what QEMU calls a powerdown notifier): something that tells the guest
 * "the user asked you to power down", such as a key wired to a GPIO pin or an ACPI button.
 * Registered as a whiteboard service with the {@link #MACHINE} property naming its machine;
 * {@link MachineControl#requestPowerdown()} presses every button of that machine. A press is a
 * request the guest may follow or ignore, not a shutdown.
 */
public interface PowerButton {

    /** Service property: name of the machine the button belongs to (the property devices carry). */
    String MACHINE = "machine";

    /**
     * Presses the button and returns at once; the release follows by itself in guest time. A
     * button that is not wired to a running machine (its device is not placed) ignores the press.
     */
    void press();
}
