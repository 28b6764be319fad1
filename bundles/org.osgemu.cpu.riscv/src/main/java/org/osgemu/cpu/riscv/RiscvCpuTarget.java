package org.osgemu.cpu.riscv;

import java.util.Objects;

import org.osgemu.api.cpu.Cpu;
import org.osgemu.api.cpu.CpuEnvironment;
import org.osgemu.api.cpu.CpuTarget;
import org.osgemu.cpu.riscv.hart.RiscvHart;
import org.osgi.service.component.annotations.Component;

/**
 * The riscv64 CPU target: makes {@link RiscvHart}s (RV64IMAFDC with Zicsr and Zifencei, M/S/U
 * modes, Sv39/Sv48/Sv57, PMP, Sstc). Registered with {@code arch=riscv64} so boards select it by
 * filter. It has no configuration and holds nothing: each hart belongs to the machine that
 * created it.
 */
@Component(service = CpuTarget.class, property = CpuTarget.ARCH + "=" + RiscvCpuTarget.ARCHITECTURE)
public final class RiscvCpuTarget implements CpuTarget {

    /** The architecture name, also the value of the {@code arch} service property. */
    public static final String ARCHITECTURE = "riscv64";
    /** The ISA string device trees carry in {@code riscv,isa}. */
    public static final String ISA = "rv64imafdc_zicsr_zifencei_sstc";

    @Override
    public String architecture() {
        return ARCHITECTURE;
    }

    @Override
    public String isaString() {
        return ISA;
    }

    /**
     * Sv57 is the largest translation mode the harts implement (Sv39 and Sv48 too), as on
     * QEMU's rv64 CPU: Linux probes satp from Sv57 down and so takes the same page-table
     * layout on both, which keeps their instruction traces comparable.
     */
    @Override
    public String mmuType() {
        return "riscv,sv57";
    }

    @Override
    public Cpu createCpu(int hartId, CpuEnvironment env) {
        Objects.requireNonNull(env, "riscv64 cpu: env");
        return new RiscvHart(hartId, env);
    }
}
