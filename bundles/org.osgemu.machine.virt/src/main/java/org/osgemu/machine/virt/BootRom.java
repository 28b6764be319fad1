package org.osgemu.machine.virt;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The reset vector in the mask ROM at 0x1000: every hart starts here with {@code a0} = its hart
 * id, {@code a1} = the device tree address and {@code a2} = the OpenSBI {@code fw_dynamic} info
 * structure, and jumps to the firmware (or, with {@code -bios none}, the kernel).
 *
 * <p>Layout: six instructions, then the jump target and the FDT address as 64-bit words, then
 * the fw_dynamic info (magic "OSBI", version 2, next address, next mode S, options 0, boot hart).
 */
final class BootRom {

    static final long FW_DYNAMIC_MAGIC = 0x4942534fL;
    static final long FW_DYNAMIC_VERSION = 2;
    static final long NEXT_MODE_S = 1;
    /** Bytes of the ROM contents: six instructions, two addresses, six words of fw_dynamic info. */
    static final int SIZE = 6 * 4 + 2 * 8 + 6 * 8;

    private static final int T0 = 5;
    private static final int A0 = 10;
    private static final int A1 = 11;
    private static final int A2 = 12;
    private static final int CSR_MHARTID = 0xf14;

    private BootRom() {}

    /** The ROM contents: start {@code start}, FDT at {@code fdt}; the firmware enters {@code nextAddr} in S-mode. */
    static byte[] build(long start, long fdt, long nextAddr) {
        ByteBuffer b = ByteBuffer.allocate(SIZE).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(uType(0, T0, 0x17));                  // auipc t0, 0       t0 = ROM base
        b.putInt(iType(0x28, T0, 0, A2, 0x13));        // addi  a2, t0, 40  a2 = &fw_dynamic_info
        b.putInt(iType(CSR_MHARTID, 0, 2, A0, 0x73));  // csrr  a0, mhartid
        b.putInt(iType(0x20, T0, 3, A1, 0x03));        // ld    a1, 32(t0)  a1 = fdt
        b.putInt(iType(0x18, T0, 3, T0, 0x03));        // ld    t0, 24(t0)  t0 = start
        b.putInt(iType(0, T0, 0, 0, 0x67));            // jr    t0
        b.putLong(start);
        b.putLong(fdt);
        b.putLong(FW_DYNAMIC_MAGIC);
        b.putLong(FW_DYNAMIC_VERSION);
        b.putLong(nextAddr);
        b.putLong(NEXT_MODE_S);
        b.putLong(0);                                  // options
        b.putLong(0);                                  // boot hart: -1 would mean "lottery"; hart 0 boots
        return b.array();
    }

    private static int iType(int imm, int rs1, int funct3, int rd, int opcode) {
        return (imm << 20) | (rs1 << 15) | (funct3 << 12) | (rd << 7) | opcode;
    }

    private static int uType(int imm20, int rd, int opcode) {
        return (imm20 << 12) | (rd << 7) | opcode;
    }
}
