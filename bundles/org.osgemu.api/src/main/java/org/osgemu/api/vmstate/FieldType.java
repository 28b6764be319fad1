package org.osgemu.api.vmstate;

/**
 * Wire types of VMState fields; all integers are big-endian on the wire, as in QEMU streams.
 * The Java type of the record component each may bind to is given in brackets.
 */
public enum FieldType {
    /** One byte 0 or 1 [boolean]. */
    BOOL(1),
    /** Unsigned 8 bits [int]. */
    U8(1),
    /** Unsigned 16 bits [int]. */
    U16(2),
    /** Unsigned 32 bits [int or long]. */
    U32(4),
    /** Signed 32 bits [int]. */
    I32(4),
    /** 64 bits [long]. */
    U64(8),
    /** Signed 64 bits [long]. */
    I64(8),
    /** Bytes [byte[]]. */
    BYTES(1),
    /** 32-bit words [int[]]. */
    U32_ARRAY(4),
    /** 64-bit words [long[]]. */
    U64_ARRAY(8),
    /** UTF-8 text [String]. */
    STRING(1);

    private final int unitSize;

    FieldType(int unitSize) {
        this.unitSize = unitSize;
    }

    /** Bytes per element on the wire. */
    public int unitSize() {
        return unitSize;
    }

    /** Whether the field holds a sequence (bytes, arrays, text). */
    public boolean isSequence() {
        return this == BYTES || this == U32_ARRAY || this == U64_ARRAY || this == STRING;
    }
}
