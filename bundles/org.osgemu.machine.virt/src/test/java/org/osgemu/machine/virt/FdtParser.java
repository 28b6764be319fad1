package org.osgemu.machine.virt;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/** Test helper: reads a DTB back into "path -> property -> bytes" per the Devicetree Specification. */
final class FdtParser {

    private FdtParser() {}

    static Map<String, Map<String, byte[]>> parse(byte[] blob) {
        ByteBuffer b = ByteBuffer.wrap(blob);
        if (b.getInt(0) != 0xd00dfeed) throw new IllegalArgumentException("bad FDT magic");
        int structOff = b.getInt(8);
        int stringsOff = b.getInt(12);
        Map<String, Map<String, byte[]>> nodes = new LinkedHashMap<>();
        StringBuilder path = new StringBuilder();
        int p = structOff;
        String current = null;
        while (true) {
            int token = b.getInt(p);
            p += 4;
            switch (token) {
                case 1 -> {
                    int end = p;
                    while (blob[end] != 0) end++;
                    String name = new String(blob, p, end - p, StandardCharsets.UTF_8);
                    p = (end + 1 + 3) & ~3;
                    if (current == null) {
                        current = "/";
                    } else {
                        current = (current.equals("/") ? "" : current) + "/" + name;
                    }
                    nodes.put(current, new LinkedHashMap<>());
                }
                case 2 -> current = current.equals("/") ? null : current.substring(0, Math.max(1, current.lastIndexOf('/')));
                case 3 -> {
                    int len = b.getInt(p);
                    int nameOff = b.getInt(p + 4);
                    int end = stringsOff + nameOff;
                    while (blob[end] != 0) end++;
                    String prop = new String(blob, stringsOff + nameOff, end - stringsOff - nameOff, StandardCharsets.UTF_8);
                    byte[] value = new byte[len];
                    System.arraycopy(blob, p + 8, value, 0, len);
                    nodes.get(current).put(prop, value);
                    p = (p + 8 + len + 3) & ~3;
                }
                case 4 -> { }
                case 9 -> {
                    return nodes;
                }
                default -> throw new IllegalArgumentException("bad token " + token + " at " + (p - 4));
            }
        }
    }

    static String string(byte[] v) {
        return new String(v, 0, v.length - 1, StandardCharsets.UTF_8).replace('\0', '|');
    }

    static long cell(byte[] v, int index) {
        return ByteBuffer.wrap(v).getInt(index * 4) & 0xffffffffL;
    }
}
