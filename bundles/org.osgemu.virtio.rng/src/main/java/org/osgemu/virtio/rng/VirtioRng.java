package org.osgemu.virtio.rng;

import java.lang.foreign.MemorySegment;
import java.security.SecureRandom;
import java.util.Objects;

import org.osgemu.api.vmstate.VMStateDescription;
import org.osgemu.virtio.api.DescriptorChain;
import org.osgemu.virtio.api.Virtio;
import org.osgemu.virtio.api.VirtQueue;
import org.osgemu.virtio.api.VirtioDeviceModel;
import org.osgemu.virtio.api.VirtioTransport;

/**
 * The virtio entropy device (spec §5.4, device ID 4): fills every device-writable buffer the
 * driver offers on its one queue with bytes from its own {@link SecureRandom}. A request may be
 * answered in part (at most {@link #MAX_BYTES_PER_REQUEST}), as the spec allows. A request with
 * device-readable buffers is a broken driver: the device needs a reset.
 *
 * <p>Not modelled: rate limiting (QEMU's {@code max-bytes}/{@code period}) and other entropy
 * backends.
 */
public final class VirtioRng implements VirtioDeviceModel<VirtioRngState> {

    /** The type name, as {@code -device} spells it. */
    public static final String TYPE = "virtio-rng-device";
    /** Entries of the request queue. */
    static final int QUEUE_SIZE = 64;
    /** Bytes given per request at most; the driver asks again for more. */
    static final int MAX_BYTES_PER_REQUEST = 64 * 1024;

    private final SecureRandom random;
    private VirtioTransport transport;

    /** A device drawing on a new {@link SecureRandom}. */
    public VirtioRng() {
        this(new SecureRandom());
    }

    /** A device drawing on {@code random}. */
    public VirtioRng(SecureRandom random) {
        this.random = Objects.requireNonNull(random, "random");
    }

    @Override public int deviceId() { return Virtio.ID_RNG; }
    @Override public long deviceFeatures() { return 0; }
    @Override public int[] queueMaxSizes() { return new int[] {QUEUE_SIZE}; }
    @Override public int configSize() { return 0; }

    @Override
    public long readConfig(int offset, int size) {
        return 0; // no configuration space; the transport refuses every offset before asking
    }

    @Override
    public void attach(VirtioTransport transport) {
        this.transport = transport;
    }

    @Override
    public void queueNotified(int index) {
        VirtQueue q = transport.queue(index);
        do {
            q.disableNotifications();
            DescriptorChain chain;
            while ((chain = q.pop()) != null) {
                fill(q, chain);
            }
        } while (q.enableNotifications());
        q.notifyDriver();
    }

    private void fill(VirtQueue q, DescriptorChain chain) {
        if (chain.readableLength() > 0) {
            q.refuse(chain, "entropy request has " + chain.readableLength() + " device-readable bytes; it must be all writable");
            return;
        }
        int n = (int) Math.min(chain.writableLength(), MAX_BYTES_PER_REQUEST);
        byte[] bytes = new byte[n];
        random.nextBytes(bytes);
        int done = 0;
        for (MemorySegment s : chain.writableSegments(0, n)) {
            MemorySegment.copy(MemorySegment.ofArray(bytes), done, s, 0, s.byteSize());
            done += (int) s.byteSize();
        }
        q.push(chain, n);
    }

    @Override
    public void reset() {
        // No device-side state.
    }

    @Override
    public VMStateDescription<VirtioRngState> vmstate() {
        return VirtioRngState.VMSTATE;
    }

    @Override
    public VirtioRngState saveState() {
        return new VirtioRngState();
    }

    @Override
    public void loadState(VirtioRngState state) {
        // Nothing to restore: the queue state travels with the transport.
    }
}
