package org.osgemu.api.fdt;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;

import org.junit.jupiter.api.Test;

/** The blob {@link FdtWriter} produces, read back with {@link DtbReader}. */
class FdtWriterTest {

    /** A small board: two harts with interrupt controllers, a PLIC, a UART that refers to it. */
    private static FdtNode board() {
        FdtNode root = new FdtNode("root").u32("#address-cells", 2).u32("#size-cells", 2)
                .string("compatible", "riscv-virtio");
        FdtNode cpus = root.childNamed("cpus").u32("#address-cells", 1).u32("#size-cells", 0);
        for (int hart = 0; hart < 2; hart++) {
            FdtNode cpu = FdtNode.at("cpu", hart).string("compatible", "riscv").u32("reg", hart);
            cpu.child(new FdtNode("interrupt-controller").label("cpu" + hart + "-intc").flag("interrupt-controller"));
            cpus.child(cpu);
        }
        FdtNode soc = root.childNamed("soc");
        soc.child(FdtNode.at("plic", 0xc000000).label("plic").reg(0xc000000, 0x600000)
                .cells("interrupts-extended", "cpu0-intc", 11, "cpu1-intc", 11));
        soc.child(FdtNode.at("serial", 0x10000000).string("compatible", "ns16550a")
                .reg(0x10000000, 0x100).phandleRef("interrupt-parent", "plic").u32("interrupts", 10));
        root.childNamed("chosen").string("stdout-path", "/soc/serial@10000000");
        return root;
    }

    @Test
    void theHeaderDescribesTheBlob() {
        byte[] dtb = FdtWriter.write(board(), 3);
        DtbReader.Header h = new DtbReader(dtb).header;

        assertEquals(DtbReader.MAGIC, h.magic());
        assertEquals(17, h.version());
        assertEquals(16, h.lastCompatibleVersion());
        assertEquals(3, h.bootCpu());
        assertEquals(dtb.length, h.totalSize());
        assertEquals(40, h.reserveMapOffset()); // right after the 40-byte header, 8-aligned
        assertEquals(h.reserveMapOffset() + 16, h.structOffset()); // an empty map is one terminating entry
        assertEquals(h.structOffset() + h.structSize(), h.stringsOffset());
        assertTrue(h.stringsOffset() + h.stringsSize() <= h.totalSize());
        assertEquals(0, h.structOffset() % 4);
        assertEquals(0, h.structSize() % 4);
        assertEquals(0, h.totalSize() % 8);
    }

    @Test
    void theReserveMapIsEmpty() {
        byte[] dtb = FdtWriter.write(board(), 0);
        ByteBuffer b = ByteBuffer.wrap(dtb);

        assertEquals(0L, b.getLong(40));
        assertEquals(0L, b.getLong(48));
    }

    @Test
    void anEmptyTreeIsTheSmallestValidBlob() {
        byte[] dtb = FdtWriter.write(new FdtNode("ignored"), 0);
        DtbReader reader = new DtbReader(dtb);
        DtbReader.Node root = reader.root();

        // BEGIN_NODE, empty name padded to 4 bytes, END_NODE, END
        assertEquals(16, reader.header.structSize());
        assertEquals(0, reader.header.stringsSize());
        assertEquals(72, dtb.length);
        assertEquals("", root.name());
        assertEquals(List.of(), root.children());
    }

    @Test
    void nodesAndPropertiesNestAsBuilt() {
        DtbReader.Node root = new DtbReader(FdtWriter.write(board(), 0)).root();

        assertEquals("", root.name()); // the root's own name is never written
        assertEquals(List.of("cpus", "soc", "chosen"), root.children().stream().map(DtbReader.Node::name).toList());
        DtbReader.Node cpu1 = root.child("cpus").child("cpu@1");
        assertEquals(1, cpu1.u32("reg"));
        assertArrayEquals(new byte[0], cpu1.child("interrupt-controller").properties().get("interrupt-controller"));
        assertEquals(List.of("serial@10000000"), root.child("soc").children().stream()
                .map(DtbReader.Node::name).filter(n -> n.startsWith("serial")).toList());
        assertArrayEquals("riscv-virtio\0".getBytes(StandardCharsets.US_ASCII), root.properties().get("compatible"));
    }

    @Test
    void sixtyFourBitValuesAreTwoBigEndianCellsHighFirst() {
        DtbReader.Node serial = new DtbReader(FdtWriter.write(board(), 0)).root().child("soc").child("serial@10000000");

        ByteBuffer reg = ByteBuffer.wrap(serial.properties().get("reg"));
        assertEquals(16, reg.capacity());
        assertEquals(0, reg.getInt(0));
        assertEquals(0x10000000, reg.getInt(4));
        assertEquals(0, reg.getInt(8));
        assertEquals(0x100, reg.getInt(12));
    }

    @Test
    void labelledNodesGetPhandlesInTreeOrderAndReferencesUseThem() {
        DtbReader.Node root = new DtbReader(FdtWriter.write(board(), 0)).root();
        DtbReader.Node cpus = root.child("cpus");
        DtbReader.Node plic = root.child("soc").child("plic@c000000");

        assertEquals(1, cpus.child("cpu@0").child("interrupt-controller").u32("phandle"));
        assertEquals(2, cpus.child("cpu@1").child("interrupt-controller").u32("phandle"));
        assertEquals(3, plic.u32("phandle"));
        assertEquals(3, root.child("soc").child("serial@10000000").u32("interrupt-parent"));
        ByteBuffer ext = ByteBuffer.wrap(plic.properties().get("interrupts-extended"));
        assertEquals(List.of(1, 11, 2, 11), List.of(ext.getInt(0), ext.getInt(4), ext.getInt(8), ext.getInt(12)));
    }

    @Test
    void aLabelledParentIsNumberedBeforeItsLabelledChildren() {
        FdtNode root = new FdtNode("");
        FdtNode gpio = new FdtNode("gpio").label("gpio");
        gpio.child(new FdtNode("key").label("key"));
        root.child(gpio).child(new FdtNode("after").label("after"));

        DtbReader.Node parsed = new DtbReader(FdtWriter.write(root, 0)).root();

        assertEquals(1, parsed.child("gpio").u32("phandle"));
        assertEquals(2, parsed.child("gpio").child("key").u32("phandle"));
        assertEquals(3, parsed.child("after").u32("phandle"));
    }

    @Test
    void eachPropertyNameIsStoredOnceInTheStringsBlock() {
        DtbReader reader = new DtbReader(FdtWriter.write(board(), 0));
        reader.root();
        String strings = new String(reader.strings, StandardCharsets.UTF_8);

        assertEquals(1, count(strings, "compatible\0"));
        assertEquals(1, count(strings, "\0reg\0")); // "reg" and not only the tail of another name
        assertEquals(1, count(strings, "phandle\0"));
        // every name the structure block points at is distinct, so no string was written twice
        List<String> names = new java.util.ArrayList<>();
        for (int off : new HashSet<>(reader.nameOffsets)) {
            int end = off;
            while (reader.strings[end] != 0) end++;
            names.add(strings.substring(off, end));
        }
        assertEquals(names.size(), new HashSet<>(names).size());
        assertEquals(strings.chars().filter(c -> c == 0).count(), names.size());
    }

    @Test
    void valuesOfAnyLengthArePaddedSoTheNextTokenIsAligned() {
        FdtNode root = new FdtNode("");
        root.bytes("odd", new byte[] {1, 2, 3, 4, 5}).string("label", "ab").u32("after", 7);
        root.child(new FdtNode("x").bytes("one", new byte[] {9}));

        DtbReader.Node parsed = new DtbReader(FdtWriter.write(root, 0)).root(); // the reader checks alignment

        assertArrayEquals(new byte[] {1, 2, 3, 4, 5}, parsed.properties().get("odd"));
        assertArrayEquals("ab\0".getBytes(StandardCharsets.US_ASCII), parsed.properties().get("label"));
        assertEquals(7, parsed.u32("after"));
        assertArrayEquals(new byte[] {9}, parsed.child("x").properties().get("one"));
    }

    @Test
    void aReferenceToAMissingLabelIsRefusedNamingNodePropertyAndLabel() {
        FdtNode root = new FdtNode("");
        root.child(FdtNode.at("serial", 0x1000).phandleRef("interrupt-parent", "plic"));

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> FdtWriter.write(root, 0));

        assertTrue(e.getMessage().contains("serial@1000") && e.getMessage().contains("interrupt-parent")
                && e.getMessage().contains("'plic'"), e.getMessage());
    }

    @Test
    void aLabelCarriedByTwoNodesIsRefused() {
        FdtNode root = new FdtNode("");
        root.child(new FdtNode("a").label("intc")).child(new FdtNode("b").label("intc"));

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> FdtWriter.write(root, 0));

        assertTrue(e.getMessage().contains("'intc'"), e.getMessage());
    }

    private static int count(String haystack, String needle) {
        int n = 0;
        for (int i = haystack.indexOf(needle); i >= 0; i = haystack.indexOf(needle, i + 1)) n++;
        return n;
    }
}
