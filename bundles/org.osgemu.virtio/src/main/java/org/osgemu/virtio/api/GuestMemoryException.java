package org.osgemu.virtio.api;

/**
 * A guest address that a device may not use for DMA: outside RAM, a write to read-only memory,
 * or a range that wraps around the address space. A guest mistake, so it carries no stack trace;
 * the virtqueue turns it into the device's needs-reset state.
 */
public final class GuestMemoryException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public GuestMemoryException(String message) {
        super(message, null, false, false);
    }
}
