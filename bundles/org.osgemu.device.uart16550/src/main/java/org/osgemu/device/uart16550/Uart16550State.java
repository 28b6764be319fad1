package org.osgemu.device.uart16550;

import static org.osgemu.device.uart16550.Uart16550Registers.FCR_ENABLE;
import static org.osgemu.device.uart16550.Uart16550Registers.FCR_STORED;
import static org.osgemu.device.uart16550.Uart16550Registers.FIFO_DEPTH;
import static org.osgemu.device.uart16550.Uart16550Registers.IER_MASK;
import static org.osgemu.device.uart16550.Uart16550Registers.LSR_ERRORS;
import static org.osgemu.device.uart16550.Uart16550Registers.MCR_MASK;

import org.osgemu.api.vmstate.VMStateDescription;

/**
 * Migration state of an NS16550A. Derived values (IIR, LSR data-ready, the interrupt line) are
 * recomputed on load rather than migrated; the receive-timeout timer is re-armed from the FIFO.
 * The constructor refuses values the hardware cannot hold, naming the field.
 *
 * @param divisor divisor latch (DLM:DLL)
 * @param ier interrupt enable (bits 3:0)
 * @param lcr line control
 * @param mcr modem control (bits 4:0)
 * @param scr scratch register
 * @param fcr remembered FIFO control bits (enable, DMA mode, trigger level)
 * @param lsrErrors latched line-status error bits (overrun, parity, framing, break)
 * @param thrInterruptPending whether the THR-empty interrupt is pending
 * @param timeoutPending whether the character-timeout interrupt is pending
 * @param rxFifo received bytes not yet read, oldest first
 */
public record Uart16550State(int divisor, int ier, int lcr, int mcr, int scr, int fcr, int lsrErrors,
                             boolean thrInterruptPending, boolean timeoutPending, byte[] rxFifo) {

    /** Version 1. */
    public static final VMStateDescription<Uart16550State> VMSTATE =
            VMStateDescription.builder(Uart16550Device.TYPE, Uart16550State.class).version(1)
                    .u16("divisor").u8("ier").u8("lcr").u8("mcr").u8("scr").u8("fcr").u8("lsrErrors")
                    .bool("thrInterruptPending").bool("timeoutPending").bytesVariable("rxFifo", FIFO_DEPTH)
                    .build();

    public Uart16550State {
        checkBits("divisor", divisor, 0xFFFF);
        checkBits("ier", ier, IER_MASK);
        checkBits("lcr", lcr, 0xFF);
        checkBits("mcr", mcr, MCR_MASK);
        checkBits("scr", scr, 0xFF);
        checkBits("fcr", fcr, FCR_STORED);
        checkBits("lsrErrors", lsrErrors, LSR_ERRORS);
        int capacity = (fcr & FCR_ENABLE) != 0 ? FIFO_DEPTH : 1;
        if (rxFifo.length > capacity) {
            throw new IllegalArgumentException("rxFifo: " + rxFifo.length + " bytes, but the receiver holds "
                    + capacity + " with fcr 0x" + Integer.toHexString(fcr));
        }
        if (timeoutPending && rxFifo.length == 0) {
            throw new IllegalArgumentException("timeoutPending: set while rxFifo is empty");
        }
        rxFifo = rxFifo.clone();
    }

    @Override
    public byte[] rxFifo() {
        return rxFifo.clone();
    }

    private static void checkBits(String field, int value, int allowed) {
        if ((value & ~allowed) != 0) {
            throw new IllegalArgumentException(field + ": 0x" + Integer.toHexString(value)
                    + " has bits outside 0x" + Integer.toHexString(allowed));
        }
    }
}
