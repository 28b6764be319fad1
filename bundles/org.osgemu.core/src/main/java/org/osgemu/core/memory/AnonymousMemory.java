package org.osgemu.core.memory;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.util.Locale;

/**
 * Guest RAM from an anonymous private mapping ({@code mmap(MAP_ANONYMOUS | MAP_NORESERVE)}),
 * as QEMU allocates it: the kernel hands out zero pages on first touch, so a 512 MiB guest
 * starts without the quarter of a second {@link Arena#allocate} spends zeroing every byte, and
 * RAM the guest never uses costs the host nothing. The mapping is unmapped when the arena
 * closes. On hosts other than Linux, or when the JVM refuses native calls, {@link #map}
 * returns null and the caller allocates from the arena instead.
 */
final class AnonymousMemory {

    private static final int PROT_READ_WRITE = 0x1 | 0x2;
    /** MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, the same numbers on every Linux architecture the JDK runs on. */
    private static final int MAP_FLAGS = 0x02 | 0x20 | 0x4000;

    private static final MethodHandle MMAP;
    private static final MethodHandle MUNMAP;

    static {
        MethodHandle mmap = null;
        MethodHandle munmap = null;
        if (System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("linux")) {
            try {
                Linker linker = Linker.nativeLinker();
                mmap = linker.defaultLookup().find("mmap").map(address -> linker.downcallHandle(address,
                        FunctionDescriptor.of(ValueLayout.ADDRESS, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG,
                                ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_LONG)))
                        .orElse(null);
                munmap = linker.defaultLookup().find("munmap").map(address -> linker.downcallHandle(address,
                        FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG)))
                        .orElse(null);
            } catch (RuntimeException e) {
                // native access denied (IllegalCallerException) or no linker: the arena allocates
                mmap = null;
            }
        }
        boolean both = mmap != null && munmap != null;
        MMAP = both ? mmap : null;
        MUNMAP = both ? munmap : null;
    }

    private AnonymousMemory() {
    }

    /** {@code size} bytes of zeroed, page-aligned memory that lives until {@code arena} closes, or null. */
    static MemorySegment map(long size, Arena arena) {
        if (MMAP == null) {
            return null;
        }
        MemorySegment address;
        try {
            address = (MemorySegment) MMAP.invokeExact(MemorySegment.NULL, size, PROT_READ_WRITE, MAP_FLAGS, -1, 0L);
        } catch (Throwable e) {
            return null;
        }
        if (address.address() == -1L) {
            return null; // MAP_FAILED: let the arena try, and report its failure
        }
        try {
            return address.reinterpret(size, arena, AnonymousMemory::unmap);
        } catch (RuntimeException e) {
            unmap(address.reinterpret(size)); // the arena is closed, or native access was denied after all
            throw e;
        }
    }

    private static void unmap(MemorySegment segment) {
        try {
            int ignored = (int) MUNMAP.invokeExact(segment, segment.byteSize());
        } catch (Throwable e) {
            throw new IllegalStateException("cannot unmap guest RAM at 0x" + Long.toHexString(segment.address()), e);
        }
    }
}
