package org.osgemu.core.memory;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/** Little-endian loads and stores of 1, 2, 4 or 8 bytes on a RAM segment, unaligned allowed. */
final class GuestMemoryAccess {

    private static final ValueLayout.OfShort SHORT = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfInt INT = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfLong LONG = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private GuestMemoryAccess() {
    }

    /** Reads {@code size} bytes at {@code offset}, zero-extended. */
    static long read(MemorySegment segment, long offset, int size) {
        return switch (size) {
            case 1 -> segment.get(ValueLayout.JAVA_BYTE, offset) & 0xffL;
            case 2 -> segment.get(SHORT, offset) & 0xffffL;
            case 4 -> segment.get(INT, offset) & 0xffff_ffffL;
            case 8 -> segment.get(LONG, offset);
            default -> throw badSize(size);
        };
    }

    /** Writes the low {@code size} bytes of {@code value} at {@code offset}. */
    static void write(MemorySegment segment, long offset, long value, int size) {
        switch (size) {
            case 1 -> segment.set(ValueLayout.JAVA_BYTE, offset, (byte) value);
            case 2 -> segment.set(SHORT, offset, (short) value);
            case 4 -> segment.set(INT, offset, (int) value);
            case 8 -> segment.set(LONG, offset, value);
            default -> throw badSize(size);
        }
    }

    /** Whether {@code size} is an access size the bus knows. */
    static boolean isAccessSize(int size) {
        return size == 1 || size == 2 || size == 4 || size == 8;
    }

    static IllegalArgumentException badSize(int size) {
        return new IllegalArgumentException("memory access size must be 1, 2, 4 or 8 bytes, not " + size);
    }

    /** The low {@code size} bytes set. */
    static long mask(int size) {
        return size == 8 ? -1L : (1L << (size * 8)) - 1;
    }
}
