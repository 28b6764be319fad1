package org.osgemu.virtio.api;

import org.osgemu.api.vmstate.VMStateDescription;
import org.osgemu.api.vmstate.VMStateException;

/**
 * The device-type part of a virtio device (block, net, console, entropy): its ID, features,
 * queues and configuration space, and what it does with the buffers the driver makes
 * available. A transport ({@link VirtioMmioDevice}) does the rest: registers, feature
 * negotiation, status, queue setup, interrupts, reset and migration of the rings.
 *
 * <p>Threads: {@link #queueNotified(int)} runs on the vCPU thread that kicked, outside the
 * transport lock, possibly on several vCPUs at once; a model that must keep a queue's order
 * serializes itself. It must not block on host I/O: long work goes to worker threads that
 * {@link VirtQueue#push} when done. {@link #reset()} runs after every chain in flight was
 * pushed (or the wait for them timed out).
 *
 * <p>While the machine does not run, the transport is quiesced: its queues hand out no chain
 * and write nothing to guest memory, and the transport calls the model again on resume for the
 * queues it wanted meanwhile. A model that takes input from outside (frames, chardev bytes)
 * leaves it in its backend while {@link VirtioTransport#isQuiesced()} and takes it again in
 * {@link #resumed()}.
 *
 * @param <S> the record holding the model's own migration state (queues and transport
 *            registers are migrated by the transport)
 */
public interface VirtioDeviceModel<S extends Record> {

    /** Device ID (spec §5: 1 net, 2 block, 3 console, 4 entropy). */
    int deviceId();

    /**
     * Device-specific feature bits offered. The transport adds VIRTIO_F_VERSION_1,
     * VIRTIO_F_RING_INDIRECT_DESC and VIRTIO_F_RING_EVENT_IDX.
     */
    long deviceFeatures();

    /** The maximum size of each queue (powers of two); the array's length is the queue count. */
    int[] queueMaxSizes();

    /** Size in bytes of the device configuration space (offset 0x100 of the MMIO window). */
    int configSize();

    /** Reads {@code size} bytes (1, 2 or 4) at configuration offset {@code offset}, little-endian. */
    long readConfig(int offset, int size);

    /**
     * The driver wrote configuration bytes; most fields are read-only, so the default logs the
     * write as a guest error and ignores it.
     */
    default void writeConfig(VirtioTransport transport, int offset, long value, int size) {
        transport.log().guestError("%s: write of 0x%x to read-only configuration offset 0x%x", transport.name(), value, offset);
    }

    /** Called once, before anything else, with the transport the model lives on. */
    void attach(VirtioTransport transport);

    /** The driver set DRIVER_OK: the device is live (a receive path may start delivering). */
    default void driverReady() {
    }

    /** The driver notified queue {@code index}: process what it made available. */
    void queueNotified(int index);

    /** Device reset (status 0 or machine reset): drop device-side state such as buffered input. */
    void reset();

    /**
     * The machine runs again after the transport was quiesced ({@link VirtioTransport#isQuiesced()}):
     * input held back in the backend may come now. Runs outside the transport lock, after the
     * transport published the completions it held and processed the queues that were notified (or
     * that the model looked at) meanwhile. The default does nothing.
     */
    default void resumed() {
    }

    /**
     * A chain that was in flight when the state was saved, re-read from guest memory after
     * loading: the model processes it again. The default returns it unused.
     */
    default void resume(VirtQueue queue, DescriptorChain chain) {
        queue.pushAndNotify(chain, 0);
    }

    /** The description of the model's state record. */
    VMStateDescription<S> vmstate();

    /** The model's state; called with the queues drained of finished work. */
    S saveState();

    /**
     * Replaces the model's state; refuses values that do not fit this device (a different disk
     * size) with a {@link VMStateException} naming the field, changing nothing.
     */
    void loadState(S state) throws VMStateException;
}
