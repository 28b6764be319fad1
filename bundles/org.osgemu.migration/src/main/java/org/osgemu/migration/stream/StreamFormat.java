package org.osgemu.migration.stream;

/**
 * Constants of the osgemu migration stream, version 2 (described in
 * {@code docs/migration-stream.md}). All integers are big-endian, as in QEMU's streams.
 */
public final class StreamFormat {

    /** First four bytes of every stream: "OSGM". */
    public static final int MAGIC = 0x4F53474D;
    /** The stream format version this build writes, and the newest it reads. */
    public static final int VERSION = 2;
    /**
     * The oldest stream format version this build reads: version 1 differs only in a configuration
     * section without the devices, whose placement is then not checked.
     */
    public static final int OLDEST_READABLE_VERSION = 1;
    /** Record kind of the end marker (QEMU's {@code QEMU_VM_EOF}). */
    public static final int KIND_EOF = 0x00;
    /** Record kind of the configuration section (QEMU's {@code QEMU_VM_CONFIGURATION}). */
    public static final int KIND_CONFIGURATION = 0x07;
    /** Record kind of a command from the source to the destination (QEMU's {@code QEMU_VM_COMMAND}). */
    public static final int KIND_COMMAND = 0x08;
    /** Largest command payload (and return-path message payload), as QEMU's return path buffer. */
    public static final int MAX_COMMAND_PAYLOAD = 512;
    /** Largest section payload a reader accepts, so a corrupt length cannot make it allocate gigabytes. */
    public static final int MAX_PAYLOAD = 16 << 20;
    /** Largest configuration payload a reader accepts. */
    public static final int MAX_CONFIGURATION = 1 << 20;
    /** Longest package (PACKAGED): the device state a postcopy destination loads before it runs, as QEMU's 16 MiB. */
    public static final int MAX_PACKAGE = 16 << 20;
    /** Longest id string and label, in bytes of UTF-8 (their length is one byte on the wire). */
    public static final int MAX_NAME_BYTES = 255;

    private StreamFormat() {
    }

    /** {@code bytes} for people: {@code 256 MiB}, {@code 60 KiB}, or {@code 1000 bytes}. */
    public static String size(long bytes) {
        if (bytes >= 1L << 30 && bytes % (1L << 30) == 0) {
            return (bytes >> 30) + " GiB";
        }
        if (bytes >= 1L << 20 && bytes % (1L << 20) == 0) {
            return (bytes >> 20) + " MiB";
        }
        if (bytes >= 1L << 10 && bytes % (1L << 10) == 0) {
            return (bytes >> 10) + " KiB";
        }
        return bytes + " bytes";
    }
}
