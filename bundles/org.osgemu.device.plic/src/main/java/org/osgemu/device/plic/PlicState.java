package org.osgemu.device.plic;

import static org.osgemu.device.plic.PlicRegisters.MAX_CONTEXTS;
import static org.osgemu.device.plic.PlicRegisters.MAX_SOURCES;
import static org.osgemu.device.plic.PlicRegisters.PRIORITY_MASK;

import org.osgemu.api.vmstate.VMStateDescription;

/**
 * Migration state of a PLIC. Bit sets are 32-bit words, source {@code s} at bit {@code s % 32}
 * of word {@code s / 32}. The gateway's view of each input level migrates (a completion re-pends
 * a source whose line is still high); the outputs to the harts are recomputed on load. The
 * constructor refuses values the hardware cannot hold, naming the field; the device checks the
 * sizes against its own sources and contexts.
 *
 * @param priority priority of each source, source 0 included (always 0)
 * @param pending pending bits
 * @param claimed bits of sources claimed and not yet completed
 * @param level input line levels
 * @param enable enable words, context by context ({@code words} per context)
 * @param threshold priority threshold of each context
 */
public record PlicState(int[] priority, int[] pending, int[] claimed, int[] level, int[] enable, int[] threshold) {

    /** Version 1. */
    public static final VMStateDescription<PlicState> VMSTATE =
            VMStateDescription.builder(PlicDevice.TYPE, PlicState.class).version(1)
                    .u32ArrayVariable("priority", MAX_SOURCES)
                    .u32ArrayVariable("pending", MAX_SOURCES / 32)
                    .u32ArrayVariable("claimed", MAX_SOURCES / 32)
                    .u32ArrayVariable("level", MAX_SOURCES / 32)
                    .u32ArrayVariable("enable", MAX_CONTEXTS * (MAX_SOURCES / 32))
                    .u32ArrayVariable("threshold", MAX_CONTEXTS)
                    .build();

    public PlicState {
        checkLevels("priority", priority);
        checkLevels("threshold", threshold);
        int words = pending.length;
        if (PlicRegisters.words(priority.length) != words) {
            throw new IllegalArgumentException("pending: " + words + " words for " + priority.length + " sources");
        }
        if (claimed.length != words || level.length != words) {
            throw new IllegalArgumentException((claimed.length != words ? "claimed" : "level") + ": "
                    + (claimed.length != words ? claimed.length : level.length) + " words, pending has " + words);
        }
        if (enable.length != threshold.length * words) {
            throw new IllegalArgumentException("enable: " + enable.length + " words for " + threshold.length
                    + " contexts of " + words);
        }
        for (int w = 0; w < words; w++) {
            if ((pending[w] & claimed[w]) != 0) {
                throw new IllegalArgumentException("claimed: word " + w + " has sources that are also pending (0x"
                        + Integer.toHexString(pending[w] & claimed[w]) + ")");
            }
        }
        priority = priority.clone();
        pending = pending.clone();
        claimed = claimed.clone();
        level = level.clone();
        enable = enable.clone();
        threshold = threshold.clone();
    }

    @Override public int[] priority() { return priority.clone(); }
    @Override public int[] pending() { return pending.clone(); }
    @Override public int[] claimed() { return claimed.clone(); }
    @Override public int[] level() { return level.clone(); }
    @Override public int[] enable() { return enable.clone(); }
    @Override public int[] threshold() { return threshold.clone(); }

    private static void checkLevels(String field, int[] values) {
        for (int i = 0; i < values.length; i++) {
            if ((values[i] & ~PRIORITY_MASK) != 0) {
                throw new IllegalArgumentException(field + ": element " + i + " is " + Integer.toUnsignedString(values[i])
                        + ", above the highest level " + PRIORITY_MASK);
            }
        }
    }
}
