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

    /** One message whose type and length are checked. */
    public record Message(ReturnPathMessage type, ByteBuffer payload) {

        /** The payload's first u32 (SHUT's error flag, PONG's number). */
        public int u32() {
            return payload.getInt(0);
        }
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
