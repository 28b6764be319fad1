package org.osgemu.api.irq;

/** A device that takes interrupt lines from other devices (a PLIC). */
public interface InterruptController {

    /** Input {@code source} (1-based for a PLIC; 0 is reserved there). */
    IrqLine input(int source);

    /** Number of inputs, the largest valid source included. */
    int inputCount();
}
