package org.osgemu.api.memory;

/**
 * The pages of a {@link RamBlock} whose contents have not arrived yet: a postcopy migration's
 * destination runs the guest before all of its RAM is there and installs one of these on each
 * block ({@link RamBlock#setAbsentPages}) until the last page came. A page only ever goes from
 * absent to present while the guest runs, so whoever found a page present may keep using it
 * (a CPU's TLB entry, a device's mapping) without asking again.
 *
 * <p>Thread-safe: vCPU threads and device threads ask and wait at the same time as the
 * migration fills pages in.
 */
public interface AbsentPages {

    /** Whether the page holding block offset {@code offset} has not arrived yet. */
    boolean isAbsent(long offset);

    /**
     * Asks for the absent pages among {@code [offset, offset+length)} (each page once, however
     * many threads wait for it) and waits up to {@code timeoutNanos} for all of them; returns
     * at once, true, when none is absent. Waiting in slices lets a vCPU give up when its machine
     * wants it to stop (it retries the access later).
     *
     * @return whether every page of the range is present now; false after the timeout, or when
     *         the calling thread is interrupted (its interrupt flag is then set again)
     */
    boolean await(long offset, long length, long timeoutNanos);
}
