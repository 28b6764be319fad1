package org.osgemu.migration.stream;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.util.Objects;

import org.osgemu.api.migration.MigrationException;

/**
 * The framing of the return path (destination to source): u16 type, u16 length, payload, as
 * QEMU frames it. The destination {@link Writer writes} messages, from any thread; the source
 * reads them with a {@link Reader} on a thread of its own. A message of an unknown type, with a
 * length its type does not have, or longer than {@link StreamFormat#MAX_COMMAND_PAYLOAD}, is
 * refused, naming the message and the field.
 */
public final class ReturnPath {

    private ReturnPath() {
    }

    /** RESUME_ACK's payload, QEMU's {@code MIGRATION_RESUME_ACK_VALUE}. */
    public static final int RESUME_ACK_VALUE = 1;

    /** One message whose type and length are checked. */
    public record Message(ReturnPathMessage type, ByteBuffer payload) {

        /** The payload's first u32 (SHUT's error flag, PONG's number). */
        public int u32() {
            return payload.getInt(0);
        }
    }

    /**
     * A page request as REQ_PAGES or REQ_PAGES_ID carries it.
     *
     * @param block the block REQ_PAGES_ID named, or null for REQ_PAGES (the previous request's block)
     */
    public record PageRequest(String block, long offset, long length) {

        /** Decodes a REQ_PAGES or REQ_PAGES_ID message. */
        public static PageRequest of(Message m) throws MigrationException {
            ByteBuffer b = m.payload().duplicate();
            long offset = b.getLong();
            long length = Integer.toUnsignedLong(b.getInt());
            if (m.type() == ReturnPathMessage.REQ_PAGES) {
                return new PageRequest(null, offset, length);
            }
            return new PageRequest(name(m, b), offset, length);
        }
    }

    /** A received-bitmap part as RECV_BITMAP carries it: bit i of {@code bits} is page {@code firstPage + i}. */
    public record ReceivedBitmap(String block, long firstPage, byte[] bits) {

        public static ReceivedBitmap of(Message m) throws MigrationException {
            ByteBuffer b = m.payload().duplicate();
            String block = name(m, b);
            if (b.remaining() < 8) {
                throw new MigrationException("return path: message RECV_BITMAP of block " + block + ": field first-page is missing");
            }
            long first = b.getLong();
            byte[] bits = new byte[b.remaining()];
            b.get(bits);
            return new ReceivedBitmap(block, first, bits);
        }
    }

    private static String name(Message m, ByteBuffer b) throws MigrationException {
        int length = b.hasRemaining() ? b.get() & 0xFF : -1;
        if (length < 1 || b.remaining() < length) {
            throw new MigrationException("return path: message " + m.type() + ": field block name is "
                    + (length < 0 ? "missing" : "cut short (" + length + " bytes announced, " + b.remaining() + " there)"));
        }
        byte[] name = new byte[length];
        b.get(name);
        return new String(name, java.nio.charset.StandardCharsets.UTF_8);
    }

    /** Writes messages; each is flushed at once, and messages from different threads do not mix. */
    public static final class Writer {
        private final DataOutputStream out;

        public Writer(OutputStream out) {
            this.out = new DataOutputStream(Objects.requireNonNull(out, "out"));
        }

        public synchronized void send(ReturnPathMessage type, byte[] payload) throws IOException {
            if (type.length() >= 0 ? payload.length != type.length() : payload.length > StreamFormat.MAX_COMMAND_PAYLOAD) {
                throw new IllegalArgumentException("return-path message " + type + " cannot carry " + payload.length + " bytes");
            }
            out.writeShort(type.code());
            out.writeShort(payload.length);
            out.write(payload);
            out.flush();
        }

        /** SHUT: the destination is done, {@code failed} or not. */
        public void shut(boolean failed) throws IOException {
            send(ReturnPathMessage.SHUT, u32(failed ? 1 : 0));
        }

        public void pong(int number) throws IOException {
            send(ReturnPathMessage.PONG, u32(number));
        }

        public void switchoverAck() throws IOException {
            send(ReturnPathMessage.SWITCHOVER_ACK, new byte[0]);
        }

        /**
         * A postcopy page request: REQ_PAGES_ID naming {@code block} when it is not null (the first
         * request, or one for another block than the last), else REQ_PAGES.
         */
        public void requestPages(String block, long offset, int length) throws IOException {
            ByteBuffer b = ByteBuffer.allocate(block == null ? 12 : 13 + nameBytes(block).length);
            b.putLong(offset).putInt(length);
            if (block == null) {
                send(ReturnPathMessage.REQ_PAGES, b.array());
                return;
            }
            byte[] name = nameBytes(block);
            b.put((byte) name.length).put(name);
            send(ReturnPathMessage.REQ_PAGES_ID, b.array());
        }

        /**
         * Postcopy recovery: which pages of {@code block} from page {@code firstPage} on the
         * destination has, one bit per page, least significant bit first (as a {@code long[]}
         * bitmap's bytes in little-endian order).
         */
        public void receivedBitmap(String block, long firstPage, byte[] bits) throws IOException {
            byte[] name = nameBytes(block);
            ByteBuffer b = ByteBuffer.allocate(1 + name.length + 8 + bits.length);
            b.put((byte) name.length).put(name).putLong(firstPage).put(bits);
            send(ReturnPathMessage.RECV_BITMAP, b.array());
        }

        /** Bitmap bytes one RECV_BITMAP message of {@code block} carries at most (a multiple of 8). */
        public static int bitmapBytesPerMessage(String block) {
            return (StreamFormat.MAX_COMMAND_PAYLOAD - 1 - nameBytes(block).length - 8) & ~7;
        }

        /** Postcopy recovery: every RECV_BITMAP was sent; the source may go on. */
        public void resumeAck() throws IOException {
            send(ReturnPathMessage.RESUME_ACK, u32(RESUME_ACK_VALUE));
        }

        private static byte[] nameBytes(String name) {
            return name.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        }

        private static byte[] u32(int v) {
            return ByteBuffer.allocate(4).putInt(v).array();
        }
    }

    /** Reads messages, one at a time. */
    public static final class Reader {
        private final DataInputStream in;

        public Reader(InputStream in) {
            this.in = new DataInputStream(Objects.requireNonNull(in, "in"));
        }

        /**
         * The next message, or null when the destination closed the return path between two
         * messages.
         *
         * @throws MigrationException for a malformed message or one cut short
         */
        public Message next() throws IOException, MigrationException {
            int first = in.read();
            if (first < 0) {
                return null;
            }
            try {
                int code = first << 8 | in.readUnsignedByte();
                int length = in.readUnsignedShort();
                ReturnPathMessage type = ReturnPathMessage.ofCode(code);
                if (type == null) {
                    throw new MigrationException("return path: message of unknown type " + code);
                }
                if (type.length() >= 0 ? length != type.length() : length > StreamFormat.MAX_COMMAND_PAYLOAD) {
                    throw new MigrationException("return path: message " + type + ": field length is " + length
                            + (type.length() >= 0 ? ", the message always has " + type.length()
                            : ", more than " + StreamFormat.MAX_COMMAND_PAYLOAD));
                }
                byte[] payload = new byte[length];
                in.readFully(payload);
                return new Message(type, ByteBuffer.wrap(payload).asReadOnlyBuffer());
            } catch (EOFException e) {
                throw new MigrationException("return path: the destination closed it in the middle of a message");
            }
        }
    }
}
