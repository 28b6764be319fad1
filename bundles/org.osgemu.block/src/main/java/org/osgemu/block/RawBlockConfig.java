package org.osgemu.block;

/**
 * Configuration of a raw image backend (factory PID {@code osgemu.block.raw}), as the launcher
 * makes it from {@code -drive file=F,format=raw,id=ID[,readonly=on][,discard=unmap|ignore]} (and
 * {@code inactive=true} when the machine takes an {@code -incoming} migration).
 * Absent properties read as null: the component checks them.
 */
public @interface RawBlockConfig {

    /** Backend id ({@code -drive ...,id=}); required. */
    String id();

    /** Absolute path of the image file; required, must exist. */
    String file();

    /** {@code true} opens the image read-only; {@code false} (or absent) read-write. */
    String readonly();

    /** {@code unmap} (or absent) passes discards on; {@code ignore} drops them. */
    String discard();

    /**
     * {@code true} opens the image inactive: unlocked and refusing writes until a migration
     * activates it (QEMU's inactive images on an {@code -incoming} destination); {@code false} (or
     * absent) active.
     */
    String inactive();
}
