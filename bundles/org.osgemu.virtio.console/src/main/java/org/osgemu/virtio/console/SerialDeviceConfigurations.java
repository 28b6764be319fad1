package org.osgemu.virtio.console;

import java.util.Set;

/**
 * Which {@code virtio-serial-device}s a machine is configured to have, whether or not their
 * components are active yet. A {@link VirtconsolePort} that finds nowhere to plug in asks this to
 * tell a device that is only late (its bundle restarting, SCR activating the port first) from one
 * that does not exist. Behind an interface so that the port runs in tests without ConfigAdmin.
 */
interface SerialDeviceConfigurations {

    /** The ids of the {@code virtio-serial-device} configurations of machine {@code machine}. */
    Set<String> deviceIds(String machine);
}
