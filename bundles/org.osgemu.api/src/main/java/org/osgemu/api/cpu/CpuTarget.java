package org.osgemu.api.cpu;

/**
 * Service of a CPU target bundle: makes the vCPUs of one architecture. Registered with the
 * service property {@code arch} (e.g. {@code riscv64}) so boards can select it by filter.
 */
public interface CpuTarget {

    /** Service property naming the architecture. */
    String ARCH = "arch";

    /** The architecture, e.g. {@code riscv64}. */
    String architecture();

    /** The ISA string for device trees, e.g. {@code rv64imac_zicsr_zifencei}. */
    String isaString();

    /** The device-tree {@code mmu-type} of the harts (e.g. {@code riscv,sv48}), or null without an MMU. */
    default String mmuType() {
        return null;
    }

    /** Creates hart {@code hartId} running against {@code env}. */
    Cpu createCpu(int hartId, CpuEnvironment env);
}
