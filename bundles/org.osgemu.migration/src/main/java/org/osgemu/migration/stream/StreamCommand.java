package org.osgemu.migration.stream;

/**
 * Commands the source sends the destination inside the stream (record kind 0x08), with QEMU's
 * numbers ({@code enum qemu_vm_cmd}) and payload lengths. Only those live precopy needs exist; the
 * postcopy ones (ADVISE 3, LISTEN 4, RUN 5, RAM_DISCARD 6, RESUME 7, PACKAGED 8, RECV_BITMAP 9)
 * keep their numbers free for when postcopy arrives.
 */
public enum StreamCommand {
    /** The destination opens the return path on the connection's other direction; no payload. */
    OPEN_RETURN_PATH(1, 0),
    /** The destination answers PONG with the same number over the return path; u32 payload. */
    PING(2, 4);

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

    /** The payload length the command always has. */
    public int length() {
        return length;
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
