package org.osgemu.virtio.api;

/**
 * Numbers of the virtio 1.x specification (OASIS, "Virtual I/O Device (VIRTIO) Version 1.2")
 * shared by the transport and the devices: device status bits (§2.1), reserved feature bits
 * (§6), split-virtqueue flags (§2.7) and device IDs (§5).
 */
public final class Virtio {

    /** §2.1 device status: the guest noticed the device. */
    public static final int STATUS_ACKNOWLEDGE = 0x01;
    /** §2.1: the guest has a driver for the device. */
    public static final int STATUS_DRIVER = 0x02;
    /** §2.1: the driver is set up and the device is live. */
    public static final int STATUS_DRIVER_OK = 0x04;
    /** §2.1: feature negotiation is complete. */
    public static final int STATUS_FEATURES_OK = 0x08;
    /** §2.1: the device hit an error it cannot recover from without a reset. */
    public static final int STATUS_DEVICE_NEEDS_RESET = 0x40;
    /** §2.1: the driver gave up on the device. */
    public static final int STATUS_FAILED = 0x80;
    /** Status bits a driver may write (every defined bit but DEVICE_NEEDS_RESET, which is the device's). */
    public static final int STATUS_DRIVER_BITS = STATUS_ACKNOWLEDGE | STATUS_DRIVER | STATUS_DRIVER_OK
            | STATUS_FEATURES_OK | STATUS_FAILED;

    /** §6: descriptors may point to indirect descriptor tables. */
    public static final int F_RING_INDIRECT_DESC = 28;
    /** §6: used_event / avail_event notification suppression. */
    public static final int F_RING_EVENT_IDX = 29;
    /** §6: the device follows version 1 of the specification (no legacy interface). */
    public static final int F_VERSION_1 = 32;

    /** §2.7.5: the buffer continues in the descriptor named by {@code next}. */
    public static final int DESC_F_NEXT = 1;
    /** §2.7.5: the buffer is device-writable (otherwise device-readable). */
    public static final int DESC_F_WRITE = 2;
    /** §2.7.5.3: the buffer holds a table of indirect descriptors. */
    public static final int DESC_F_INDIRECT = 4;
    /** §2.7.6: in avail.flags, the driver asks for no used-buffer interrupts. */
    public static final int AVAIL_F_NO_INTERRUPT = 1;
    /** §2.7.8: in used.flags, the device asks for no available-buffer notifications. */
    public static final int USED_F_NO_NOTIFY = 1;
    /** §2.7: the largest queue size of a split virtqueue. */
    public static final int MAX_QUEUE_SIZE = 32768;

    /** §5.1 network card. */
    public static final int ID_NET = 1;
    /** §5.2 block device. */
    public static final int ID_BLOCK = 2;
    /** §5.3 console. */
    public static final int ID_CONSOLE = 3;
    /** §5.4 entropy source. */
    public static final int ID_RNG = 4;

    /** Interrupt status bit: a queue has new used buffers. */
    public static final int INTERRUPT_USED_BUFFER = 1;
    /** Interrupt status bit: the device configuration (or DEVICE_NEEDS_RESET) changed. */
    public static final int INTERRUPT_CONFIG_CHANGE = 2;

    private Virtio() {
    }

    /** The mask of feature bit {@code bit}. */
    public static long bit(int bit) {
        return 1L << bit;
    }
}
