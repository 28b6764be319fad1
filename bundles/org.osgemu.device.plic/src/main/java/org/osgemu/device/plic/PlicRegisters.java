package org.osgemu.device.plic;

import org.osgemu.api.device.RegisterMap;

/**
 * Register layout of the SiFive PLIC (RISC-V PLIC Specification 1.0.0, "Memory Map"): a
 * priority word per source at 0x0, pending bits at 0x1000, per context a block of enable bits at
 * 0x2000 + 0x80 &times; context, and per context a threshold at 0x200000 + 0x1000 &times; context
 * followed by the claim/complete register. Source 0 does not exist.
 */
final class PlicRegisters {

    /** Size of the MMIO window on QEMU's {@code virt} board (room for 512 harts of 2 contexts). */
    static final long SIZE = 0x600000;

    static final String PRIORITY0 = "PRIORITY0";
    /** Priorities of sources 1..n-1 (array element i is source i + 1). */
    static final String PRIORITY = "PRIORITY";
    static final long PRIORITY_OFFSET = 0x0;
    static final String PENDING = "PENDING";
    static final long PENDING_OFFSET = 0x1000;
    /** The enable words of context {@code c} are register array {@code ENABLE[c]}. */
    static final String ENABLE = "ENABLE";
    static final long ENABLE_OFFSET = 0x2000;
    static final long ENABLE_STRIDE = 0x80;
    static final String THRESHOLD = "THRESHOLD";
    static final String CLAIM = "CLAIM";
    static final long CONTEXT_OFFSET = 0x200000;
    static final long CONTEXT_STRIDE = 0x1000;
    static final long CLAIM_IN_CONTEXT = 0x4;

    /** Priority and threshold width, as on QEMU's {@code virt}: levels 1..7, 0 = never. */
    static final int PRIORITY_BITS = 3;
    static final long PRIORITY_MASK = (1 << PRIORITY_BITS) - 1;
    /** Sources the layout has room for, source 0 included. */
    static final int MAX_SOURCES = 1024;
    /** Contexts the window has room for. */
    static final int MAX_CONTEXTS = (int) ((SIZE - CONTEXT_OFFSET) / CONTEXT_STRIDE);

    /** {@code mip} bit of the machine external interrupt, the target of context 2h. */
    static final int MIP_MEIP = 11;
    /** {@code mip} bit of the supervisor external interrupt, the target of context 2h + 1. */
    static final int MIP_SEIP = 9;

    private PlicRegisters() {
    }

    /** 32-bit words of pending or enable bits for {@code sources} sources. */
    static int words(int sources) {
        return (sources + 31) / 32;
    }

    /** The bits of enable/pending word {@code word} that name existing sources (not source 0). */
    static long sourceMask(int word, int sources) {
        long mask = 0;
        for (int bit = 0; bit < 32; bit++) {
            int source = word * 32 + bit;
            if (source >= 1 && source < sources) {
                mask |= 1L << bit;
            }
        }
        return mask;
    }

    /**
     * The register map for {@code sources} sources (source 0 included) and {@code contexts}
     * contexts. The per-context registers are declared context by context, as the specification
     * lists them (their arrays would interleave). All state lives in the device, which applies the
     * masks: each register is a hook.
     */
    static RegisterMap declare(int sources, int contexts, PlicDevice plic) {
        int words = words(sources);
        RegisterMap.Builder map = RegisterMap.builder(PlicDevice.TYPE)
                .register(PRIORITY0, PRIORITY_OFFSET, 4).add() // source 0 does not exist: reads 0, writes refused
                .register(PRIORITY, PRIORITY_OFFSET + 4, 4).array(sources - 1, 4)
                        .onRead(i -> plic.priority(i + 1))
                        .onWriteBits((i, bits, mask) -> plic.writePriority(i + 1, bits, mask)).add()
                .register(PENDING, PENDING_OFFSET, 4).array(words, 4).onRead(plic::pendingWord).add();
        for (int c = 0; c < contexts; c++) {
            int context = c;
            map.register(ENABLE + "[" + c + "]", ENABLE_OFFSET + ENABLE_STRIDE * c, 4).array(words, 4)
                    .onRead(word -> plic.enableWord(context, word))
                    .onWriteBits((word, bits, mask) -> plic.writeEnableWord(context, word, bits, mask)).add()
               .register(THRESHOLD + "[" + c + "]", CONTEXT_OFFSET + CONTEXT_STRIDE * c, 4)
                    .onRead(i -> plic.threshold(context))
                    .onWriteBits((i, bits, mask) -> plic.writeThreshold(context, bits, mask)).add()
               .register(CLAIM + "[" + c + "]", CONTEXT_OFFSET + CONTEXT_STRIDE * c + CLAIM_IN_CONTEXT, 4)
                    .onRead(i -> plic.claim(context))
                    .onWriteBits((i, bits, mask) -> plic.complete(context, bits)).add();
        }
        return map.build();
    }
}
