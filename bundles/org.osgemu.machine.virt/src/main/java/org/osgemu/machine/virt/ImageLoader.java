package org.osgemu.machine.virt;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.osgemu.api.machine.MachineConfigException;
import org.osgemu.api.memory.AddressSpace;
import org.osgemu.api.memory.BusErrorException;

/**
 * Reads firmware and kernel images: 64-bit little-endian RISC-V ELF executables (PT_LOAD segments
 * at their physical addresses) or raw binaries (at a given address). Every problem is a
 * {@link MachineConfigException} naming the option, the file and what is wrong with it.
 */
final class ImageLoader {

    private static final int EM_RISCV = 243;
    private static final int PT_LOAD = 1;
    private static final int ELF64_HEADER = 64;
    private static final int PHDR64_SIZE = 56;

    /** One piece to copy into guest memory: {@code data}, then zeroes up to {@code memSize} bytes. */
    record Segment(long address, byte[] data, long memSize) {

        /** The address after the segment's last byte. */
        long end() {
            return address + memSize;
        }
    }

    /** A parsed image: its segments and entry point. */
    record Image(String option, Path path, List<Segment> segments, long entry, boolean elf) {

        /** The lowest address a segment takes (addresses compare unsigned). */
        long lowest() {
            return segments.stream().mapToLong(Segment::address).reduce((a, c) -> Long.compareUnsigned(a, c) <= 0 ? a : c)
                    .orElse(entry);
        }

        /** The address after the highest byte a segment takes, zero-filled tail included. */
        long highest() {
            return segments.stream().mapToLong(Segment::end).reduce((a, c) -> Long.compareUnsigned(a, c) >= 0 ? a : c)
                    .orElse(entry);
        }

        /** Copies the image into guest memory (ROM allowed, as a loader may). */
        void load(AddressSpace memory) throws MachineConfigException {
            for (Segment s : segments) {
                try {
                    memory.loadBytes(s.address(), s.data(), 0, s.data().length);
                    long zeros = s.memSize() - s.data().length;
                    if (zeros > 0) {
                        byte[] z = new byte[(int) Math.min(zeros, 1 << 20)];
                        for (long done = 0; done < zeros; done += z.length) {
                            int n = (int) Math.min(z.length, zeros - done);
                            memory.loadBytes(s.address() + s.data().length + done, z, 0, n);
                        }
                    }
                } catch (BusErrorException e) {
                    throw new MachineConfigException(String.format("%s %s: [0x%x, 0x%x) is outside guest memory (%s)",
                            option, path, s.address(), s.end(), e.getMessage()));
                }
            }
        }
    }

    private ImageLoader() {}

    /** Reads {@code path}: an ELF is placed by its headers, anything else as raw bytes at {@code rawAddress}. */
    static Image read(String option, Path path, long rawAddress) throws MachineConfigException {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(path);
        } catch (NoSuchFileException e) {
            throw new MachineConfigException(option + " " + path + ": no such file");
        } catch (IOException e) {
            throw new MachineConfigException(option + " " + path + ": cannot read: " + e.getMessage());
        }
        if (bytes.length == 0) {
            throw new MachineConfigException(option + " " + path + ": the file is empty");
        }
        if (bytes.length >= 4 && bytes[0] == 0x7f && bytes[1] == 'E' && bytes[2] == 'L' && bytes[3] == 'F') {
            return readElf(option, path, bytes);
        }
        return new Image(option, path, List.of(new Segment(rawAddress, bytes, bytes.length)), rawAddress, false);
    }

    private static Image readElf(String option, Path path, byte[] bytes) throws MachineConfigException {
        String where = option + " " + path;
        if (bytes.length < ELF64_HEADER) {
            throw new MachineConfigException(where + ": truncated ELF header (" + bytes.length + " bytes, "
                    + ELF64_HEADER + " needed)");
        }
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        int elfClass = bytes[4];
        int data = bytes[5];
        if (data != 1) {
            throw new MachineConfigException(where + ": " + (data == 2 ? "big-endian ELF" : "EI_DATA " + data + " is no ELF byte order")
                    + "; a riscv64 machine needs little-endian");
        }
        int machine = b.getShort(18) & 0xffff;
        if (machine != EM_RISCV) {
            throw new MachineConfigException(where + ": ELF for " + machineName(machine) + " (e_machine " + machine
                    + "), not RISC-V; this is a riscv64 machine");
        }
        if (elfClass == 1) {
            throw new MachineConfigException(where + ": 32-bit RISC-V ELF; this is a riscv64 machine");
        }
        if (elfClass != 2) {
            throw new MachineConfigException(where + ": EI_CLASS " + elfClass + " is no ELF class (2 is 64-bit)");
        }
        long entry = b.getLong(24);
        long phoff = b.getLong(32);
        int phentsize = b.getShort(54) & 0xffff;
        int phnum = b.getShort(56) & 0xffff;
        if (phnum == 0) {
            throw new MachineConfigException(where + ": ELF has no program headers (e_phnum 0)");
        }
        if (phentsize < PHDR64_SIZE) {
            throw new MachineConfigException(where + ": e_phentsize " + phentsize + " is smaller than the "
                    + PHDR64_SIZE + " bytes of an ELF64 program header");
        }
        // unsigned and subtracted, never added: a huge e_phoff must not wrap around into the file
        long tableSize = (long) phentsize * phnum;
        if (Long.compareUnsigned(phoff, bytes.length) > 0 || tableSize > bytes.length - phoff) {
            throw new MachineConfigException(String.format("%s: program headers (e_phoff 0x%x, %d x %d bytes) run past the end"
                    + " of the file (%d bytes)", where, phoff, phnum, phentsize, bytes.length));
        }
        List<Segment> segments = new ArrayList<>();
        for (int i = 0; i < phnum; i++) {
            int ph = (int) (phoff + (long) i * phentsize);
            if (b.getInt(ph) != PT_LOAD) {
                continue;
            }
            long offset = b.getLong(ph + 8);
            long paddr = b.getLong(ph + 24);
            long filesz = b.getLong(ph + 32);
            long memsz = b.getLong(ph + 40);
            String header = where + ": program header " + i + ": ";
            if (Long.compareUnsigned(filesz, memsz) > 0) {
                throw new MachineConfigException(String.format("%sp_filesz 0x%x exceeds p_memsz 0x%x", header, filesz, memsz));
            }
            if (Long.compareUnsigned(offset, bytes.length) > 0 || Long.compareUnsigned(filesz, bytes.length - offset) > 0) {
                throw new MachineConfigException(String.format("%sp_offset+p_filesz (0x%x + 0x%x) beyond the end of the file"
                        + " (%d bytes)", header, offset, filesz, bytes.length));
            }
            if (Long.compareUnsigned(paddr + memsz, paddr) < 0) {
                throw new MachineConfigException(String.format("%sp_paddr+p_memsz (0x%x + 0x%x) beyond the 64-bit address space",
                        header, paddr, memsz));
            }
            if (memsz == 0) {
                continue; // occupies nothing
            }
            segments.add(new Segment(paddr, Arrays.copyOfRange(bytes, (int) offset, (int) (offset + filesz)), memsz));
        }
        if (segments.isEmpty()) {
            throw new MachineConfigException(where + ": ELF has no loadable (PT_LOAD) segment");
        }
        return new Image(option, path, List.copyOf(segments), entry, true);
    }

    private static String machineName(int machine) {
        return switch (machine) {
            case 3 -> "i386";
            case 40 -> "ARM";
            case 62 -> "x86-64";
            case 183 -> "AArch64";
            case 8 -> "MIPS";
            case 21 -> "PowerPC64";
            case 22 -> "s390";
            case 258 -> "LoongArch";
            default -> "machine type " + machine;
        };
    }
}
