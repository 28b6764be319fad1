package org.osgemu.machine.virt;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgemu.api.device.DevicePlacement;
import org.osgemu.api.fdt.FdtNode;
import org.osgemu.api.machine.MachineConfigException;

class VirtBoardPartsTest {

    @TempDir
    Path dir;

    @Test
    void bootRomEntersFirmwareWithHartIdFdtAndDynamicInfo() {
        byte[] rom = BootRom.build(0x8000_0000L, 0x87e0_0000L, 0x8020_0000L);
        ByteBuffer b = ByteBuffer.wrap(rom).order(ByteOrder.LITTLE_ENDIAN);
        // auipc t0,0; addi a2,t0,40; csrr a0,mhartid; ld a1,32(t0); ld t0,24(t0); jr t0
        assertEquals(0x00000297, b.getInt(0));
        assertEquals(0x02828613, b.getInt(4));
        assertEquals(0xf1402573, b.getInt(8));
        assertEquals(0x0202b583, b.getInt(12));
        assertEquals(0x0182b283, b.getInt(16));
        assertEquals(0x00028067, b.getInt(20));
        assertEquals(0x8000_0000L, b.getLong(24));
        assertEquals(0x87e0_0000L, b.getLong(32));
        assertEquals(BootRom.FW_DYNAMIC_MAGIC, b.getLong(40));
        assertEquals(2, b.getLong(48));
        assertEquals(0x8020_0000L, b.getLong(56));
        assertEquals(BootRom.NEXT_MODE_S, b.getLong(64));
    }

    @Test
    void rawImagesLoadAtTheGivenAddress() throws Exception {
        Path raw = Files.write(dir.resolve("fw.bin"), new byte[] {1, 2, 3, 4});
        ImageLoader.Image img = ImageLoader.read("-bios", raw, 0x8000_0000L);
        assertFalse(img.elf());
        assertEquals(0x8000_0000L, img.entry());
        assertArrayEquals(new byte[] {1, 2, 3, 4}, img.segments().get(0).data());
    }

    @Test
    void riscvElfLoadsByProgramHeaders() throws Exception {
        Path elf = Files.write(dir.resolve("p.elf"), elf(243, 2, 0x8000_0000L, new byte[] {0x13, 0, 0, 0}, 64));
        ImageLoader.Image img = ImageLoader.read("-kernel", elf, 0);
        assertTrue(img.elf());
        assertEquals(0x8000_0010L, img.entry());
        assertEquals(0x8000_0000L, img.lowest());
        assertEquals(0x8000_0040L, img.highest());
    }

    @Test
    void foreignAndBrokenImagesAreRefusedWithTheirName() throws IOException {
        Path x86 = Files.write(dir.resolve("ls"), elf(62, 2, 0x400000, new byte[4], 4));
        assertEquals("-kernel " + x86 + ": ELF for x86-64 (e_machine 62), not RISC-V; this is a riscv64 machine",
                assertThrows(MachineConfigException.class, () -> ImageLoader.read("-kernel", x86, 0)).getMessage());
        Path rv32 = Files.write(dir.resolve("rv32"), elf(243, 1, 0x8000_0000L, new byte[4], 4));
        assertTrue(assertThrows(MachineConfigException.class, () -> ImageLoader.read("-kernel", rv32, 0))
                .getMessage().endsWith("32-bit RISC-V ELF; this is a riscv64 machine"));
        byte[] whole = elf(243, 2, 0x8000_0000L, new byte[16], 16);
        Path cut = Files.write(dir.resolve("cut"), java.util.Arrays.copyOf(whole, 70));
        assertTrue(assertThrows(MachineConfigException.class, () -> ImageLoader.read("-kernel", cut, 0))
                .getMessage().contains("program headers"));
        Path missing = dir.resolve("nope.bin");
        assertEquals("-bios " + missing + ": no such file",
                assertThrows(MachineConfigException.class, () -> ImageLoader.read("-bios", missing, 0)).getMessage());
        Path empty = Files.write(dir.resolve("empty"), new byte[0]);
        assertTrue(assertThrows(MachineConfigException.class, () -> ImageLoader.read("-bios", empty, 0))
                .getMessage().endsWith("the file is empty"));
    }

    @Test
    void deviceTreeHasCpusMemoryDevicesAndChosen() {
        FdtNode uart = FdtNode.at("serial", 0x1000_0000L).string("compatible", "ns16550a").reg(0x1000_0000L, 0x100)
                .phandleRef("interrupt-parent", DevicePlacement.INTERRUPT_CONTROLLER).u32("interrupts", 10);
        FdtNode plic = FdtNode.at("plic", 0xc00_0000L).label(DevicePlacement.INTERRUPT_CONTROLLER)
                .cells("interrupts-extended", DevicePlacement.cpuInterruptController(0), 11,
                        DevicePlacement.cpuInterruptController(1), 11);
        FdtNode test = FdtNode.at("test", 0x10_0000L).label("test").string("compatible", "sifive,test1", "sifive,test0", "syscon");
        List<VirtDeviceTree.PlacedNode> devices = List.of(
                new VirtDeviceTree.PlacedNode("sifive_test", null, test),
                new VirtDeviceTree.PlacedNode("plic", null, plic),
                new VirtDeviceTree.PlacedNode("ns16550a", null, uart));
        byte[] blob = VirtDeviceTree.build(2, "rv64imac_zicsr_zifencei", "riscv,sv39", 128L << 20, devices, "console=ttyS0",
                Optional.of(new long[] {0x8800_0000L, 0x8900_0000L}));
        Map<String, Map<String, byte[]>> t = FdtParser.parse(blob);

        assertEquals("riscv-virtio", FdtParser.string(t.get("/").get("compatible")));
        assertEquals("/soc/serial@10000000", FdtParser.string(t.get("/chosen").get("stdout-path")));
        assertEquals("console=ttyS0", FdtParser.string(t.get("/chosen").get("bootargs")));
        assertEquals(0x8800_0000L, FdtParser.cell(t.get("/chosen").get("linux,initrd-start"), 1));
        assertEquals(128L << 20, FdtParser.cell(t.get("/memory@80000000").get("reg"), 3));
        assertEquals(10_000_000, FdtParser.cell(t.get("/cpus").get("timebase-frequency"), 0));
        assertTrue(t.containsKey("/cpus/cpu@0/interrupt-controller"));
        assertTrue(t.containsKey("/cpus/cpu@1/interrupt-controller"));
        assertEquals("rv64imac_zicsr_zifencei", FdtParser.string(t.get("/cpus/cpu@1").get("riscv,isa")));
        assertEquals("riscv,sv39", FdtParser.string(t.get("/cpus/cpu@1").get("mmu-type")));
        // phandle references resolve to the labelled nodes' phandles
        long plicPhandle = FdtParser.cell(t.get("/soc/plic@c000000").get("phandle"), 0);
        assertEquals(plicPhandle, FdtParser.cell(t.get("/soc/serial@10000000").get("interrupt-parent"), 0));
        long intc1 = FdtParser.cell(t.get("/cpus/cpu@1/interrupt-controller").get("phandle"), 0);
        assertEquals(intc1, FdtParser.cell(t.get("/soc/plic@c000000").get("interrupts-extended"), 2));
        long testPhandle = FdtParser.cell(t.get("/soc/test@100000").get("phandle"), 0);
        assertEquals(testPhandle, FdtParser.cell(t.get("/poweroff").get("regmap"), 0));
        assertEquals(0x5555, FdtParser.cell(t.get("/poweroff").get("value"), 0));
    }

    @Test
    void aMissingUartLeavesNoStdoutPathAndNoNode() {
        byte[] blob = VirtDeviceTree.build(1, "rv64imac", null, 64L << 20, List.of(), "", Optional.empty());
        Map<String, Map<String, byte[]>> t = FdtParser.parse(blob);
        assertFalse(t.get("/chosen").containsKey("stdout-path"));
        assertFalse(t.containsKey("/soc/serial@10000000"));
        assertFalse(t.containsKey("/poweroff"));
    }

    @Test
    void aDevicesRootNodesGoBesideTheSocAndReferToItsNode() {
        FdtNode gpio = FdtNode.at("gpio", 0x10_3000L).label("gpio-gpio0").string("compatible", "sifive,gpio0");
        FdtNode keys = new FdtNode("gpio-keys").string("compatible", "gpio-keys")
                .child(new FdtNode("poweroff").u32("linux,code", 116).cells("gpios", "gpio-gpio0", 0, 0));
        byte[] blob = VirtDeviceTree.build(1, "rv64imac", null, 64L << 20,
                List.of(new VirtDeviceTree.PlacedNode("sifive_gpio", null, gpio, List.of(keys))), "", Optional.empty());
        Map<String, Map<String, byte[]>> t = FdtParser.parse(blob);

        assertEquals("gpio-keys", FdtParser.string(t.get("/gpio-keys").get("compatible")));
        long gpioPhandle = FdtParser.cell(t.get("/soc/gpio@103000").get("phandle"), 0);
        assertEquals(gpioPhandle, FdtParser.cell(t.get("/gpio-keys/poweroff").get("gpios"), 0));
        assertEquals(116, FdtParser.cell(t.get("/gpio-keys/poweroff").get("linux,code"), 0));
        assertFalse(t.containsKey("/soc/gpio-keys"));
    }

    @Test
    void theMemoryMapMatchesQemuVirt() {
        assertEquals(0x1000_0000L, VirtMemoryMap.slotFor("ns16550a").orElseThrow().base());
        assertEquals(List.of(10), VirtMemoryMap.slotFor("ns16550a").orElseThrow().irqs());
        assertEquals(0x200_0000L, VirtMemoryMap.slotFor("clint").orElseThrow().base());
        assertEquals(0xc00_0000L, VirtMemoryMap.slotFor("plic").orElseThrow().base());
        assertEquals(0x10_0000L, VirtMemoryMap.slotFor("sifive_test").orElseThrow().base());
        assertTrue(VirtMemoryMap.slotFor("no-such-device").isEmpty());
        // ours, after QEMU's test, RTC and our bigstate: the GPIO controller of the power key, a PLIC source per pin
        assertEquals(0x10_3000L, VirtMemoryMap.slotFor("sifive_gpio").orElseThrow().base());
        assertEquals(List.of(12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27),
                VirtMemoryMap.slotFor("sifive_gpio").orElseThrow().irqs());
    }

    /** A minimal ELF64 with one PT_LOAD segment of {@code code} at {@code addr}, entry addr+16. */
    private static byte[] elf(int machine, int elfClass, long addr, byte[] code, long memsz) {
        ByteBuffer b = ByteBuffer.allocate(64 + 56 + code.length).order(ByteOrder.LITTLE_ENDIAN);
        b.put(new byte[] {0x7f, 'E', 'L', 'F', (byte) elfClass, 1, 1, 0});
        b.position(16);
        b.putShort((short) 2).putShort((short) machine).putInt(1).putLong(addr + 16).putLong(64).putLong(0)
                .putInt(0).putShort((short) 64).putShort((short) 56).putShort((short) 1).putShort((short) 0)
                .putShort((short) 0).putShort((short) 0);
        b.position(64);
        b.putInt(1).putInt(5).putLong(120).putLong(addr).putLong(addr).putLong(code.length).putLong(memsz).putLong(4096);
        b.put(code);
        return b.array();
    }
}
