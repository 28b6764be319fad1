package org.osgemu.testkit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.nio.charset.StandardCharsets;
import java.util.List;

import org.osgemu.api.fdt.FdtNode;

/** Reads properties back out of an {@link FdtNode} for assertions. */
public final class FdtAssert {

    private FdtAssert() {
    }

    public static void assertStrings(FdtNode node, String property, String... expected) {
        String joined = String.join("\0", expected) + "\0";
        FdtNode.Bytes bytes = assertInstanceOf(FdtNode.Bytes.class, value(node, property));
        assertEquals(joined, new String(bytes.data(), StandardCharsets.UTF_8), property);
    }

    public static void assertCells(FdtNode node, String property, Object... expected) {
        FdtNode.Cells cells = assertInstanceOf(FdtNode.Cells.class, value(node, property));
        assertEquals(List.of(expected), cells.cells(), property);
    }

    public static void assertFlag(FdtNode node, String property) {
        FdtNode.Bytes bytes = assertInstanceOf(FdtNode.Bytes.class, value(node, property));
        assertArrayEquals(new byte[0], bytes.data(), property);
    }

    private static FdtNode.Value value(FdtNode node, String property) {
        FdtNode.Value v = node.properties().get(property);
        assertNotNull(v, "node " + node.name() + " lacks property " + property);
        return v;
    }
}
