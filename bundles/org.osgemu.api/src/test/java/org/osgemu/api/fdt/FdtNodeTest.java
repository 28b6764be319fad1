package org.osgemu.api.fdt;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;

import org.junit.jupiter.api.Test;

/** Building device-tree nodes before they are flattened. */
class FdtNodeTest {

    @Test
    void unitAddressesAreLowerCaseHex() {
        assertEquals("uart@1000abc0", FdtNode.at("uart", 0x1000ABC0L).name());
        assertEquals("memory@80000000", FdtNode.at("memory", 0x8000_0000L).name());
    }

    @Test
    void childNamedFindsAnExistingChildOrAddsOne() {
        FdtNode root = new FdtNode("");
        FdtNode soc = root.childNamed("soc");

        assertSame(soc, root.childNamed("soc"));
        root.childNamed("chosen");
        assertEquals(List.of("soc", "chosen"), root.children().stream().map(FdtNode::name).toList());
    }

    @Test
    void settingAPropertyAgainReplacesItsValueInPlace() {
        FdtNode n = new FdtNode("n").u32("a", 1).u32("b", 2).u32("a", 3);

        assertEquals(List.of("a", "b"), List.copyOf(n.properties().keySet()));
        assertEquals(new FdtNode.Cells(List.of(3)), n.properties().get("a"));
    }

    @Test
    void rawBytesAreCopiedWhenSet() {
        byte[] data = {1, 2};
        FdtNode n = new FdtNode("n").bytes("blob", data);
        data[0] = 9;

        assertArrayEquals(new byte[] {1, 2}, ((FdtNode.Bytes) n.properties().get("blob")).data());
    }

    @Test
    void cellsTakeNumbersAndLabelsOnly() {
        FdtNode n = new FdtNode("n").cells("ext", "intc", 9L, (short) 3);

        assertEquals(new FdtNode.Cells(List.of("intc", 9, 3)), n.properties().get("ext"));
        assertThrows(IllegalArgumentException.class, () -> n.cells("bad", 1.5f, new Object()));
    }
}
