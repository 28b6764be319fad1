package org.osgemu.api.machine;

/**
 * Service of a board bundle: builds machines of one type ({@code -M virt}). Registered with
 * service property {@link #TYPE}. The factory creates the board's onboard devices as
 * configurations of their own, waits for them and for {@link MachineConfig#expectedDevices()}
 * to come up, places them, loads the images and registers the machine's {@link MachineControl}.
 */
public interface MachineFactory {

    /** Service property: the board type as {@code -M} spells it. */
    String TYPE = "type";

    /** The board type, e.g. {@code virt}. */
    String type();

    /** One line for {@code -M help}. */
    String description();

    /** Builds and starts (or leaves paused) a machine. */
    MachineControl create(MachineConfig config) throws MachineConfigException;
}
