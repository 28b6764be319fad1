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

    /** A chain left the in-flight set (completed or dropped) or its completion was held: a drain may go on. */
    void chainReleased();

    /**
     * Whether the machine lets the device work: while it is not running no chain is handed out and
     * the rings' flags are left alone (the queue is {@link DeviceActivity#want wanted} instead);
     * while it holds completions, pushes wait for the resume and no interrupt is raised.
     */
    DeviceActivity activity();
}
