package org.osgemu.api.irq;

/**
 * A level-triggered interrupt line from a device to an interrupt controller or CPU (QEMU's
 * {@code qemu_irq}). Setting the level it already has is harmless.
 */
@FunctionalInterface
public interface IrqLine {

    /** A line connected to nothing. */
    IrqLine NONE = level -> { };

    /** Drives the line high ({@code true}) or low. */
    void setLevel(boolean level);

    default void raise() {
        setLevel(true);
    }

    default void lower() {
        setLevel(false);
    }

    /** Raises and lowers the line (edge-style notification on a level line). */
    default void pulse() {
        setLevel(true);
        setLevel(false);
    }
}
