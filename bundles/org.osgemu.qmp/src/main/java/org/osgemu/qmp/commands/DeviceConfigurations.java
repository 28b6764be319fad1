package org.osgemu.qmp.commands;

import java.io.IOException;
import java.util.Map;
import java.util.Optional;

/**
 * Where devices come from: one factory configuration {@code osgemu.device.<driver>} per device,
 * as the launcher makes them for {@code -device}. Behind an interface so that the hot-plug
 * logic runs in tests without ConfigAdmin and SCR.
 */
public interface DeviceConfigurations {

    /** Whether an installed bundle declares a component for {@code osgemu.device.<driver>}. */
    boolean hasDriver(String driver);

    /**
     * Whether the board places devices of {@code driver} on the machine (a
     * {@link org.osgemu.api.device.PlatformDevice}, the launcher's test as well); false for a device
     * that plugs into another device's bus instead ({@code virtconsole}), which never appears in
     * {@code MachineControl.devices()} and takes a {@code bus} argument.
     */
    default boolean placedByTheBoard(String driver) {
        return true;
    }

    /** Creates the configuration of a new device; returns its PID. */
    String create(String driver, Map<String, Object> properties) throws IOException;

    /**
     * Why the component of configuration {@code pid} is not a device service, when it is known
     * not to become one: its activation failed, or a reference it needs has no target.
     */
    Optional<String> problem(String pid);

    /** Deletes the configuration with PID {@code pid}; no effect when it is gone. */
    void delete(String pid) throws IOException;

    /** The PID of the device configuration with {@code id} on {@code machine}, if one exists. */
    Optional<String> find(String machine, String id) throws IOException;
}
