package org.osgemu.virtio.console;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Objects;

import org.osgemu.api.chardev.Chardev;
import org.osgemu.api.chardev.ChardevReceiver;
import org.osgemu.api.vmstate.VMStateDescription;
import org.osgemu.api.vmstate.VMStateException;
import org.osgemu.virtio.api.DescriptorChain;
import org.osgemu.virtio.api.Virtio;
import org.osgemu.virtio.api.VirtQueue;
import org.osgemu.virtio.api.VirtioDeviceModel;
import org.osgemu.virtio.api.VirtioTransport;

/**
 * The virtio console (spec §5.3, device ID 3) with one port and no multiport support: queue 0
 * (receiveq) carries input from a {@link Chardev} to the guest, queue 1 (transmitq) output from
 * the guest to the chardev. Linux shows the port as {@code /dev/hvc0}. VIRTIO_CONSOLE_F_EMERG_WRITE
 * is offered: a byte written to {@code emerg_wr} goes straight out.
 *
 * <p>Input waits in a buffer of {@link #INPUT_CAPACITY} bytes until the driver offers receive
 * buffers; the chardev is asked for only as much as fits ({@link ChardevReceiver#canReceive()}),
 * and for nothing before the driver set DRIVER_OK, so a fast typist, a paste or input typed
 * during boot is held back by the backend, not lost. Nor is anything asked for while the machine
 * does not run (the transport is quiesced): input typed then stays in the chardev until it runs
 * again. Without a chardev, output is dropped and no input arrives.
 *
 * <p>Not modelled: VIRTIO_CONSOLE_F_SIZE (console size), VIRTIO_CONSOLE_F_MULTIPORT and its
 * control queues, hence more ports and port names.
 *
 * <p>Locking: the input buffer is guarded by this object, transmit order by {@link #txLock};
 * both are taken before the transport lock, and the chardev is only called outside this object's
 * monitor, since a backend delivers input holding its own lock.
 */
public final class VirtioConsole implements VirtioDeviceModel<VirtioConsoleState> {

    /** The type name, as {@code -device} spells it (QEMU's name for virtio-console over MMIO). */
    public static final String TYPE = "virtio-serial-device";
    static final int F_EMERG_WRITE = 2;
    static final int RECEIVEQ = 0;
    static final int TRANSMITQ = 1;
    static final int QUEUE_SIZE = 128;
    /** Input held for the guest at most. */
    static final int INPUT_CAPACITY = 4096;
    /** Configuration: cols u16, rows u16, max_nr_ports u32, emerg_wr u32. */
    static final int CONFIG_SIZE = 12;
    static final int EMERG_WR = 8;

    private final ChardevReceiver receiver = new Receiver();
    private final Object txLock = new Object();
    private volatile Chardev chardev;
    private VirtioTransport transport;

    // Guarded by this: input not yet given to the guest, a ring buffer.
    private final byte[] input = new byte[INPUT_CAPACITY];
    private int inputStart;
    private int inputLength;

    @Override public int deviceId() { return Virtio.ID_CONSOLE; }
    @Override public long deviceFeatures() { return Virtio.bit(F_EMERG_WRITE); }
    @Override public int[] queueMaxSizes() { return new int[] {QUEUE_SIZE, QUEUE_SIZE}; }
    @Override public int configSize() { return CONFIG_SIZE; }

    @Override
    public long readConfig(int offset, int size) {
        return 0; // no size, one port (max_nr_ports only counts with MULTIPORT), emerg_wr reads 0
    }

    @Override
    public void writeConfig(VirtioTransport t, int offset, long value, int size) {
        if (offset == EMERG_WR && t.hasFeature(F_EMERG_WRITE)) {
            output(new byte[] {(byte) value}, 0, 1);
        } else {
            VirtioDeviceModel.super.writeConfig(t, offset, value, size);
        }
    }

    @Override
    public void attach(VirtioTransport transport) {
        this.transport = transport;
    }

    /** Uses {@code backend} for output and input from now on (replacing any other). */
    public void connectChardev(Chardev backend) {
        chardev = Objects.requireNonNull(backend, "backend");
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

    @Override
    public void queueNotified(int index) {
        if (index == TRANSMITQ) {
            transmit();
        } else {
            deliverInput(); // new receive buffers
            offerInput();
        }
    }

    @Override
    public void driverReady() {
        deliverInput();
        offerInput();
    }

    @Override
    public void resumed() {
        deliverInput(); // what was buffered when the machine stopped
        offerInput(); // and what the chardev held back meanwhile
    }

    @Override
    public void reset() {
        synchronized (this) {
            inputStart = 0;
            inputLength = 0;
        }
        offerInput();
    }

    private void transmit() {
        VirtQueue q = transport.queue(TRANSMITQ);
        synchronized (txLock) {
            do {
                q.disableNotifications();
                DescriptorChain chain;
                while ((chain = q.pop()) != null) {
                    if (chain.writableLength() > 0) {
                        q.refuse(chain, "transmit buffer has " + chain.writableLength() + " device-writable bytes");
                        return;
                    }
                    for (MemorySegment s : chain.readableSegments(0, chain.readableLength())) {
                        for (long off = 0; off < s.byteSize(); off += 4096) {
                            byte[] bytes = s.asSlice(off, Math.min(4096, s.byteSize() - off)).toArray(ValueLayout.JAVA_BYTE);
                            output(bytes, 0, bytes.length);
                        }
                    }
                    q.push(chain, 0);
                }
            } while (q.enableNotifications());
            q.notifyDriver();
        }
    }

    private void output(byte[] data, int offset, int length) {
        Chardev c = chardev;
        if (c != null) {
            c.write(data, offset, length);
        }
    }

    /** Moves buffered input into the receive buffers the driver offered. */
    private synchronized void deliverInput() {
        VirtQueue q = transport.queue(RECEIVEQ);
        boolean pushed = false;
        while (inputLength > 0) {
            DescriptorChain chain = q.pop();
            if (chain == null) {
                if (q.enableNotifications()) {
                    continue; // buffers arrived meanwhile
                }
                break;
            }
            if (chain.readableLength() > 0) {
                q.refuse(chain, "receive buffer has " + chain.readableLength() + " device-readable bytes");
                return;
            }
            int n = (int) Math.min(chain.writableLength(), inputLength);
            int first = Math.min(n, INPUT_CAPACITY - inputStart);
            chain.write(0, input, inputStart, first);
            if (n > first) {
                chain.write(first, input, 0, n - first);
            }
            inputStart = (inputStart + n) % INPUT_CAPACITY;
            inputLength -= n;
            q.push(chain, n);
            pushed = true;
        }
        if (pushed) {
            q.notifyDriver();
        }
    }

    /** Tells the chardev there is room again; outside this object's monitor (see the class comment). */
    private void offerInput() {
        Chardev c = chardev;
        if (c != null && freeInput() > 0) {
            c.acceptInput();
        }
    }

    private synchronized int freeInput() {
        return INPUT_CAPACITY - inputLength;
    }

    private synchronized void buffer(byte[] data, int offset, int length) {
        int n = Math.min(length, INPUT_CAPACITY - inputLength);
        for (int i = 0; i < n; i++) {
            input[(inputStart + inputLength + i) % INPUT_CAPACITY] = data[offset + i];
        }
        inputLength += n;
    }

    /** Input from the chardev. */
    private final class Receiver implements ChardevReceiver {
        @Override
        public int canReceive() {
            // Until the driver is up (and across its reset at probe time), and while the machine does
            // not run, input stays in the backend.
            return transport.isDriverReady() && !transport.isQuiesced() ? freeInput() : 0;
        }

        @Override
        public void receive(byte[] data, int offset, int length) {
            buffer(data, offset, length);
            try {
                deliverInput();
            } catch (RuntimeException e) {
                // Runs on the chardev's thread: a fault here breaks the device, not the backend.
                transport.queue(RECEIVEQ).fail("delivering input: " + e);
            }
        }
    }

    @Override
    public VMStateDescription<VirtioConsoleState> vmstate() {
        return VirtioConsoleState.VMSTATE;
    }

    @Override
    public synchronized VirtioConsoleState saveState() {
        byte[] pending = new byte[inputLength];
        for (int i = 0; i < inputLength; i++) {
            pending[i] = input[(inputStart + i) % INPUT_CAPACITY];
        }
        return new VirtioConsoleState(pending);
    }

    @Override
    public void loadState(VirtioConsoleState state) throws VMStateException {
        byte[] pending = state.pendingInput();
        synchronized (this) {
            System.arraycopy(pending, 0, input, 0, pending.length);
            inputStart = 0;
            inputLength = pending.length;
        }
    }
}
