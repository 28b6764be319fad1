package org.osgemu.core.memory;

import java.util.ArrayList;
import java.util.List;

import org.osgemu.api.memory.MmioHandler;

/** A fake device whose byte at offset {@code k} reads as {@code 0x10 + k}; it records every access. */
final class RecordingMmio implements MmioHandler {

    record Access(boolean write, long offset, int size, long value) {}

    final List<Access> accesses = new ArrayList<>();

    static long pattern(long offset, int size) {
        long value = 0;
        for (int b = 0; b < size; b++) {
            value |= ((0x10 + offset + b) & 0xff) << (8 * b);
        }
        return value;
    }

    @Override
    public long read(long offset, int size) {
        long value = pattern(offset, size);
        accesses.add(new Access(false, offset, size, value));
        return value;
    }

    @Override
    public void write(long offset, long value, int size) {
        accesses.add(new Access(true, offset, size, value));
    }
}
