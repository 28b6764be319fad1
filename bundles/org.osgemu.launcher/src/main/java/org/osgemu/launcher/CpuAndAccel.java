package org.osgemu.launcher;

import java.util.List;
import java.util.Set;

/**
 * The {@code -cpu} models and {@code -accel} accelerators osgemu takes, under QEMU's names. A
 * name is accepted only where QEMU's meaning fits what osgemu does, so that a script asking for
 * something else (more extensions, a hypervisor) learns at once that it will not get it.
 */
final class CpuAndAccel {

    /**
     * Models whose QEMU meaning the hart matches: {@code rv64} is QEMU's default riscv64 model,
     * the one scripts name out of habit; the extensions it has here (RV64IMAFDC, Zicsr, Zifencei,
     * Sstc, Sv39/48/57) are those the device tree advertises, which is where guests look.
     */
    static final List<String> CPU_MODELS = List.of("rv64");

    /** What osgemu is: an interpreter, which QEMU's name for a software CPU covers. */
    static final String ACCELERATOR = "tcg";

    /** Accelerators QEMU knows that osgemu has not: named as such instead of as unknown. */
    private static final Set<String> HARDWARE_ACCELERATORS = Set.of("kvm", "hvf", "whpx", "xen", "nvmm", "qtest");

    /** QEMU models that exist but promise extensions the hart lacks. */
    private static final Set<String> RICHER_MODELS = Set.of("max", "rv64i", "rv64e", "thead-c906", "veyron-v1",
            "sifive-u54", "sifive-e51", "shakti-c", "rva22s64", "rva23s64", "rva22u64", "rva23u64");

    static final String CPU_HELP = "Available CPUs:\n" + String.join("", CPU_MODELS.stream().map(m -> "  " + m + "\n").toList());
    static final String ACCEL_HELP = "Accelerators supported in osgemu:\n" + ACCELERATOR + "\n";

    private CpuAndAccel() {
    }

    /** Checks {@code -cpu value}; {@code help} is handled by the caller. */
    static void checkCpu(String opt, String value) throws CommandLineException {
        int comma = value.indexOf(',');
        String model = comma < 0 ? value : value.substring(0, comma);
        if (!CPU_MODELS.contains(model)) {
            if (RICHER_MODELS.contains(model)) {
                throw new CommandLineException(opt + " " + model + ": QEMU's " + model
                        + " model is not what osgemu's hart implements (RV64IMAFDC, Zicsr, Zifencei, Sstc); use -cpu rv64");
            }
            throw new CommandLineException(opt + " " + model + ": unknown CPU model (try -cpu help)");
        }
        if (comma >= 0) {
            throw new CommandLineException(opt + " " + value + ": CPU properties are not supported; the " + model
                    + " hart has a fixed set of extensions, give -cpu " + model + " alone");
        }
    }

    /** Checks {@code -accel value}; {@code help} is handled by the caller. */
    static void checkAccel(String opt, String value) throws CommandLineException {
        int comma = value.indexOf(',');
        String name = comma < 0 ? value : value.substring(0, comma);
        checkAcceleratorName(opt + " " + value, name);
        if (comma >= 0) {
            throw new CommandLineException(opt + " " + value + ": accelerator properties are not supported; give -accel "
                    + ACCELERATOR + " alone");
        }
    }

    /**
     * Checks {@code -machine accel=list}: QEMU tries the colon-separated accelerators in turn, so
     * a list that names tcg ends up with tcg (as {@code kvm:tcg} does on a host without KVM).
     */
    static void checkMachineAccel(String opt, String list) throws CommandLineException {
        String[] names = list.split(":", -1);
        for (String name : names) {
            if (name.equals(ACCELERATOR)) {
                return;
            }
        }
        checkAcceleratorName(opt + " accel=" + list, names[0]);
        throw new CommandLineException(opt + " accel=" + list + ": osgemu has no " + names[0]
                + " accelerator; accel=" + ACCELERATOR + " or none of it");
    }

    private static void checkAcceleratorName(String where, String name) throws CommandLineException {
        if (name.equals(ACCELERATOR)) {
            return;
        }
        if (HARDWARE_ACCELERATORS.contains(name)) {
            throw new CommandLineException("osgemu has no " + name + " accelerator; -accel " + ACCELERATOR + " or none of it");
        }
        throw new CommandLineException(where + ": unknown accelerator '" + name + "' (try -accel help)");
    }
}
