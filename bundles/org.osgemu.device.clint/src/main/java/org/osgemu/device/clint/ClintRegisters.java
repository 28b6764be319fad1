package org.osgemu.device.clint;

import org.osgemu.api.device.RegisterMap;

/**
 * Register layout of the SiFive CLINT (SiFive FU540-C000 manual, chapter "Core Local
 * Interruptor"; the same map as the RISC-V ACLINT's MSWI at 0x0 and MTIMER at 0x4000):
 * one MSIP word per hart at 0x0, one 64-bit MTIMECMP per hart at 0x4000, MTIME at 0xBFF8.
 */
final class ClintRegisters {

    /** Size of the MMIO window on QEMU's {@code virt} board. */
    static final long SIZE = 0x10000;

    static final String MSIP = "MSIP";
    static final long MSIP_OFFSET = 0x0;
    static final long MSIP_STRIDE = 4;
    /** Only bit 0 of an MSIP word exists. */
    static final long MSIP_MASK = 0x1;

    static final String MTIMECMP = "MTIMECMP";
    static final long MTIMECMP_OFFSET = 0x4000;
    static final long MTIMECMP_STRIDE = 8;

    static final String MTIME = "MTIME";
    static final long MTIME_OFFSET = 0xBFF8;

    /** Harts the layout has room for: MTIMECMP slots between 0x4000 and MTIME. */
    static final int MAX_HARTS = (int) ((MTIME_OFFSET - MTIMECMP_OFFSET) / MTIMECMP_STRIDE);

    /** {@code mip} bit of the machine software interrupt (MSIP). */
    static final int MIP_MSIP = 3;
    /** {@code mip} bit of the machine timer interrupt (MTIP). */
    static final int MIP_MTIP = 7;

    private ClintRegisters() {
    }

    /**
     * The register map for {@code harts} harts. MTIMECMP resets to all ones, so that no timer
     * interrupt is pending before software programs it (the ACLINT spec leaves it unknown).
     * MTIME holds no value of its own: reads and writes go to the device's timebase.
     */
    static RegisterMap declare(int harts, ClintDevice clint) {
        return RegisterMap.builder(ClintDevice.TYPE)
                .register(MSIP, MSIP_OFFSET, 4).array(harts, MSIP_STRIDE).writeMask(MSIP_MASK)
                        .onWrite((hart, value) -> clint.softwareInterruptWritten(hart)).add()
                .register(MTIMECMP, MTIMECMP_OFFSET, 8).array(harts, MTIMECMP_STRIDE).readWrite().reset(-1L)
                        .onWrite((hart, value) -> clint.timerCompareWritten(hart)).add()
                .register(MTIME, MTIME_OFFSET, 8).onRead(i -> clint.mtime())
                        .onWriteBits((i, bits, mask) -> clint.mtimeWritten(bits, mask)).add()
                .build();
    }
}
