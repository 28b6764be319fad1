package org.osgemu.device.clint;

import org.osgemu.api.vmstate.VMStateDescription;

/**
 * Migration state of a CLINT: the registers of every hart and the offset of MTIME from the
 * machine's virtual clock (which migrates itself). The timer interrupt lines are recomputed on
 * load. The constructor refuses values the hardware cannot hold, naming the field.
 *
 * @param msip MSIP bit of each hart (0 or 1)
 * @param mtimecmp MTIMECMP of each hart
 * @param mtimeDelta MTIME minus the virtual clock in ticks (nonzero after the guest wrote MTIME)
 */
public record ClintState(int[] msip, long[] mtimecmp, long mtimeDelta) {

    /** Version 1. */
    public static final VMStateDescription<ClintState> VMSTATE =
            VMStateDescription.builder(ClintDevice.TYPE, ClintState.class).version(1)
                    .u32ArrayVariable("msip", ClintRegisters.MAX_HARTS)
                    .u64ArrayVariable("mtimecmp", ClintRegisters.MAX_HARTS)
                    .i64("mtimeDelta")
                    .build();

    public ClintState {
        for (int hart = 0; hart < msip.length; hart++) {
            if ((msip[hart] & ~ClintRegisters.MSIP_MASK) != 0) {
                throw new IllegalArgumentException("msip: hart " + hart + " holds 0x" + Integer.toHexString(msip[hart])
                        + ", only bit 0 exists");
            }
        }
        if (mtimecmp.length != msip.length) {
            throw new IllegalArgumentException("mtimecmp: " + mtimecmp.length + " harts, but msip has " + msip.length);
        }
        msip = msip.clone();
        mtimecmp = mtimecmp.clone();
    }

    @Override
    public int[] msip() {
        return msip.clone();
    }

    @Override
    public long[] mtimecmp() {
        return mtimecmp.clone();
    }
}
