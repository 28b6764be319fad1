package org.osgemu.device.bigstate;

import org.osgemu.api.vmstate.VMStateDescription;

/**
 * The bigstate device's registers and its own mutation state, as its END section carries them
 * (the device memory goes in blocks before them).
 *
 * @param block the BLOCK register
 * @param word the WORD register
 * @param dirtyRateKib the DIRTY_RATE register, KiB per second
 * @param generation blocks the device changed by itself so far
 * @param rng the state of the generator that picks the blocks it changes, so it goes on with the same sequence
 * @param lookup the LOOKUP register
 * @param found the FOUND register
 */
public record BigStateState(long block, long word, long dirtyRateKib, long generation, long rng, long lookup, long found) {

    public static final VMStateDescription<BigStateState> VMSTATE =
            VMStateDescription.builder("bigstate", BigStateState.class)
                    .version(1)
                    .u32("block").u32("word").u32("dirtyRateKib").u64("generation").u64("rng").u64("lookup").u32("found")
                    .build();
}
