package org.osgemu.api.device;

import java.util.List;

/**
 * Where a board put a device: its base address, the interrupt numbers on the board's interrupt
 * controller, and the labels device-tree nodes use to refer to other nodes.
 *
 * @param base MMIO base address
 * @param size size of the MMIO window the board reserves
 * @param irqs interrupt numbers on the interrupt controller labelled {@link #INTERRUPT_CONTROLLER}
 * @param hartCount number of harts in the machine
 */
public record DevicePlacement(long base, long size, List<Integer> irqs, int hartCount) {

    /** FDT label of the board's external interrupt controller (PLIC). */
    public static final String INTERRUPT_CONTROLLER = "plic";

    /** FDT label of hart {@code hart}'s local interrupt controller node. */
    public static String cpuInterruptController(int hart) {
        return "cpu" + hart + "-intc";
    }
}
