package org.osgemu.machine.virt;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.function.Consumer;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgemu.api.machine.MachineConfigException;

/**
 * Crafted ELF headers: every bad field is refused with one line naming the file and the field,
 * never an exception of the JDK's; sums of offsets and sizes that wrap around are caught.
 */
class ImageLoaderTest {

    private static final int PHOFF = 64;
    private static final int PH_SIZE = 56;

    @TempDir
    Path dir;

    /** Writes an ELF64 RISC-V executable with two PT_LOAD segments, patched by {@code patch}, and returns the loader's error. */
    private String refusal(Consumer<ByteBuffer> patch) throws IOException {
        ByteBuffer b = goodElf();
        patch.accept(b);
        Path file = Files.write(dir.resolve("prog.elf"), b.array());
        return assertThrows(MachineConfigException.class, () -> ImageLoader.read("-kernel", file, 0)).getMessage();
    }

    private String prefix() {
        return "-kernel " + dir.resolve("prog.elf") + ": ";
    }

    /** Header, two program headers, then 16 bytes of code for each segment. */
    private static ByteBuffer goodElf() {
        ByteBuffer b = ByteBuffer.allocate(PHOFF + 2 * PH_SIZE + 32).order(ByteOrder.LITTLE_ENDIAN);
        b.put(new byte[] {0x7f, 'E', 'L', 'F', 2, 1, 1, 0});
        b.position(16);
        b.putShort((short) 2).putShort((short) 243).putInt(1).putLong(0x8000_0000L).putLong(PHOFF).putLong(0)
                .putInt(0).putShort((short) 64).putShort((short) PH_SIZE).putShort((short) 2).putShort((short) 0)
                .putShort((short) 0).putShort((short) 0);
        int data = PHOFF + 2 * PH_SIZE;
        for (int i = 0; i < 2; i++) {
            b.position(PHOFF + i * PH_SIZE);
            b.putInt(1).putInt(5).putLong(data + 16L * i).putLong(0x8000_0000L + 0x1000L * i).putLong(0x8000_0000L + 0x1000L * i)
                    .putLong(16).putLong(32).putLong(8);
        }
        for (int i = data; i < b.capacity(); i++) {
            b.put(i, (byte) i);
        }
        return b;
    }

    private static void programHeader(ByteBuffer b, int index, int field, long value) {
        b.putLong(PHOFF + index * PH_SIZE + field, value);
    }

    @Test
    void theGoodElfLoadsItsTwoSegments() throws IOException {
        byte[] bytes = goodElf().array();
        Path file = Files.write(dir.resolve("good.elf"), bytes);
        ImageLoader.Image image;
        try {
            image = ImageLoader.read("-kernel", file, 0);
        } catch (MachineConfigException e) {
            throw new AssertionError(e.getMessage());
        }
        assertEquals(2, image.segments().size());
        assertEquals(0x8000_1000L, image.segments().get(1).address());
        assertArrayEquals(Arrays.copyOfRange(bytes, 176 + 16, 176 + 32), image.segments().get(1).data());
        assertEquals(0x8000_1020L, image.highest());
    }

    @Test
    void aTruncatedHeader() throws IOException {
        Path file = Files.write(dir.resolve("prog.elf"), Arrays.copyOf(goodElf().array(), 40));
        assertEquals(prefix() + "truncated ELF header (40 bytes, 64 needed)",
                assertThrows(MachineConfigException.class, () -> ImageLoader.read("-kernel", file, 0)).getMessage());
    }

    @Test
    void aTruncatedProgramHeaderTable() throws IOException {
        Path file = Files.write(dir.resolve("prog.elf"), Arrays.copyOf(goodElf().array(), 100));
        assertEquals(prefix() + "program headers (e_phoff 0x40, 2 x 56 bytes) run past the end of the file (100 bytes)",
                assertThrows(MachineConfigException.class, () -> ImageLoader.read("-kernel", file, 0)).getMessage());
    }

    @Test
    void anEPhoffThatWrapsAroundIsNotTakenForAnOffsetInTheFile() throws IOException {
        // 0xffff...ff90 + 2 * 56 wraps to 0x8: a signed sum would pass the bounds check
        assertEquals(prefix() + "program headers (e_phoff 0xffffffffffffff90, 2 x 56 bytes) run past the end of the file (208 bytes)",
                refusal(b -> b.putLong(32, 0xffff_ffff_ffff_ff90L)));
        assertEquals(prefix() + "program headers (e_phoff 0x7fffffffffffffff, 2 x 56 bytes) run past the end of the file (208 bytes)",
                refusal(b -> b.putLong(32, Long.MAX_VALUE)));
    }

    @Test
    void aSegmentThatWrapsAroundOrRunsPastTheFile() throws IOException {
        assertEquals(prefix() + "program header 1: p_offset+p_filesz (0xfffffffffffffff0 + 0x10) beyond the end of the file (208 bytes)",
                refusal(b -> programHeader(b, 1, 8, -16L)));
        // 0x7fff...fff8 + 0x10 wraps to a negative sum, which a signed check takes for "inside the file"
        assertEquals(prefix() + "program header 1: p_offset+p_filesz (0x7ffffffffffffff8 + 0x10) beyond the end of the file (208 bytes)",
                refusal(b -> programHeader(b, 1, 8, 0x7fff_ffff_ffff_fff8L)));
        assertEquals(prefix() + "program header 0: p_offset+p_filesz (0xb0 + 0x7ffffffffffffff0) beyond the end of the file (208 bytes)",
                refusal(b -> {
                    programHeader(b, 0, 32, 0x7fff_ffff_ffff_fff0L);
                    programHeader(b, 0, 40, 0x7fff_ffff_ffff_fff0L);
                }));
        assertEquals(prefix() + "program header 1: p_offset+p_filesz (0xc8 + 0x10) beyond the end of the file (208 bytes)",
                refusal(b -> programHeader(b, 1, 8, 200)));
    }

    @Test
    void aSegmentWhoseAddressWrapsAround() throws IOException {
        assertEquals(prefix() + "program header 0: p_paddr+p_memsz (0xfffffffffffffff0 + 0x20) beyond the 64-bit address space",
                refusal(b -> programHeader(b, 0, 24, -16L)));
    }

    @Test
    void pFileszAbovePMemsz() throws IOException {
        assertEquals(prefix() + "program header 1: p_filesz 0x10 exceeds p_memsz 0x8",
                refusal(b -> programHeader(b, 1, 40, 8)));
        // unsigned: a "negative" p_filesz is huge, not small
        assertEquals(prefix() + "program header 0: p_filesz 0xffffffffffffffff exceeds p_memsz 0x20",
                refusal(b -> programHeader(b, 0, 32, -1L)));
    }

    @Test
    void aProgramHeaderEntryTooSmallOrNoneAtAll() throws IOException {
        assertEquals(prefix() + "e_phentsize 32 is smaller than the 56 bytes of an ELF64 program header",
                refusal(b -> b.putShort(54, (short) 32)));
        assertEquals(prefix() + "ELF has no program headers (e_phnum 0)", refusal(b -> b.putShort(56, (short) 0)));
        assertEquals(prefix() + "ELF has no loadable (PT_LOAD) segment", refusal(b -> {
            b.putInt(PHOFF, 4);
            b.putInt(PHOFF + PH_SIZE, 4);
        }));
    }

    @Test
    void theWrongClassMachineOrByteOrder() throws IOException {
        assertEquals(prefix() + "32-bit RISC-V ELF; this is a riscv64 machine", refusal(b -> b.put(4, (byte) 1)));
        assertEquals(prefix() + "EI_CLASS 7 is no ELF class (2 is 64-bit)", refusal(b -> b.put(4, (byte) 7)));
        assertEquals(prefix() + "ELF for AArch64 (e_machine 183), not RISC-V; this is a riscv64 machine",
                refusal(b -> b.putShort(18, (short) 183)));
        assertEquals(prefix() + "big-endian ELF; a riscv64 machine needs little-endian", refusal(b -> b.put(5, (byte) 2)));
        assertEquals(prefix() + "EI_DATA 0 is no ELF byte order; a riscv64 machine needs little-endian", refusal(b -> b.put(5, (byte) 0)));
    }
}
