package org.osgemu.launcher;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

import org.osgemu.api.machine.MachineActions;

/**
 * What a command line asks for, parsed and checked, before anything is configured.
 *
 * @param action what to do: run a machine, or print help, version or a list
 * @param machineType {@code -M}
 * @param name {@code -name}, the machine's name
 * @param ramSize {@code -m} in bytes
 * @param cpus {@code -smp}
 * @param bios {@code -bios}: a path, or empty for {@code none}
 * @param kernel {@code -kernel}
 * @param initrd {@code -initrd}
 * @param append {@code -append}
 * @param startPaused {@code -S}
 * @param chardevs backends to configure, keyed by id
 * @param backends block and network backends ({@code -drive}, {@code -netdev})
 * @param devices {@code -device} instances
 * @param servers monitor ({@code -monitor}) and QMP ({@code -qmp}, {@code -mon}) servers
 * @param incoming {@code -incoming}: where the machine's state comes from, if not from a boot
 * @param dtb {@code -dtb}: a device tree to use instead of the board's
 * @param actions {@code -no-reboot}, {@code -no-shutdown}: what guest resets and power-offs do
 */
record LaunchPlan(Action action, String machineType, String name, long ramSize, int cpus, Optional<Path> bios,
                  Optional<Path> kernel, Optional<Path> initrd, String append, boolean startPaused,
                  Map<String, Backend> chardevs, List<Backend> backends, List<DeviceSpec> devices, List<Backend> servers,
                  Optional<String> incoming, Optional<Path> dtb, MachineActions actions) {

    /** What the launcher does. */
    enum Action { RUN, HELP, VERSION, LIST_MACHINES, LIST_DEVICES, LIST_CPUS, LIST_ACCELERATORS }

    /**
     * A factory configuration to create: PID and properties, and the option it comes from (such
     * as {@code -netdev socket,id=n0,listen=:5555}) for messages.
     */
    record Backend(String pid, Map<String, String> properties, String option) {}

    /**
     * One {@code -device}: driver, id and the remaining properties, and the option it comes from
     * for messages ({@code -device ...}, or the {@code -drive ...,if=virtio} that implies it).
     */
    record DeviceSpec(String driver, String id, Map<String, String> properties, String option) {

        /** Properties of the backend references the launcher links by a target filter. */
        static final List<String> BACKEND_REFERENCES = List.of("drive", "netdev", "chardev");

        String factoryPid() {
            return "osgemu.device." + driver;
        }

        /** The properties the command line gave, without the target filters the launcher added. */
        Set<String> givenProperties() {
            Set<String> given = new TreeSet<>(properties.keySet());
            for (String reference : BACKEND_REFERENCES) {
                if (properties.containsKey(reference)) {
                    given.remove(reference + ".target");
                }
            }
            return given;
        }
    }
}
