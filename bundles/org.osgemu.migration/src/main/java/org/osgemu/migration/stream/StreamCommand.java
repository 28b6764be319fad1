package org.osgemu.migration.stream;

/**
 * Commands the source sends the destination inside the stream (record kind 0x08), with QEMU's
 * numbers ({@code enum qemu_vm_cmd}) and payload lengths; -1 marks a variable length (up to
 * {@link StreamFormat#MAX_COMMAND_PAYLOAD}). Number 9 (QEMU's RECV_BITMAP request) stays unused:
 * our destination sends its received bitmap on its own when a source resumes.
 */
public enum StreamCommand {
    /** The destination opens the return path on the connection's other direction; no payload. */
    OPEN_RETURN_PATH(1, 0),
    /** The destination answers PONG with the same number over the return path; u32 payload. */
    PING(2, 4),
    /**
     * Postcopy may follow (sent after setup when the source has postcopy-ram): u64 the RAM page
     * size, u64 the target page size (both 4096). The destination refuses it without postcopy-ram.
     */
    POSTCOPY_ADVISE(3, 16),
    /** Postcopy begins: RAM records from now on fill only absent pages; the vCPUs may wait for pages. */
    POSTCOPY_LISTEN(4, 0),
    /** Inside the package: the device state is loaded, the destination runs the machine. */
    POSTCOPY_RUN(5, 0),
    /** Pages the destination must take as absent again (sent before, dirtied since): name block, then u64 first page offset, u32 page count pairs. */
    POSTCOPY_RAM_DISCARD(6, -1),
    /** First record of a resumed postcopy connection: the destination answers RECV_BITMAP messages and RESUME_ACK. */
    POSTCOPY_RESUME(7, 0),
    /** u32 length: that many bytes of records (FULL sections, then POSTCOPY_RUN) follow, read whole before any is applied. */
    PACKAGED(8, 4);

    private final int code;
    private final int length;

    StreamCommand(int code, int length) {
        this.code = code;
        this.length = length;
    }

    /** The number on the wire. */
    public int code() {
        return code;
    }

    /** The payload length the command always has, or -1 when it varies. */
    public int length() {
        return length;
    }

    /** Whether {@code payloadLength} is a length this command may have. */
    public boolean accepts(int payloadLength) {
        return length >= 0 ? payloadLength == length : payloadLength <= StreamFormat.MAX_COMMAND_PAYLOAD;
    }

    /** The command numbered {@code code}, or null. */
    public static StreamCommand ofCode(int code) {
        for (StreamCommand c : values()) {
            if (c.code == code) {
                return c;
            }
        }
        return null;
    }
}
