package org.osgemu.api.migration;

/**
 * What a live handler still has to send, as QEMU's {@code state_pending_estimate/exact} report
 * it: bytes that must go before the switchover, and bytes that may follow it in postcopy.
 *
 * @param mustPrecopy bytes to send while the source still owns the machine
 * @param canPostcopy bytes the destination may fetch on demand after it started
 */
public record PendingBytes(long mustPrecopy, long canPostcopy) {

    /** Nothing pending. */
    public static final PendingBytes NONE = new PendingBytes(0, 0);

    public PendingBytes {
        if (mustPrecopy < 0 || canPostcopy < 0) {
            throw new IllegalArgumentException("pending bytes must not be negative: " + mustPrecopy + ", " + canPostcopy);
        }
    }

    /** All pending bytes. */
    public long total() {
        return mustPrecopy + canPostcopy;
    }
}
