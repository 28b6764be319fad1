package org.osgemu.api.machine;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What a command line (or QMP, or a machine file) asks of a new machine.
 *
 * @param name machine name; devices name it in their {@code machine} property
 * @param ramSize guest RAM in bytes
 * @param cpus number of harts ({@code -smp})
 * @param bios firmware image; empty for {@code -bios none}
 * @param kernel kernel image (ELF or raw), if any
 * @param initrd initial ramdisk, if any
 * @param append kernel command line ({@code -append})
 * @param startPaused {@code -S}: stay paused after assembly
 * @param expectedDevices ids of the {@code -device} instances the machine must wait for
 * @param dtb a device tree blob to give the firmware instead of the one the board builds ({@code -dtb})
 * @param actions what a reset or shutdown request does ({@code -no-reboot}, {@code -no-shutdown})
 */
public record MachineConfig(String name, long ramSize, int cpus, Optional<Path> bios, Optional<Path> kernel,
                            Optional<Path> initrd, String append, boolean startPaused, List<String> expectedDevices,
                            Optional<Path> dtb, MachineActions actions) {

    /** A configuration with QEMU's default actions on reset and shutdown. */
    public MachineConfig(String name, long ramSize, int cpus, Optional<Path> bios, Optional<Path> kernel,
                         Optional<Path> initrd, String append, boolean startPaused, List<String> expectedDevices,
                         Optional<Path> dtb) {
        this(name, ramSize, cpus, bios, kernel, initrd, append, startPaused, expectedDevices, dtb, MachineActions.DEFAULT);
    }

    /** A configuration with the board's own device tree. */
    public MachineConfig(String name, long ramSize, int cpus, Optional<Path> bios, Optional<Path> kernel,
                         Optional<Path> initrd, String append, boolean startPaused, List<String> expectedDevices) {
        this(name, ramSize, cpus, bios, kernel, initrd, append, startPaused, expectedDevices, Optional.empty());
    }

    public MachineConfig {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(bios, "bios");
        Objects.requireNonNull(kernel, "kernel");
        Objects.requireNonNull(initrd, "initrd");
        Objects.requireNonNull(append, "append");
        expectedDevices = List.copyOf(expectedDevices);
        Objects.requireNonNull(dtb, "dtb");
        Objects.requireNonNull(actions, "actions");
    }
}
