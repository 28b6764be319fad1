package org.osgemu.virtio.blk;

/**
 * Numbers of the virtio block device (spec §5.2): feature bits, the configuration layout
 * ({@code struct virtio_blk_config}, little-endian), request types and status values.
 */
final class VirtioBlkLayout {

    static final int F_SIZE_MAX = 1;
    static final int F_SEG_MAX = 2;
    static final int F_RO = 5;
    static final int F_BLK_SIZE = 6;
    static final int F_FLUSH = 9;
    static final int F_DISCARD = 13;
    static final int F_WRITE_ZEROES = 14;

    /** Sectors are 512 bytes whatever the block size (§5.2.4). */
    static final int SECTOR = 512;
    static final int BLOCK_SIZE = 512;
    /** Bytes of the serial number GET_ID returns. */
    static final int ID_BYTES = 20;
    /** Size of the request header: type, reserved, sector. */
    static final int HEADER = 16;
    /** Size of one discard / write-zeroes segment: sector, num_sectors, flags. */
    static final int SEGMENT = 16;
    static final int SEGMENT_F_UNMAP = 1;

    // Configuration offsets.
    static final int CAPACITY = 0x00;
    static final int SEG_MAX = 0x0c;
    static final int BLK_SIZE = 0x14;
    static final int NUM_QUEUES = 0x22;
    static final int MAX_DISCARD_SECTORS = 0x24;
    static final int MAX_DISCARD_SEG = 0x28;
    static final int DISCARD_SECTOR_ALIGNMENT = 0x2c;
    static final int MAX_WRITE_ZEROES_SECTORS = 0x30;
    static final int MAX_WRITE_ZEROES_SEG = 0x34;
    static final int WRITE_ZEROES_MAY_UNMAP = 0x38;
    /** Through {@code unused1[3]} after write_zeroes_may_unmap. */
    static final int CONFIG_SIZE = 0x3c;

    static final int T_IN = 0;
    static final int T_OUT = 1;
    static final int T_FLUSH = 4;
    static final int T_GET_ID = 8;
    static final int T_DISCARD = 11;
    static final int T_WRITE_ZEROES = 13;

    static final int S_OK = 0;
    static final int S_IOERR = 1;
    static final int S_UNSUPP = 2;

    /** Largest discard or write-zeroes segment: 1 GiB, so a request stays a bounded piece of host I/O. */
    static final int MAX_DISCARD_SECTORS_VALUE = (1 << 30) / SECTOR;
    /** Segments per discard or write-zeroes request. */
    static final int MAX_DISCARD_SEG_VALUE = 16;

    private VirtioBlkLayout() {
    }
}
