package org.osgemu.virtio.net;

import java.util.Objects;

import org.osgemu.api.net.NetBackend;
import org.osgemu.api.net.NetReceiver;
import org.osgemu.api.vmstate.VMStateDescription;
import org.osgemu.api.vmstate.VMStateException;
import org.osgemu.virtio.api.DescriptorChain;
import org.osgemu.virtio.api.Virtio;
import org.osgemu.virtio.api.VirtQueue;
import org.osgemu.virtio.api.VirtioDeviceModel;
import org.osgemu.virtio.api.VirtioTransport;

/**
 * The virtio network card (spec §5.1, device ID 1) over a {@link NetBackend}: one receive and one
 * transmit queue, a MAC address (VIRTIO_NET_F_MAC) and a link that is always up
 * (VIRTIO_NET_F_STATUS). Each buffer starts with the 12-byte {@code virtio_net_hdr} of version 1:
 * stripped from transmitted frames, added (all zero but {@code num_buffers} = 1) to received ones.
 *
 * <p>Transmit runs on the kicking vCPU: the frame is copied out of guest memory and queued in
 * the backend, whose own thread does the socket I/O. Receive runs on the backend's thread: a
 * frame goes into the next receive buffer; with none available the backend keeps it until the
 * driver adds buffers and kicks. A frame larger than the buffer offered is dropped (logged),
 * the buffer stays for the next one. While the machine does not run (the transport is quiesced:
 * stopped, being saved, or loading an incoming migration) no frame is taken either: they wait in
 * the backend's bounded queue, as in QEMU's net queue, and come when the machine runs again.
 *
 * <p>Not modelled: checksum and segmentation offloads (no CSUM/GSO features, so the guest sends
 * and expects complete frames), mergeable receive buffers, the control queue (promiscuous mode,
 * MAC filters, VLANs: every frame is delivered), multiqueue, link changes.
 */
public final class VirtioNet implements VirtioDeviceModel<VirtioNetState>, NetReceiver {

    /** The type name, as {@code -device} spells it. */
    public static final String TYPE = "virtio-net-device";
    static final int F_MAC = 5;
    static final int F_STATUS = 16;
    static final int RECEIVEQ = 0;
    static final int TRANSMITQ = 1;
    static final int QUEUE_SIZE = 256;
    /** {@code struct virtio_net_hdr} with {@code num_buffers}, as VIRTIO_F_VERSION_1 has it. */
    static final int HEADER = 12;
    static final int NUM_BUFFERS = 10;
    /** Configuration: mac[6], status u16. */
    static final int CONFIG_SIZE = 8;
    static final int STATUS_LINK_UP = 1;
    /** The largest frame sent: a 64 KiB payload with its Ethernet and VLAN headers. */
    static final int MAX_FRAME = 65536 + 18;

    private final NetBackend backend;
    private final Object rxLock = new Object();
    private final Object txLock = new Object();
    private volatile byte[] mac;
    private volatile int linkStatus = STATUS_LINK_UP;
    private VirtioTransport transport;

    /** A NIC with address {@code mac} (six bytes) on {@code backend}. */
    public VirtioNet(NetBackend backend, byte[] mac) {
        this.backend = Objects.requireNonNull(backend, "backend");
        if (mac.length != MacAddress.LENGTH) {
            throw new IllegalArgumentException(TYPE + ": a MAC address has 6 bytes, not " + mac.length);
        }
        this.mac = mac.clone();
    }

    @Override public int deviceId() { return Virtio.ID_NET; }
    @Override public long deviceFeatures() { return Virtio.bit(F_MAC) | Virtio.bit(F_STATUS); }
    @Override public int[] queueMaxSizes() { return new int[] {QUEUE_SIZE, QUEUE_SIZE}; }
    @Override public int configSize() { return CONFIG_SIZE; }

    @Override
    public long readConfig(int offset, int size) {
        byte[] m = mac;
        int status = linkStatus;
        long v = 0;
        for (int i = size - 1; i >= 0; i--) {
            int at = offset + i;
            int b = at < 6 ? m[at] & 0xFF : (status >>> ((at - 6) * 8)) & 0xFF;
            v = v << 8 | b;
        }
        return v;
    }

    @Override
    public void attach(VirtioTransport transport) {
        this.transport = transport;
        backend.setReceiver(this);
    }

    /** Stops receiving from the backend (the device goes away). */
    public void detach() {
        backend.setReceiver(null);
    }

    /** The MAC address. */
    public byte[] mac() {
        return mac.clone();
    }

    @Override
    public void queueNotified(int index) {
        if (index == TRANSMITQ) {
            transmit();
        } else {
            backend.acceptInput(); // new receive buffers: frames held by the backend may come
        }
    }

    @Override
    public void driverReady() {
        backend.acceptInput();
    }

    @Override
    public void reset() {
        // Frames waiting in the backend stay there until the driver is ready again.
    }

    @Override
    public void resumed() {
        backend.acceptInput(); // frames held while the machine was stopped
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
                    if (chain.readableLength() < HEADER) {
                        q.refuse(chain, "transmit buffer of " + chain.readableLength() + " bytes lacks the 12-byte virtio-net header");
                        return;
                    }
                    long length = chain.readableLength() - HEADER;
                    if (length == 0 || length > MAX_FRAME) {
                        transport.log().guestError("%s: transmitted frame of %d bytes dropped (1..%d)", transport.name(), length, MAX_FRAME);
                    } else {
                        byte[] frame = new byte[(int) length];
                        chain.read(HEADER, frame, 0, frame.length);
                        backend.send(frame, 0, frame.length);
                    }
                    q.push(chain, 0);
                }
            } while (q.enableNotifications());
            q.notifyDriver();
        }
    }

    /** A frame from the backend: into the next receive buffer, or false to have the backend keep it. */
    @Override
    public boolean receive(byte[] frame, int offset, int length) {
        try {
            return deliver(frame, offset, length);
        } catch (RuntimeException e) {
            // Runs on the backend's thread: a fault here breaks the device and drops the frame, nothing more.
            transport.queue(RECEIVEQ).fail("receiving a frame: " + e);
            return true;
        }
    }

    private boolean deliver(byte[] frame, int offset, int length) {
        VirtioTransport t = transport;
        if (!t.isDriverReady() || t.isQuiesced()) {
            return false; // the backend keeps the frame: until DRIVER_OK, or until the machine runs
        }
        VirtQueue q = t.queue(RECEIVEQ);
        synchronized (rxLock) {
            DescriptorChain chain = q.pop();
            if (chain == null && q.enableNotifications()) {
                chain = q.pop(); // buffers arrived while we looked
            }
            if (chain == null) {
                return !t.isDriverReady(); // a device that broke meanwhile drops; a busy one holds
            }
            if (chain.readableLength() > 0) {
                q.refuse(chain, "receive buffer has " + chain.readableLength() + " device-readable bytes");
                return true;
            }
            if (chain.writableLength() < HEADER + (long) length) {
                q.unpop(chain);
                t.log().guestError("%s: receive buffer of %d bytes cannot take a frame of %d bytes and the header; frame dropped",
                        t.name(), chain.writableLength(), length);
                return true;
            }
            byte[] header = new byte[HEADER];
            header[NUM_BUFFERS] = 1;
            chain.write(0, header, 0, HEADER);
            chain.write(HEADER, frame, offset, length);
            q.push(chain, HEADER + (long) length);
            q.notifyDriver();
            return true;
        }
    }

    @Override
    public VMStateDescription<VirtioNetState> vmstate() {
        return VirtioNetState.VMSTATE;
    }

    @Override
    public VirtioNetState saveState() {
        return new VirtioNetState(mac, linkStatus);
    }

    @Override
    public void loadState(VirtioNetState state) throws VMStateException {
        mac = state.mac(); // the guest keeps the address it had, as in QEMU
        linkStatus = state.status();
    }
}
