package org.osgemu.device.bigstate;

/**
 * Register layout of the bigstate device (a 4 KiB window; 32-bit registers take 4-byte accesses,
 * 64-bit ones 4 or 8). The guest reaches the device memory a word at a time through BLOCK, WORD
 * and DATA, reads a block's index entry (HASH), has the device check a block against its index
 * (VERIFY) and looks blocks up by hash (LOOKUP, then FOUND).
 */
final class BigStateRegisters {

    static final long SIZE = 0x1000;
    /** "BIGS", read-only. */
    static final int MAGIC = 0x00;
    static final long MAGIC_VALUE = 0x5347_4942L;
    /** Register layout version, read-only. */
    static final int VERSION = 0x04;
    /** Bytes per block (4096), read-only. */
    static final int BLOCK_SIZE = 0x08;
    /** Number of blocks of device memory, read-only. */
    static final int BLOCKS = 0x0c;
    /** The block DATA, HASH and VERIFY address. */
    static final int BLOCK = 0x10;
    /** The word of the block DATA addresses (0..511); each DATA access moves it on by one. */
    static final int WORD = 0x14;
    /** 64-bit word of device memory at BLOCK, WORD; a write re-indexes the block. */
    static final int DATA = 0x18;
    /** The index entry (64-bit hash) of BLOCK, read-only. */
    static final int HASH = 0x20;
    /** 1 when BLOCK's contents hash to its index entry, else 0; read-only. */
    static final int VERIFY = 0x28;
    /** How many blocks the device changed by itself, low 32 bits; read-only. */
    static final int GENERATION = 0x2c;
    /** KiB per second of guest time the device rewrites by itself. */
    static final int DIRTY_RATE = 0x30;
    /** A 64-bit hash to look up; writing it looks it up. */
    static final int LOOKUP = 0x38;
    /** The block LOOKUP found, or 0xffffffff; read-only. */
    static final int FOUND = 0x40;

    private BigStateRegisters() {
    }
}
