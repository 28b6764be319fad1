package org.osgemu.api.fdt;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a devicetree blob back into a tree, checking the structure block as it goes (token
 * alignment, nesting, string offsets), so tests can compare what the writer meant with what a
 * firmware would parse. Written from the Devicetree Specification, chapter 5.
 */
final class DtbReader {

    static final int MAGIC = 0xd00dfeed;

    /** The ten header words, in the specification's order. */
    record Header(int magic, int totalSize, int structOffset, int stringsOffset, int reserveMapOffset, int version,
                  int lastCompatibleVersion, int bootCpu, int stringsSize, int structSize) {}

    /** A parsed node; property values are raw bytes, in blob order. */
    record Node(String name, Map<String, byte[]> properties, List<Node> children) {

        Node child(String childName) {
            return children.stream().filter(c -> c.name.equals(childName)).findFirst()
                    .orElseThrow(() -> new AssertionError("no child " + childName + " under '" + name + "'"));
        }

        int u32(String property) {
            byte[] v = properties.get(property);
            if (v == null || v.length != 4) {
                throw new AssertionError("property " + property + " of '" + name + "' is not one cell");
            }
            return ByteBuffer.wrap(v).getInt();
        }
    }

    /** The name offsets the structure block used, in order, for checking deduplication. */
    final List<Integer> nameOffsets = new ArrayList<>();
    final Header header;
    final byte[] strings;
    private final ByteBuffer blob;

    DtbReader(byte[] dtb) {
        blob = ByteBuffer.wrap(dtb);
        header = new Header(blob.getInt(0), blob.getInt(4), blob.getInt(8), blob.getInt(12), blob.getInt(16),
                blob.getInt(20), blob.getInt(24), blob.getInt(28), blob.getInt(32), blob.getInt(36));
        strings = new byte[header.stringsSize()];
        blob.get(header.stringsOffset(), strings);
    }

    /** Parses the structure block; fails on any token out of place. */
    Node root() {
        blob.position(header.structOffset());
        expect(1, "FDT_BEGIN_NODE");
        Node root = node();
        expect(9, "FDT_END");
        check(blob.position() == header.structOffset() + header.structSize(),
                "structure block ends at " + blob.position() + ", header says "
                        + (header.structOffset() + header.structSize()));
        return root;
    }

    private Node node() {
        String name = cString(blob);
        align();
        Map<String, byte[]> properties = new LinkedHashMap<>();
        List<Node> children = new ArrayList<>();
        while (true) {
            check(blob.position() % 4 == 0, "token at unaligned offset " + blob.position());
            int token = blob.getInt();
            switch (token) {
                case 3 -> {
                    check(children.isEmpty(), "property after a child node in '" + name + "'");
                    int length = blob.getInt();
                    int nameOffset = blob.getInt();
                    check(nameOffset >= 0 && nameOffset < strings.length, "name offset " + nameOffset);
                    nameOffsets.add(nameOffset);
                    byte[] value = new byte[length];
                    blob.get(value);
                    align();
                    String propertyName = cString(ByteBuffer.wrap(strings).position(nameOffset));
                    check(properties.put(propertyName, value) == null, "property " + propertyName + " twice");
                }
                case 1 -> children.add(node());
                case 2 -> {
                    return new Node(name, properties, children);
                }
                default -> throw new AssertionError("unexpected token " + token + " at " + (blob.position() - 4));
            }
        }
    }

    private void expect(int token, String what) {
        int got = blob.getInt();
        check(got == token, "expected " + what + ", found token " + got);
    }

    private void align() {
        while (blob.position() % 4 != 0) {
            check(blob.get() == 0, "non-zero padding at " + (blob.position() - 1));
        }
    }

    private static String cString(ByteBuffer b) {
        int start = b.position();
        while (b.get() != 0) {
            // scan to the terminating NUL
        }
        byte[] text = new byte[b.position() - 1 - start];
        b.get(start, text);
        return new String(text, StandardCharsets.UTF_8);
    }

    private static void check(boolean condition, String message) {
        if (!condition) throw new AssertionError(message);
    }
}
