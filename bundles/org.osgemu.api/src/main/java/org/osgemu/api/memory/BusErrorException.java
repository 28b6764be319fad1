package org.osgemu.api.memory;

/**
 * An access that no region accepts: unassigned address, a size or alignment the region
 * refuses, or a write to ROM. A CPU turns it into an access fault. Carries no stack trace,
 * since it is part of normal guest behaviour (firmware probes addresses).
 */
public final class BusErrorException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final long address;
    private final int size;
    private final boolean write;
    private final String reason;

    public BusErrorException(long address, int size, boolean write, String reason) {
        super(null, null, false, false);
        this.address = address;
        this.size = size;
        this.write = write;
        this.reason = reason;
    }

    /** Built on demand: firmware probing unassigned addresses raises many of these, rarely read. */
    @Override
    public String getMessage() {
        return String.format("bus error: %s of %d byte(s) at 0x%x: %s", write ? "write" : "read", size, address, reason);
    }

    /** Guest-physical address of the failed access. */
    public long address() {
        return address;
    }

    /** Access size in bytes. */
    public int size() {
        return size;
    }

    /** Whether the failed access was a write. */
    public boolean isWrite() {
        return write;
    }
}
