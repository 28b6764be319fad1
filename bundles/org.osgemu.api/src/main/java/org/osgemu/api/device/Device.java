package org.osgemu.api.device;

/**
 * A device model instance, one per {@code -device} (or board default). Services implementing
 * it carry the properties {@link #ID}, {@link #TYPE} and {@link #MACHINE}. Devices whose state
 * migrates also implement {@link org.osgemu.api.vmstate.Migratable}.
 */
public interface Device {

    /** Service property: the instance id ({@code -device ...,id=}). */
    String ID = "id";
    /** Service property: the device type name as {@code -device} spells it, e.g. {@code ns16550a}. */
    String TYPE = "type";
    /** Service property: name of the machine the device belongs to. */
    String MACHINE = "machine";

    String id();

    String type();

    /** Puts the device in its power-on state (registers, FIFOs, timers). */
    void reset();
}
