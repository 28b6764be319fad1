package org.osgemu.chardev;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Output of a multiplexed front end that does not have the terminal, kept until it gets it back.
 * Bounded: past the limit the oldest bytes go, and the flush says how many were lost.
 */
final class HeldOutput {

    private final byte[] ring;
    private long written; // total bytes ever held since the last flush
    private final String frontEnd;

    HeldOutput(String frontEnd, int limit) {
        this.frontEnd = frontEnd;
        this.ring = new byte[limit];
    }

    void hold(byte[] data, int offset, int length) {
        for (int i = 0; i < length; i++) {
            ring[(int) (written % ring.length)] = data[offset + i];
            written++;
        }
    }

    boolean isEmpty() {
        return written == 0;
    }

    /** What was held, oldest first, after a note on what was lost; empties the buffer. */
    byte[] takeAll() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        long lost = Math.max(0, written - ring.length);
        if (lost > 0) {
            out.writeBytes(("\r\n[osgemu: " + lost + " bytes of " + frontEnd + " output were dropped]\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
        }
        for (long i = lost; i < written; i++) {
            out.write(ring[(int) (i % ring.length)]);
        }
        written = 0;
        return out.toByteArray();
    }
}
