package org.osgemu.device.uart16550;

import static org.osgemu.device.uart16550.Uart16550Registers.*;

import java.util.List;
import java.util.Objects;

import org.osgemu.api.chardev.Chardev;
import org.osgemu.api.chardev.ChardevReceiver;
import org.osgemu.api.clock.Clock;
import org.osgemu.api.clock.ClockType;
import org.osgemu.api.clock.Timer;
import org.osgemu.api.device.DeviceContext;
import org.osgemu.api.device.DevicePlacement;
import org.osgemu.api.device.GuestErrorLog;
import org.osgemu.api.device.PlatformDevice;
import org.osgemu.api.device.RegisterMap;
import org.osgemu.api.fdt.FdtNode;
import org.osgemu.api.irq.IrqLine;
import org.osgemu.api.memory.AccessRules;
import org.osgemu.api.memory.MemoryRegion;
import org.osgemu.api.memory.MmioHandler;
import org.osgemu.api.vmstate.Migratable;
import org.osgemu.api.vmstate.VMStateDescription;

/**
 * The NS16550A UART ({@code ns16550a}), the serial console of QEMU's {@code virt} board.
 * Bytes the guest writes to THR go to a {@link Chardev} at once; bytes from the chardev fill a
 * 16-byte receive FIFO, offered only as fast as the FIFO has room ({@link ChardevReceiver#canReceive()}).
 * The interrupt line is high while IIR names a pending source (line status, received data or
 * character timeout, THR empty, by that priority).
 *
 * <p>Not modelled: transmit timing and the transmit FIFO (THR empties at once, so THRE and TEMT
 * always read 1); the modem-control outputs and the loopback mode of MCR (MCR is stored but has
 * no effect), so MSR reads a constant "carrier, data set ready, clear to send" and never raises
 * a modem-status interrupt; parity, framing and break errors (nothing produces them; only an
 * overrun, from a backend that ignores {@code canReceive()}, sets an error bit); DMA mode.
 *
 * <p>Locking: the UART's state is guarded by the device's monitor; the interrupt line is
 * driven under it (lock order UART, then interrupt controller, then CPU), while chardev calls
 * are made outside it so that a backend delivering input from its own lock cannot deadlock.
 */
public class Uart16550Device implements PlatformDevice, Migratable<Uart16550State> {

    /** The type name, as {@code -device} spells it. */
    public static final String TYPE = "ns16550a";

    /** What a realized device is connected to; {@link #UNWIRED} before {@code realize}. */
    private record Wiring(IrqLine irq, Clock clock, Timer timeout, GuestErrorLog log) {
    }

    private static final Wiring UNWIRED = new Wiring(IrqLine.NONE, null, null, GuestErrorLog.NONE);

    private final String id;
    private final RegisterMap registers;
    private final MemoryRegion region;
    private final ChardevReceiver receiver = new Receiver();
    private volatile Chardev chardev;
    private volatile Wiring wiring = UNWIRED;

    // Guarded by this.
    private final ByteFifo rx = new ByteFifo(FIFO_DEPTH);
    private int divisor;
    private int ier;
    private int lcr;
    private int mcr;
    private int scr;
    private int fcr;
    private int lsrErrors;
    private boolean thrInterruptPending;
    private boolean timeoutPending;

    /** A UART named {@code id}, in its reset state, with no chardev and no machine yet. */
    public Uart16550Device(String id) {
        this.id = Objects.requireNonNull(id, "id");
        this.registers = Uart16550Registers.declare(this);
        this.region = MemoryRegion.mmio(TYPE + "." + id, SIZE, lowByteOf(registers), AccessRules.sizes(1, 8));
    }

    /**
     * The registers as QEMU's {@code serial_mm} (the virt board's UART) answers accesses: one of
     * any size from 1 to 8 bytes reaches the one byte register at its address, through the low
     * byte; a read returns it zero-extended. Splitting a wide access into byte accesses would
     * instead touch the neighbouring registers (and pop RBR or clear IIR's THR interrupt by the way).
     */
    private static MmioHandler lowByteOf(RegisterMap registers) {
        return new MmioHandler() {
            @Override
            public long read(long offset, int size) {
                return registers.read(offset, 1);
            }

            @Override
            public void write(long offset, long value, int size) {
                registers.write(offset, value & 0xff, 1);
            }
        };
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public MemoryRegion region() {
        return region;
    }

    @Override
    public void realize(DeviceContext context) {
        unrealize(); // realizing again (a re-plug) must not leak the old timer
        Clock clock = context.clock(ClockType.VIRTUAL);
        Timer timeout = clock.newTimer(TYPE + "." + id + ".rx-timeout", this::receiveTimeoutExpired);
        GuestErrorLog log = context.log();
        registers.setLog(log);
        synchronized (this) {
            wiring = new Wiring(context.irq(0), clock, timeout, log);
            if (!timeoutPending) {
                armReceiveTimeout();
            }
            updateInterrupt();
        }
    }

    @Override
    public void unrealize() {
        synchronized (this) {
            Wiring w = wiring;
            if (w == UNWIRED) {
                return;
            }
            w.irq.lower();
            w.timeout.free();
            wiring = UNWIRED;
        }
        registers.setLog(GuestErrorLog.NONE);
    }

    @Override
    public void reset() {
        synchronized (this) {
            rx.clear();
            divisor = 0;
            ier = 0;
            lcr = 0;
            mcr = 0;
            scr = 0;
            fcr = 0;
            lsrErrors = 0;
            thrInterruptPending = false;
            timeoutPending = false;
            cancelReceiveTimeout();
            updateInterrupt();
        }
        offerInput();
    }

    @Override
    public FdtNode describe(DevicePlacement placement) {
        List<Integer> irqs = placement.irqs();
        if (irqs.isEmpty()) {
            throw new IllegalArgumentException(TYPE + " " + id + ": the placement at 0x"
                    + Long.toHexString(placement.base()) + " gives no interrupt number");
        }
        return FdtNode.at("serial", placement.base())
                .string("compatible", "ns16550a")
                .reg(placement.base(), placement.size())
                .u32("clock-frequency", CLOCK_HZ)
                .phandleRef("interrupt-parent", DevicePlacement.INTERRUPT_CONTROLLER)
                .u32("interrupts", irqs.get(0));
    }

    /** Uses {@code backend} for output and input from now on (replacing any other). */
    public void connectChardev(Chardev backend) {
        Objects.requireNonNull(backend, "backend");
        chardev = backend;
        backend.setReceiver(receiver);
    }

    /** Stops using {@code backend}; output is dropped until another is connected. */
    public void disconnectChardev(Chardev backend) {
        if (chardev == backend) {
            chardev = null;
        }
        backend.setReceiver(null);
    }

    /** The connected backend, or null. */
    public Chardev chardev() {
        return chardev;
    }

    // ---- register behaviour (called by the register map) ----

    int readData() {
        int value;
        synchronized (this) {
            if (dlab()) {
                return divisor & 0xFF;
            }
            if (rx.isEmpty()) {
                return 0;
            }
            value = rx.pop() & 0xFF;
            timeoutPending = false;
            armReceiveTimeout();
            updateInterrupt();
        }
        offerInput(); // a byte left the FIFO: the backend may send the next
        return value;
    }

    void writeData(int value) {
        synchronized (this) {
            if (dlab()) {
                divisor = (divisor & 0xFF00) | (value & 0xFF);
                return;
            }
            // Transmission is immediate: THR is empty again as soon as it is written.
            thrInterruptPending = true;
            updateInterrupt();
        }
        Chardev out = chardev;
        if (out != null) {
            out.write(new byte[] {(byte) value}, 0, 1);
        }
    }

    synchronized int readIer() {
        return dlab() ? divisor >>> 8 : ier;
    }

    synchronized void writeIer(int value) {
        if (dlab()) {
            divisor = (divisor & 0x00FF) | ((value & 0xFF) << 8);
            return;
        }
        int old = ier;
        ier = value & IER_MASK; // bits 7:4 are reserved and read 0
        if (((old ^ ier) & IER_THR_EMPTY) != 0) {
            // Enabling the THRE interrupt while THR is empty raises it at once (datasheet, IIR).
            thrInterruptPending = (ier & IER_THR_EMPTY) != 0;
        }
        updateInterrupt();
    }

    synchronized int readIir() {
        int source = pendingInterrupt();
        if (source == IIR_THR_EMPTY) {
            thrInterruptPending = false; // reading IIR while it names THRE clears that interrupt
            updateInterrupt();
        }
        return source | (fifoEnabled() ? IIR_FIFOS_ENABLED : 0);
    }

    void writeFcr(int value) {
        synchronized (this) {
            boolean enable = (value & FCR_ENABLE) != 0;
            if (enable != fifoEnabled() || (value & FCR_CLEAR_RX) != 0) {
                // Switching the FIFOs on or off clears them, as does the RX reset bit.
                rx.clear();
                timeoutPending = false;
                cancelReceiveTimeout();
            }
            // The other FCR bits are programmed only together with FCR[0] (datasheet, FCR).
            fcr = enable ? value & FCR_STORED : 0;
            updateInterrupt();
        }
        offerInput();
    }

    synchronized int readLcr() {
        return lcr;
    }

    synchronized void writeLcr(int value) {
        lcr = value & 0xFF;
    }

    synchronized int readMcr() {
        return mcr;
    }

    synchronized void writeMcr(int value) {
        mcr = value & MCR_MASK;
    }

    synchronized int readLsr() {
        int lsr = LSR_THR_EMPTY | LSR_TRANSMITTER_EMPTY | lsrErrors;
        if (!rx.isEmpty()) {
            lsr |= LSR_DATA_READY;
        }
        if (lsrErrors != 0) {
            lsrErrors = 0; // error bits are cleared by reading LSR
            updateInterrupt();
        }
        return lsr;
    }

    synchronized int readScr() {
        return scr;
    }

    synchronized void writeScr(int value) {
        scr = value & 0xFF;
    }

    // ---- migration ----

    @Override
    public VMStateDescription<Uart16550State> vmstate() {
        return Uart16550State.VMSTATE;
    }

    @Override
    public synchronized Uart16550State saveState() {
        return new Uart16550State(divisor, ier, lcr, mcr, scr, fcr, lsrErrors, thrInterruptPending, timeoutPending,
                rx.toArray());
    }

    @Override
    public void loadState(Uart16550State state) {
        Objects.requireNonNull(state, "state");
        synchronized (this) {
            divisor = state.divisor();
            ier = state.ier();
            lcr = state.lcr();
            mcr = state.mcr();
            scr = state.scr();
            fcr = state.fcr();
            lsrErrors = state.lsrErrors();
            thrInterruptPending = state.thrInterruptPending();
            timeoutPending = state.timeoutPending();
            // Bytes that reached this UART before the load (typed at a migration destination
            // while the state was on its way) are input the guest has not seen yet: they queue
            // behind the saved FIFO instead of being replaced by it.
            byte[] arrivedMeanwhile = rx.toArray();
            rx.fill(state.rxFifo());
            for (byte b : arrivedMeanwhile) {
                if (rx.size() >= capacity() || !rx.push(b)) {
                    lsrErrors |= LSR_OVERRUN;
                }
            }
            if (timeoutPending) {
                cancelReceiveTimeout();
            } else {
                armReceiveTimeout();
            }
            updateInterrupt();
        }
        offerInput();
    }

    // ---- internals ----

    private boolean dlab() {
        return (lcr & LCR_DLAB) != 0;
    }

    private boolean fifoEnabled() {
        return (fcr & FCR_ENABLE) != 0;
    }

    /** Bytes the receiver holds: the FIFO, or the single RBR when FIFOs are off. */
    private int capacity() {
        return fifoEnabled() ? FIFO_DEPTH : 1;
    }

    /** The IIR source value of the highest-priority pending interrupt, or {@link Uart16550Registers#IIR_NONE}. */
    private int pendingInterrupt() {
        if ((ier & IER_LINE_STATUS) != 0 && lsrErrors != 0) {
            return IIR_LINE_STATUS;
        }
        if ((ier & IER_RECEIVED_DATA) != 0) {
            int trigger = fifoEnabled() ? triggerLevel(fcr) : 1;
            if (rx.size() >= trigger) {
                return IIR_RECEIVED_DATA;
            }
            if (timeoutPending) {
                return IIR_CHARACTER_TIMEOUT;
            }
        }
        if ((ier & IER_THR_EMPTY) != 0 && thrInterruptPending) {
            return IIR_THR_EMPTY;
        }
        return IIR_NONE; // modem status never changes: no modem-status interrupt
    }

    private void updateInterrupt() {
        wiring.irq.setLevel(pendingInterrupt() != IIR_NONE);
    }

    /**
     * In FIFO mode, data left below the trigger level is announced after four character times
     * without activity (datasheet, "FIFO interrupt mode operation"); re-armed on every byte in or out.
     */
    private void armReceiveTimeout() {
        Wiring w = wiring;
        if (w.timeout == null) {
            return;
        }
        if (fifoEnabled() && !rx.isEmpty()) {
            w.timeout.modNanos(w.clock.nanos() + 4 * characterTimeNanos());
        } else {
            w.timeout.cancel();
        }
    }

    private void cancelReceiveTimeout() {
        Timer t = wiring.timeout;
        if (t != null) {
            t.cancel();
        }
    }

    private synchronized void receiveTimeoutExpired() {
        if (fifoEnabled() && !rx.isEmpty()) {
            timeoutPending = true;
            updateInterrupt();
        }
    }

    /** Time on the line of one character with the current LCR and divisor. */
    private long characterTimeNanos() {
        int dataBits = 5 + (lcr & LCR_WORD_LENGTH);
        int parityBits = (lcr & LCR_PARITY) != 0 ? 1 : 0;
        int stopBits = (lcr & LCR_TWO_STOP_BITS) != 0 ? 2 : 1;
        int bits = 1 + dataBits + parityBits + stopBits;
        long latch = divisor == 0 ? 1 : divisor; // a zero divisor would stop the clock; treat it as 1
        return bits * 16L * latch * 1_000_000_000L / CLOCK_HZ;
    }

    private synchronized int canReceive() {
        return capacity() - rx.size();
    }

    private synchronized void receive(byte[] data, int offset, int length) {
        for (int i = 0; i < length; i++) {
            if (rx.size() >= capacity() || !rx.push(data[offset + i])) {
                lsrErrors |= LSR_OVERRUN; // the backend ignored canReceive(): the byte is lost
            }
        }
        if (length > 0) {
            timeoutPending = false;
            armReceiveTimeout();
            updateInterrupt();
        }
    }

    /** Tells the backend the receiver has room again; called without holding the lock. */
    private void offerInput() {
        Chardev in = chardev;
        if (in != null) {
            in.acceptInput();
        }
    }

    /** The UART as a chardev front end. */
    private final class Receiver implements ChardevReceiver {
        @Override
        public int canReceive() {
            return Uart16550Device.this.canReceive();
        }

        @Override
        public void receive(byte[] data, int offset, int length) {
            Objects.checkFromIndexSize(offset, length, data.length);
            Uart16550Device.this.receive(data, offset, length);
        }
    }
}
