package org.osgemu.cpu.riscv.decode;

/**
 * Field transforms named by {@code !function=} in the decode specs; the generated decoders
 * call them while extracting fields.
 */
public final class DecodeFunctions {

    private DecodeFunctions() {
    }

    /**
     * The 3-bit register fields of the compressed CIW, CL, CS, CA and CB formats name the
     * eight most used registers, x8 (s0) to x15 (a5).
     */
    public static int cregister(int field) {
        return field + 8;
    }
}
