package org.osgemu.virtio.api;

/** What a {@link VirtQueue} needs from its transport; every method is called under the transport lock. */
interface QueueHost {

    /** The DMA view, or null while the device is not realized. */
    GuestMemory memory();

    /** Whether feature {@code bit} was negotiated. */
    boolean hasFeature(int bit);

    /** Whether the device is in the needs-reset state (queues are dead until a reset). */
    boolean isBroken();

    /** The guest broke queue {@code queue}: enter needs-reset and log {@code reason} once. */
    void queueFailed(int queue, String reason);

    /** A queue decided the driver wants a used-buffer interrupt. */
    void raiseUsedBuffer();

    /** A chain left the in-flight set (completed or dropped): a reset waiting for I/O may go on. */
    void chainReleased();
}
