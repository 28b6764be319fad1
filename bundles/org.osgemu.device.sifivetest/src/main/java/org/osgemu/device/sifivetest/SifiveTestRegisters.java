package org.osgemu.device.sifivetest;

import org.osgemu.api.device.RegisterMap;

/**
 * Register layout of the SiFive test finisher: a single 32-bit command register at offset 0.
 * The low 16 bits of a write are the command, the high 16 bits the exit code of a failure.
 */
final class SifiveTestRegisters {

    /** Size of the MMIO window on QEMU's {@code virt} board. */
    static final long SIZE = 0x1000;

    /** The command register. */
    static final String FINISHER = "FINISHER";
    static final long FINISHER_OFFSET = 0x0;

    /** Low half of a FINISHER write: the command. */
    static final int COMMAND_MASK = 0xFFFF;
    /** High half of a FINISHER write: the exit code of a {@link #FAIL}. */
    static final int CODE_SHIFT = 16;

    /** Power off, reporting failure with the code from bits 31:16. */
    static final int FAIL = 0x3333;
    /** Power off, reporting success. */
    static final int PASS = 0x5555;
    /** Reset the machine. */
    static final int RESET = 0x7777;

    private SifiveTestRegisters() {
    }

    /**
     * The register map. FINISHER keeps no value (it reads as 0): each write acts on the bits it
     * carries, so the hook gets them raw rather than merged with an earlier write.
     */
    static RegisterMap declare(RegisterMap.WriteBitsHook finisher) {
        return RegisterMap.builder(SifiveTestDevice.TYPE)
                .register(FINISHER, FINISHER_OFFSET, 4).onWriteBits(finisher).add()
                .build();
    }
}
