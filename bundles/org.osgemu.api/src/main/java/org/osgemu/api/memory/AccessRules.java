package org.osgemu.api.memory;

/**
 * Access-size rules of an MMIO region, after QEMU's {@code MemoryRegionOps.valid} and {@code .impl}.
 *
 * <p>{@code validMin..validMax} are the sizes the guest may use; anything else is a bus error.
 * {@code implMin..implMax} are the sizes the handler implements; the core splits wider accesses
 * and widens narrower ones (read-modify-write is not done: a narrow write reaches the handler
 * as a write of {@code implMin} bytes of which only the addressed bytes are meaningful, so
 * devices that need byte writes set {@code implMin = 1}).
 *
 * @param validMin smallest access size the guest may use (1, 2, 4 or 8)
 * @param validMax largest access size the guest may use
 * @param unaligned whether accesses not aligned to their size are allowed
 * @param implMin smallest size the handler implements
 * @param implMax largest size the handler implements
 */
public record AccessRules(int validMin, int validMax, boolean unaligned, int implMin, int implMax) {

    /** Any size from 1 to 8, aligned; the handler takes every size itself. */
    public static final AccessRules ANY = new AccessRules(1, 8, false, 1, 8);

    public AccessRules {
        checkSize("validMin", validMin);
        checkSize("validMax", validMax);
        checkSize("implMin", implMin);
        checkSize("implMax", implMax);
        if (validMin > validMax || implMin > implMax) {
            // not "+ this": in a compact constructor the fields are still unassigned and print as 0
            throw new IllegalArgumentException("access rules: min size above max size: validMin=" + validMin
                    + ", validMax=" + validMax + ", implMin=" + implMin + ", implMax=" + implMax);
        }
    }

    /** The guest may use sizes {@code min..max}, all of which the handler implements. */
    public static AccessRules sizes(int min, int max) {
        return new AccessRules(min, max, false, min, max);
    }

    /** The guest may use sizes {@code validMin..validMax}; the handler implements {@code implMin..implMax}. */
    public static AccessRules sizes(int validMin, int validMax, int implMin, int implMax) {
        return new AccessRules(validMin, validMax, false, implMin, implMax);
    }

    /** Whether the guest may make an access of {@code size} bytes at region offset {@code offset}. */
    public boolean accepts(long offset, int size) {
        if (size < validMin || size > validMax) {
            return false;
        }
        return unaligned || (offset & (size - 1)) == 0;
    }

    private static void checkSize(String what, int size) {
        if (size != 1 && size != 2 && size != 4 && size != 8) {
            throw new IllegalArgumentException("access rules: " + what + " must be 1, 2, 4 or 8, not " + size);
        }
    }
}
