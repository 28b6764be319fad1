package org.osgemu.migration.stream;

/**
 * Messages from the destination back to the source (the return path), with QEMU's numbers
 * ({@code enum mig_rp_message_type}) and payload lengths; -1 marks a variable length. Framed as
 * u16 type, u16 length, payload. Live precopy uses SHUT, PONG and SWITCHOVER_ACK; the page
 * requests, the received bitmap and the resume ack are postcopy's, defined here so that their
 * numbers are taken and a reader recognizes them.
 */
public enum ReturnPathMessage {
    /** The destination sends no more: u32 0 after a good load, 1 after a failed one. */
    SHUT(1, 4),
    /** Answer to the stream's PING command: u32, the ping's number. */
    PONG(2, 4),
    /** Postcopy page request naming its RAM block: u64 start, u32 length, name block. */
    REQ_PAGES_ID(3, -1),
    /** Postcopy page request in the block of the previous request: u64 start, u32 length. */
    REQ_PAGES(4, 12),
    /** Postcopy recovery: the pages the destination has, as a bitmap. */
    RECV_BITMAP(5, -1),
    /** Postcopy recovery handshake: u32. */
    RESUME_ACK(6, 4),
    /** Every handler that needs it approved the switchover (switchover-ack); no payload. */
    SWITCHOVER_ACK(7, 0);

    private final int code;
    private final int length;

    ReturnPathMessage(int code, int length) {
        this.code = code;
        this.length = length;
    }

    /** The number on the wire. */
    public int code() {
        return code;
    }

    /** The payload length, or -1 when it varies (up to {@link StreamFormat#MAX_COMMAND_PAYLOAD}). */
    public int length() {
        return length;
    }

    /** The message numbered {@code code}, or null. */
    public static ReturnPathMessage ofCode(int code) {
        for (ReturnPathMessage m : values()) {
            if (m.code == code) {
                return m;
            }
        }
        return null;
    }
}
