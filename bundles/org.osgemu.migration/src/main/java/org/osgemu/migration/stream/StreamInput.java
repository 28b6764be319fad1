package org.osgemu.migration.stream;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.channels.ReadableByteChannel;
import java.util.zip.CRC32C;

/**
 * The bytes of a stream being read: big-endian reads that count the offset and feed a running
 * CRC32C, and that report the end of the input as {@link Truncated} with how far they got.
 */
final class StreamInput {

    /** The input ended inside a read; {@code got} bytes of it had arrived. */
    static final class Truncated extends Exception {
        private static final long serialVersionUID = 1L;
        final int got;

        Truncated(int got) {
            super(null, null, false, false);
            this.got = got;
        }
    }

    private final InputStream in;
    private final CRC32C crc = new CRC32C();
    private long offset;

    StreamInput(ReadableByteChannel channel) {
        this.in = new BufferedInputStream(Channels.newInputStream(channel), 1 << 16);
    }

    /** Bytes read so far. */
    long offset() {
        return offset;
    }

    /** Starts a new checksum, which covers every byte read from now on. */
    void restartChecksum() {
        crc.reset();
    }

    /** The checksum of the bytes read since {@link #restartChecksum()}. */
    int checksum() {
        return (int) crc.getValue();
    }

    /** One byte, or -1 at the end of the input (not an error: the caller decides). */
    int readU8OrEnd() throws IOException {
        int b = in.read();
        if (b >= 0) {
            offset++;
            crc.update(b);
        }
        return b;
    }

    int readU8() throws IOException, Truncated {
        int b = readU8OrEnd();
        if (b < 0) {
            throw new Truncated(0);
        }
        return b;
    }

    int readU16() throws IOException, Truncated {
        byte[] b = readBytes(2);
        return (b[0] & 0xFF) << 8 | (b[1] & 0xFF);
    }

    int readInt() throws IOException, Truncated {
        byte[] b = readBytes(4);
        return (b[0] & 0xFF) << 24 | (b[1] & 0xFF) << 16 | (b[2] & 0xFF) << 8 | (b[3] & 0xFF);
    }

    /** Reads four bytes that are not part of the checksum (the checksum itself). */
    int readIntUnchecked() throws IOException, Truncated {
        byte[] b = in.readNBytes(4);
        offset += b.length;
        if (b.length < 4) {
            throw new Truncated(b.length);
        }
        return (b[0] & 0xFF) << 24 | (b[1] & 0xFF) << 16 | (b[2] & 0xFF) << 8 | (b[3] & 0xFF);
    }

    /**
     * Reads {@code length} bytes, which the caller has checked against the stream's limits (at
     * most 16 MiB, {@link StreamFormat#MAX_PAYLOAD}): they are read straight into an array of that size.
     * ({@code readNBytes(int)} would read in small pieces and join them, two more copies of every
     * page a migration's RAM sections carry.)
     */
    byte[] readBytes(int length) throws IOException, Truncated {
        byte[] b = new byte[length];
        int got = in.readNBytes(b, 0, length);
        offset += got;
        crc.update(b, 0, got);
        if (got < length) {
            throw new Truncated(got);
        }
        return b;
    }

    /** Counts the bytes left until the end of the input, up to {@code limit}. */
    long skipToEnd(long limit) throws IOException {
        long skipped = 0;
        while (skipped < limit && in.read() >= 0) {
            skipped++;
        }
        return skipped;
    }
}
