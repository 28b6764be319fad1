package org.osgemu.machine.virt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.osgemu.api.machine.MachineConfigException;
import org.osgemu.machine.virt.BootLayout.Kind;
import org.osgemu.machine.virt.BootLayout.Piece;

/** Placement as QEMU 7.2's virt board does it, and the refusal of overlapping images. */
class BootLayoutTest {

    private static final long DRAM = 0x8000_0000L;
    private static final long FDT_SIZE = 0x1_0000;

    private static ImageLoader.Image raw(String option, String file, long address, int size) {
        return new ImageLoader.Image(option, Path.of(file), List.of(new ImageLoader.Segment(address, new byte[size], size)),
                address, false);
    }

    @Test
    void theDeviceTreeSitsBelowTheEndOfRamOrThreeGibWhicheverIsLower() {
        assertEquals(0x87e0_0000L, BootLayout.fdtAddress(DRAM, 128L << 20, FDT_SIZE));
        assertEquals(0xbfe0_0000L, BootLayout.fdtAddress(DRAM, 1L << 30, FDT_SIZE));
        // 2G and 4G end above 3 GiB (0xc000_0000): the tree stays below it, reachable by 32-bit code
        assertEquals(0xbfe0_0000L, BootLayout.fdtAddress(DRAM, 2L << 30, FDT_SIZE));
        assertEquals(0xbfe0_0000L, BootLayout.fdtAddress(DRAM, 4L << 30, FDT_SIZE));
        // RAM that starts above 3 GiB keeps the tree at its own end
        assertEquals(0x1_3fe0_0000L, BootLayout.fdtAddress(0x1_0000_0000L, 1L << 30, FDT_SIZE));
    }

    @Test
    void theKernelGoesAtTheFirmwaresEndRoundedUpToTwoMib() {
        // Debian's fw_dynamic.bin (115328 bytes) ends well inside the first 2 MiB
        assertEquals(0x8020_0000L, BootLayout.kernelBase(DRAM, Optional.of(raw("-bios", "fw.bin", DRAM, 115_328))));
        // a firmware of 3 MiB pushes the kernel to 4 MiB
        assertEquals(0x8040_0000L, BootLayout.kernelBase(DRAM, Optional.of(raw("-bios", "big.bin", DRAM, 3 << 20))));
        // one ending on a boundary needs no rounding
        assertEquals(0x8020_0000L, BootLayout.kernelBase(DRAM, Optional.of(raw("-bios", "exact.bin", DRAM, 2 << 20))));
        assertEquals(DRAM, BootLayout.kernelBase(DRAM, Optional.empty()));
    }

    @Test
    void theInitrdGoesHalfWayIntoSmallRamAndAt128MibAboveTheKernelOtherwise() {
        assertEquals(0x8020_0000L + (64L << 20), BootLayout.initrdBase(0x8020_0000L, 128L << 20));
        assertEquals(0x8020_0000L + (128L << 20), BootLayout.initrdBase(0x8020_0000L, 1L << 30));
        assertEquals(0x8020_0000L + (128L << 20), BootLayout.initrdBase(0x8020_0000L, 4L << 30));
    }

    @Test
    void aKernelLinkedAtTheBaseOfRamOverlapsTheFirmware() {
        List<Piece> pieces = List.of(
                new Piece(Kind.FIRMWARE, "-bios fw.bin", DRAM, DRAM + 115_328),
                new Piece(Kind.KERNEL, "-kernel hello.elf", DRAM, DRAM + 0x2000),
                new Piece(Kind.DEVICE_TREE, "the device tree", 0x87e0_0000L, 0x87e1_0000L));
        assertEquals("-bios fw.bin [0x80000000, 0x8001c280) overlaps -kernel hello.elf [0x80000000, 0x80002000);"
                        + " the firmware starts at the base of RAM: link the kernel above it, or use -bios none",
                assertThrows(MachineConfigException.class, () -> BootLayout.checkNoOverlap(pieces)).getMessage());
    }

    @Test
    void anInitrdRunningIntoTheDeviceTreeIsRefused() {
        List<Piece> pieces = List.of(
                new Piece(Kind.KERNEL, "-kernel Image", 0x8020_0000L, 0x8120_0000L),
                new Piece(Kind.INITRD, "-initrd big.cpio", 0x8420_0000L, 0x8800_0000L),
                new Piece(Kind.DEVICE_TREE, "the device tree", 0x87e0_0000L, 0x87e1_0000L));
        assertEquals("-initrd big.cpio [0x84200000, 0x88000000) overlaps the device tree [0x87e00000, 0x87e10000);"
                        + " the device tree sits at the top of RAM (below 3 GiB): try a larger -m",
                assertThrows(MachineConfigException.class, () -> BootLayout.checkNoOverlap(pieces)).getMessage());
    }

    @Test
    void adjacentPiecesDoNotOverlapAndEveryPairIsChecked() throws MachineConfigException {
        BootLayout.checkNoOverlap(List.of(
                new Piece(Kind.BOOT_ROM, "the boot ROM", 0x1000, 0x1058),
                new Piece(Kind.FIRMWARE, "-bios fw.bin", DRAM, DRAM + 0x20_0000),
                new Piece(Kind.KERNEL, "-kernel Image", DRAM + 0x20_0000, DRAM + 0x40_0000),
                new Piece(Kind.DEVICE_TREE, "the device tree", 0x87e0_0000L, 0x87e1_0000L)));
        // the first and the last of the list overlap: found although they are not neighbours
        List<Piece> pieces = List.of(
                new Piece(Kind.BOOT_ROM, "the boot ROM", 0x1000, 0x1058),
                new Piece(Kind.KERNEL, "-kernel Image", DRAM, DRAM + 0x1000),
                new Piece(Kind.INITRD, "-initrd low.img", 0x1050, 0x2000));
        assertEquals("the boot ROM [0x1000, 0x1058) overlaps -initrd low.img [0x1050, 0x2000)",
                assertThrows(MachineConfigException.class, () -> BootLayout.checkNoOverlap(pieces)).getMessage());
    }

    @Test
    void everySegmentOfAnImageIsAPiece() {
        ImageLoader.Image elf = new ImageLoader.Image("-kernel", Path.of("k.elf"), List.of(
                new ImageLoader.Segment(DRAM, new byte[16], 32), new ImageLoader.Segment(DRAM + 0x1000, new byte[8], 8)),
                DRAM, true);
        assertEquals(List.of(new Piece(Kind.KERNEL, "-kernel k.elf", DRAM, DRAM + 32),
                        new Piece(Kind.KERNEL, "-kernel k.elf", DRAM + 0x1000, DRAM + 0x1008)),
                BootLayout.pieces(Kind.KERNEL, elf));
    }
}
