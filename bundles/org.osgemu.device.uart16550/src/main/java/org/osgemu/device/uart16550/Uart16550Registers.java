package org.osgemu.device.uart16550;

import org.osgemu.api.device.RegisterMap;

/**
 * Register layout of the NS16550A (National Semiconductor PC16550D datasheet, "Registers"),
 * with the registers one byte apart ({@code reg-shift} 0) as on QEMU's {@code virt} board.
 * Offsets 0 and 1 are shared: with LCR.DLAB set they reach the divisor latch instead.
 */
final class Uart16550Registers {

    /** Size of the MMIO window on QEMU's {@code virt} board. */
    static final long SIZE = 0x100;
    /** Input clock of the baud generator, as the device tree's {@code clock-frequency} says. */
    static final int CLOCK_HZ = 3_686_400;
    /** Depth of the receive FIFO. */
    static final int FIFO_DEPTH = 16;

    static final long RBR_THR_DLL = 0; // read: receive buffer; write: transmit holding; DLAB: divisor low
    static final long IER_DLM = 1;     // interrupt enable; DLAB: divisor high
    static final long IIR_FCR = 2;     // read: interrupt identification; write: FIFO control
    static final long LCR = 3;         // line control
    static final long MCR = 4;         // modem control
    static final long LSR = 5;         // line status (read-only)
    static final long MSR = 6;         // modem status (read-only)
    static final long SCR = 7;         // scratch

    static final int IER_RECEIVED_DATA = 0x01;
    static final int IER_THR_EMPTY = 0x02;
    static final int IER_LINE_STATUS = 0x04;
    static final int IER_MODEM_STATUS = 0x08;
    static final int IER_MASK = 0x0F;

    /** IIR bit 0: no interrupt pending. The other values are the pending source, by priority. */
    static final int IIR_NONE = 0x01;
    static final int IIR_LINE_STATUS = 0x06;
    static final int IIR_RECEIVED_DATA = 0x04;
    static final int IIR_CHARACTER_TIMEOUT = 0x0C;
    static final int IIR_THR_EMPTY = 0x02;
    /** IIR bits 7:6 read 11 while the FIFOs are enabled (how drivers tell a 16550A). */
    static final int IIR_FIFOS_ENABLED = 0xC0;

    static final int FCR_ENABLE = 0x01;
    static final int FCR_CLEAR_RX = 0x02;
    static final int FCR_CLEAR_TX = 0x04;
    static final int FCR_DMA_MODE = 0x08;
    static final int FCR_TRIGGER_SHIFT = 6;
    /** FCR bits the UART remembers (the clear bits act and self-clear). */
    static final int FCR_STORED = FCR_ENABLE | FCR_DMA_MODE | 0xC0;
    /** RX FIFO trigger levels selected by FCR bits 7:6. */
    private static final int[] TRIGGER_LEVELS = {1, 4, 8, 14};

    static final int LCR_WORD_LENGTH = 0x03; // data bits - 5
    static final int LCR_TWO_STOP_BITS = 0x04;
    static final int LCR_PARITY = 0x08;
    static final int LCR_DLAB = 0x80;

    static final int MCR_MASK = 0x1F;

    static final int LSR_DATA_READY = 0x01;
    static final int LSR_OVERRUN = 0x02;
    static final int LSR_PARITY_ERROR = 0x04;
    static final int LSR_FRAMING_ERROR = 0x08;
    static final int LSR_BREAK = 0x10;
    static final int LSR_THR_EMPTY = 0x20;
    static final int LSR_TRANSMITTER_EMPTY = 0x40;
    /** LSR bits that are latched until LSR is read. */
    static final int LSR_ERRORS = LSR_OVERRUN | LSR_PARITY_ERROR | LSR_FRAMING_ERROR | LSR_BREAK;

    /** MSR with no modem attached: carrier detect, data set ready and clear to send asserted. */
    static final int MSR_IDLE = 0xB0;

    private Uart16550Registers() {
    }

    /** RX FIFO trigger level for an FCR value. */
    static int triggerLevel(int fcr) {
        return TRIGGER_LEVELS[(fcr >>> FCR_TRIGGER_SHIFT) & 3];
    }

    /**
     * The register map. Every register but MSR has side effects or is multiplexed by DLAB, so
     * each is a hook into the device, which keeps the state under its own lock.
     */
    static RegisterMap declare(Uart16550Device uart) {
        return RegisterMap.builder(Uart16550Device.TYPE)
                .register("RBR/THR/DLL", RBR_THR_DLL, 1).onRead(i -> uart.readData()).onWriteBits((i, v, m) -> uart.writeData((int) v)).add()
                .register("IER/DLM", IER_DLM, 1).onRead(i -> uart.readIer()).onWriteBits((i, v, m) -> uart.writeIer((int) v)).add()
                .register("IIR/FCR", IIR_FCR, 1).onRead(i -> uart.readIir()).onWriteBits((i, v, m) -> uart.writeFcr((int) v)).add()
                .register("LCR", LCR, 1).onRead(i -> uart.readLcr()).onWriteBits((i, v, m) -> uart.writeLcr((int) v)).add()
                .register("MCR", MCR, 1).onRead(i -> uart.readMcr()).onWriteBits((i, v, m) -> uart.writeMcr((int) v)).add()
                .register("LSR", LSR, 1).onRead(i -> uart.readLsr()).add()
                .register("MSR", MSR, 1).reset(MSR_IDLE).add()
                .register("SCR", SCR, 1).onRead(i -> uart.readScr()).onWriteBits((i, v, m) -> uart.writeScr((int) v)).add()
                .build();
    }
}
