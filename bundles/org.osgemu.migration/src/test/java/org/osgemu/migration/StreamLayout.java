package org.osgemu.migration;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * Test-side map of a stream's records, parsed independently of the production reader, so tests
 * can corrupt one byte of a chosen section, cut the stream inside it, or change a field and
 * re-seal the checksum (to reach the checks behind it).
 */
final class StreamLayout {

    /**
     * One record: kind code (7 configuration, 1..4 sections, 0 EOF), its names (sections only),
     * where it starts, where its payload starts, the payload length and where its checksum is.
     */
    record Piece(int kind, String idString, String label, int start, int payloadStart, int payloadLength) {
        int checksumAt() { return payloadStart + payloadLength; }
        int end() { return kind == 0 ? start + 1 : checksumAt() + 4; }
    }

    final List<Piece> pieces = new ArrayList<>();

    StreamLayout(byte[] stream) {
        ByteBuffer in = ByteBuffer.wrap(stream);
        in.position(8);
        String[] startNames = new String[1024];
        String[] startLabels = new String[1024];
        while (true) {
            int start = in.position();
            int kind = in.get() & 0xFF;
            if (kind == 0) {
                pieces.add(new Piece(0, "", "", start, start + 1, 0));
                return;
            }
            String id = "";
            String label = "";
            if (kind == 1 || kind == 4) {
                int sectionId = in.getInt();
                id = name(in);
                in.getInt();
                in.getInt();
                label = name(in);
                startNames[sectionId] = id;
                startLabels[sectionId] = label;
            } else if (kind == 2 || kind == 3) {
                int sectionId = in.getInt();
                id = startNames[sectionId];
                label = startLabels[sectionId];
            }
            int length = in.getInt();
            pieces.add(new Piece(kind, id, label, start, in.position(), length));
            in.position(in.position() + length + 4);
        }
    }

    private static String name(ByteBuffer in) {
        byte[] b = new byte[in.get() & 0xFF];
        in.get(b);
        return new String(b, StandardCharsets.UTF_8);
    }

    /** The first record of {@code kind} with {@code idString} (any for null) and {@code label} (any for null). */
    Piece find(int kind, String idString, String label) {
        for (Piece p : pieces) {
            if (p.kind() == kind && (idString == null || idString.equals(p.idString())) && (label == null || label.equals(p.label()))) {
                return p;
            }
        }
        throw new AssertionError("no record of kind " + kind + " for " + idString + " (" + label + ") in " + pieces);
    }

    /** Stream offset of the version field in the header of a START or FULL {@code piece}. */
    static int versionAt(Piece piece) {
        return piece.start() + 1 + 4 + 1 + piece.idString().getBytes(StandardCharsets.UTF_8).length + 4;
    }

    /** A copy of {@code stream} without {@code piece}. */
    static byte[] without(byte[] stream, Piece piece) {
        byte[] copy = new byte[stream.length - (piece.end() - piece.start())];
        System.arraycopy(stream, 0, copy, 0, piece.start());
        System.arraycopy(stream, piece.end(), copy, piece.start(), stream.length - piece.end());
        return copy;
    }

    /** A copy of {@code stream} with byte {@code at} flipped. */
    static byte[] flip(byte[] stream, int at) {
        byte[] copy = stream.clone();
        copy[at] ^= 0x01;
        return copy;
    }

    /** A copy of {@code stream} cut to its first {@code length} bytes. */
    static byte[] cut(byte[] stream, int length) {
        byte[] copy = new byte[length];
        System.arraycopy(stream, 0, copy, 0, length);
        return copy;
    }

    /** A copy of {@code stream} whose {@code piece} has {@code bytes} at payload offset {@code at}, checksum re-sealed. */
    static byte[] patch(byte[] stream, Piece piece, int at, byte... bytes) {
        return patchAt(stream, piece, piece.payloadStart() + at, bytes);
    }

    /** A copy of {@code stream} with {@code bytes} at stream offset {@code at} inside {@code piece}, checksum re-sealed. */
    static byte[] patchAt(byte[] stream, Piece piece, int at, byte... bytes) {
        byte[] copy = stream.clone();
        System.arraycopy(bytes, 0, copy, at, bytes.length);
        CRC32C crc = new CRC32C();
        crc.update(copy, piece.start(), piece.checksumAt() - piece.start());
        ByteBuffer.wrap(copy).putInt(piece.checksumAt(), (int) crc.getValue());
        return copy;
    }
}
