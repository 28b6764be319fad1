package org.osgemu.cpu.riscv.hart;

import org.osgemu.api.vmstate.VMStateDescription;

/**
 * The migratable state of one riscv64 hart: every architectural register and CSR value. What
 * is derived (TLB, decode cache, the LR reservation, which any trap may drop) is not included.
 *
 * @param pc program counter
 * @param priv privilege level: 0 (U), 1 (S) or 3 (M)
 * @param x the 32 integer registers, x0 included (always 0)
 * @param mip the mip bits software wrote (SSIP, STIP, SEIP)
 * @param interruptLines levels of the interrupt inputs, as mip bits
 * @param pmpcfg pmpcfg0 and pmpcfg2
 * @param pmpaddr pmpaddr0..15
 * @param waitingForInterrupt whether the hart sits in WFI
 * @param stimecmp Sstc's supervisor timer compare register (version 2; 0 from older streams)
 * @param f the 32 FP registers, binary32 values NaN-boxed (version 3; zeros from older streams)
 * @param fcsr fflags in bits 0..4 and frm in bits 5..7 (version 3; 0 from older streams)
 */
public record RiscvCpuState(long pc, int priv, long[] x,
                            long mstatus, long misa, long medeleg, long mideleg, long mie, long mip,
                            long interruptLines, long mtvec, long mscratch, long mepc, long mcause, long mtval,
                            long mcounteren, long mcountinhibit, long menvcfg,
                            long stvec, long sscratch, long sepc, long scause, long stval, long scounteren,
                            long senvcfg, long satp, long mcycle, long minstret,
                            long[] pmpcfg, long[] pmpaddr, boolean waitingForInterrupt,
                            long stimecmp, long[] f, int fcsr) {

    /** The VMState {@code riscv-cpu}, version 3 (loads versions 1 and 2 too). */
    public static final VMStateDescription<RiscvCpuState> VMSTATE =
            VMStateDescription.builder("riscv-cpu", RiscvCpuState.class)
                    .version(3)
                    .u64("pc").u8("priv").u64Array("x", 32)
                    .u64("mstatus").u64("misa").u64("medeleg").u64("mideleg").u64("mie").u64("mip")
                    .u64("interruptLines").u64("mtvec").u64("mscratch").u64("mepc").u64("mcause").u64("mtval")
                    .u64("mcounteren").u64("mcountinhibit").u64("menvcfg")
                    .u64("stvec").u64("sscratch").u64("sepc").u64("scause").u64("stval").u64("scounteren")
                    .u64("senvcfg").u64("satp").u64("mcycle").u64("minstret")
                    .u64Array("pmpcfg", CsrFile.PMP_ENTRIES / 8).u64Array("pmpaddr", CsrFile.PMP_ENTRIES)
                    .bool("waitingForInterrupt")
                    .since(2).u64("stimecmp")
                    .since(3).u64Array("f", 32).u32("fcsr")
                    .build();
}
