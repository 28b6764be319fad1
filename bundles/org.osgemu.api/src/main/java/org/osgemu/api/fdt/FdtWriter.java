package org.osgemu.api.fdt;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Flattens an {@link FdtNode} tree into a devicetree blob (DTB, version 17, per the
 * Devicetree Specification, chapter 5): header, empty memory reservation map, structure block,
 * strings block. Labelled nodes get {@code phandle} properties numbered from 1 in tree order.
 */
public final class FdtWriter {

    private static final int MAGIC = 0xd00dfeed;
    private static final int BEGIN_NODE = 1;
    private static final int END_NODE = 2;
    private static final int PROP = 3;
    private static final int END = 9;

    private FdtWriter() {}

    /** The blob for {@code root}, with {@code bootCpu} as the boot CPU id. */
    public static byte[] write(FdtNode root, int bootCpu) {
        Map<String, Integer> phandles = new LinkedHashMap<>();
        assignPhandles(root, phandles);
        ByteArrayOutputStream struct = new ByteArrayOutputStream();
        ByteArrayOutputStream strings = new ByteArrayOutputStream();
        Map<String, Integer> stringOffsets = new HashMap<>();
        writeNode(root, true, phandles, struct, strings, stringOffsets);
        putInt(struct, END);

        int headerSize = 40;
        int reserveOff = align(headerSize, 8);
        int reserveSize = 16; // one terminating entry
        int structOff = reserveOff + reserveSize;
        byte[] structBytes = struct.toByteArray();
        int stringsOff = structOff + structBytes.length;
        byte[] stringBytes = strings.toByteArray();
        int total = align(stringsOff + stringBytes.length, 8);
        ByteBuffer b = ByteBuffer.allocate(total);
        b.putInt(MAGIC).putInt(total).putInt(structOff).putInt(stringsOff).putInt(reserveOff)
                .putInt(17).putInt(16).putInt(bootCpu).putInt(stringBytes.length).putInt(structBytes.length);
        b.position(reserveOff).putLong(0).putLong(0);
        b.put(structBytes).put(stringBytes);
        return b.array();
    }

    private static void assignPhandles(FdtNode node, Map<String, Integer> phandles) {
        if (node.label() != null) {
            if (phandles.containsKey(node.label())) {
                throw new IllegalArgumentException("FDT label '" + node.label() + "' is used by two nodes");
            }
            phandles.put(node.label(), phandles.size() + 1);
        }
        for (FdtNode c : node.children()) assignPhandles(c, phandles);
    }

    private static void writeNode(FdtNode node, boolean root, Map<String, Integer> phandles, ByteArrayOutputStream struct,
                                  ByteArrayOutputStream strings, Map<String, Integer> stringOffsets) {
        putInt(struct, BEGIN_NODE);
        byte[] name = (root ? "" : node.name()).getBytes(StandardCharsets.UTF_8);
        struct.writeBytes(name);
        struct.write(0);
        pad(struct);
        for (Map.Entry<String, FdtNode.Value> p : node.properties().entrySet()) {
            writeProp(p.getKey(), encode(node, p.getKey(), p.getValue(), phandles), struct, strings, stringOffsets);
        }
        if (node.label() != null) {
            writeProp("phandle", ByteBuffer.allocate(4).putInt(phandles.get(node.label())).array(), struct, strings, stringOffsets);
        }
        for (FdtNode c : node.children()) writeNode(c, false, phandles, struct, strings, stringOffsets);
        putInt(struct, END_NODE);
    }

    private static byte[] encode(FdtNode node, String prop, FdtNode.Value v, Map<String, Integer> phandles) {
        return switch (v) {
            case FdtNode.Bytes(byte[] data) -> data;
            case FdtNode.Cells(var cells) -> {
                ByteBuffer b = ByteBuffer.allocate(cells.size() * 4);
                for (Object c : cells) {
                    if (c instanceof String label) {
                        Integer ph = phandles.get(label);
                        if (ph == null) {
                            throw new IllegalArgumentException("FDT node " + node.name() + " property " + prop
                                    + " refers to label '" + label + "' that no node carries");
                        }
                        b.putInt(ph);
                    } else {
                        b.putInt((Integer) c);
                    }
                }
                yield b.array();
            }
        };
    }

    private static void writeProp(String name, byte[] value, ByteArrayOutputStream struct, ByteArrayOutputStream strings,
                                  Map<String, Integer> stringOffsets) {
        Integer off = stringOffsets.get(name);
        if (off == null) {
            off = strings.size();
            stringOffsets.put(name, off);
            strings.writeBytes(name.getBytes(StandardCharsets.UTF_8));
            strings.write(0);
        }
        putInt(struct, PROP);
        putInt(struct, value.length);
        putInt(struct, off);
        struct.writeBytes(value);
        pad(struct);
    }

    private static void putInt(ByteArrayOutputStream out, int v) {
        out.write(v >>> 24);
        out.write(v >>> 16);
        out.write(v >>> 8);
        out.write(v);
    }

    private static void pad(ByteArrayOutputStream out) {
        while (out.size() % 4 != 0) out.write(0);
    }

    private static int align(int v, int a) {
        return (v + a - 1) & -a;
    }
}
