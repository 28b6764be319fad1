package org.osgemu.machine.virt;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.osgemu.api.machine.MachineConfigException;

/**
 * Where the virt board puts what it loads, as QEMU 7.2's RISC-V {@code virt} does (facts of its
 * {@code hw/riscv/boot.c}): the firmware at the DRAM base; a raw kernel at the firmware's end
 * rounded up to 2 MiB (RV64), or at the DRAM base without firmware; the initrd at the kernel's
 * entry plus half the RAM, at most 128 MiB; the device tree in the last 2 MiB-aligned place
 * below the end of RAM or 3 GiB, whichever is lower, so that a 32-bit kernel can still reach it.
 * And the check of QEMU's ROM loader: no two of the pieces may overlap.
 */
final class BootLayout {

    private static final long TWO_MIB = 0x20_0000;
    private static final long THREE_GIB = 3L << 30;
    private static final long INITRD_MAX_OFFSET = 128L << 20;

    /** What a piece of guest memory holds, for the advice an overlap gets. */
    enum Kind { FIRMWARE, KERNEL, INITRD, DEVICE_TREE, BOOT_ROM }

    /** A range {@code [start, end)} of guest-physical memory that {@code what} fills. */
    record Piece(Kind kind, String what, long start, long end) {

        boolean overlaps(Piece other) {
            return Long.compareUnsigned(start, other.end) < 0 && Long.compareUnsigned(other.start, end) < 0;
        }

        @Override
        public String toString() {
            return String.format("%s [0x%x, 0x%x)", what, start, end);
        }
    }

    private BootLayout() {}

    /** Where a raw kernel goes: past the firmware, at the next 2 MiB boundary; the DRAM base with {@code -bios none}. */
    static long kernelBase(long dramBase, Optional<ImageLoader.Image> firmware) {
        return alignUp(firmware.map(ImageLoader.Image::highest).orElse(dramBase), TWO_MIB);
    }

    /** Where the initrd goes: far enough above the kernel for it to unpack, low enough for small RAM. */
    static long initrdBase(long kernelEntry, long ramSize) {
        return kernelEntry + Math.min(ramSize / 2, INITRD_MAX_OFFSET);
    }

    /** Where the device tree of (at most) {@code fdtSize} bytes goes in RAM of {@code ramSize} bytes at {@code dramBase}. */
    static long fdtAddress(long dramBase, long ramSize, long fdtSize) {
        long dramEnd = dramBase + ramSize;
        long top = Long.compareUnsigned(dramBase, THREE_GIB) < 0 ? Math.min(dramEnd, THREE_GIB) : dramEnd;
        return (top - fdtSize) & -TWO_MIB;
    }

    /** The pieces an image fills: one per segment. */
    static List<Piece> pieces(Kind kind, ImageLoader.Image image) {
        List<Piece> pieces = new ArrayList<>();
        for (ImageLoader.Segment s : image.segments()) {
            pieces.add(new Piece(kind, image.option() + " " + image.path(), s.address(), s.end()));
        }
        return pieces;
    }

    /** Refuses, as QEMU's ROM loader does, any two pieces that share a byte; the message names both. */
    static void checkNoOverlap(List<Piece> pieces) throws MachineConfigException {
        for (int i = 0; i < pieces.size(); i++) {
            for (int j = i + 1; j < pieces.size(); j++) {
                Piece a = pieces.get(i);
                Piece b = pieces.get(j);
                if (a.overlaps(b)) {
                    throw new MachineConfigException(a + " overlaps " + b + advice(a.kind(), b.kind()));
                }
            }
        }
    }

    private static String advice(Kind a, Kind b) {
        if (a == Kind.DEVICE_TREE || b == Kind.DEVICE_TREE) {
            return "; the device tree sits at the top of RAM (below 3 GiB): try a larger -m";
        }
        if ((a == Kind.FIRMWARE && b == Kind.KERNEL) || (a == Kind.KERNEL && b == Kind.FIRMWARE)) {
            return "; the firmware starts at the base of RAM: link the kernel above it, or use -bios none";
        }
        return "";
    }

    private static long alignUp(long address, long alignment) {
        return (address + alignment - 1) & -alignment;
    }
}
