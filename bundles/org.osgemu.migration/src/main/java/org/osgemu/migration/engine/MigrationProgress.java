package org.osgemu.migration.engine;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What one migration has done so far, for {@code query-migrate}: its status and error, its times,
 * and the RAM counters QEMU reports ({@code MigrationStats}). Written by the migration's threads,
 * read by any; every value is read without a lock, so a reader may see one counter a moment
 * newer than another.
 */
public final class MigrationProgress {

    /** What {@code query-migrate} reports, read at one moment. */
    public record Snapshot(MigrationStatus status, String error, long totalTimeMillis, long setupTimeMillis,
                           long downtimeMillis, long expectedDowntimeMillis, long transferred, long remaining,
                           long total, long duplicate, long normal, long dirtySyncCount, long pagesPerSecond,
                           double mbps, long precopyBytes, long downtimeBytes, long dirtyPagesRate, int throttlePercent,
                           long postcopyRequests, long postcopyBytes) {

        public long normalBytes() {
            return normal * org.osgemu.api.memory.RamBlock.PAGE_SIZE;
        }
    }

    private volatile MigrationStatus status = MigrationStatus.NONE;
    private volatile String error;
    private final long startNanos = System.nanoTime();
    private volatile long setupNanos = -1;
    private volatile long endNanos = -1;
    private volatile long stopNanos = -1;
    private volatile long downtimeNanos = -1;
    private volatile long expectedDowntimeMillis;
    private volatile long pagesPerSecond;
    private volatile double mbps;
    private volatile long dirtyPagesRate;
    private volatile long remaining;
    private volatile long total;
    private volatile int throttlePercent;
    private volatile long precopyBytes = -1;
    /** Bytes sent when postcopy began (the destination started), -1 before. */
    private volatile long postcopyStartBytes = -1;
    final AtomicLong postcopyRequests = new AtomicLong();
    final AtomicLong transferred = new AtomicLong();
    final AtomicLong zeroPages = new AtomicLong();
    final AtomicLong normalPages = new AtomicLong();
    final AtomicLong dirtySyncCount = new AtomicLong();

    public MigrationStatus status() {
        return status;
    }

    /** Why the migration failed, or null. */
    public String error() {
        return error;
    }

    void status(MigrationStatus status) {
        this.status = status;
        if (status.isFinal() && endNanos < 0) {
            endNanos = System.nanoTime();
        }
    }

    void fail(String message) {
        if (error == null) {
            error = message;
        }
    }

    void setupDone() {
        setupNanos = System.nanoTime();
    }

    void stopped() {
        stopNanos = System.nanoTime();
        precopyBytes = transferred.get();
    }

    void downtimeEnded() {
        if (stopNanos >= 0) {
            downtimeNanos = System.nanoTime() - stopNanos;
        }
    }

    /** Postcopy began: the destination runs; what goes from now on is postcopy-bytes. */
    void postcopyStarted() {
        postcopyStartBytes = transferred.get();
    }

    void rates(long expectedDowntimeMillis, long pagesPerSecond, double mbps, long dirtyPagesRate) {
        this.expectedDowntimeMillis = expectedDowntimeMillis;
        this.pagesPerSecond = pagesPerSecond;
        this.mbps = mbps;
        this.dirtyPagesRate = dirtyPagesRate;
    }

    /** At completion, as QEMU: the rates over the whole transfer, from the end of setup on. */
    void completed() {
        long transferNanos = System.nanoTime() - (setupNanos < 0 ? startNanos : setupNanos);
        if (transferNanos > 0) {
            double seconds = transferNanos / 1e9;
            mbps = transferred.get() * 8 / seconds / 1e6;
            pagesPerSecond = (long) ((normalPages.get() + zeroPages.get()) / seconds);
        }
        expectedDowntimeMillis = 0;
    }

    void remaining(long bytes) {
        this.remaining = bytes;
    }

    void total(long bytes) {
        this.total = bytes;
    }

    void throttle(int percent) {
        this.throttlePercent = percent;
    }

    /** Counts a page sent whole. */
    public void normalPage() {
        normalPages.incrementAndGet();
    }

    /** Counts a zero page sent as a marker (QEMU's {@code duplicate}). */
    public void zeroPage() {
        zeroPages.incrementAndGet();
    }

    public Snapshot snapshot() {
        long now = System.nanoTime();
        long end = endNanos >= 0 ? endNanos : now;
        long sent = transferred.get();
        long precopy = precopyBytes >= 0 ? precopyBytes : sent;
        long postcopyStart = postcopyStartBytes >= 0 ? postcopyStartBytes : sent;
        return new Snapshot(status, error, millis(end - startNanos), setupNanos < 0 ? 0 : millis(setupNanos - startNanos),
                downtimeNanos < 0 ? -1 : millis(downtimeNanos), expectedDowntimeMillis, sent, remaining, total,
                zeroPages.get(), normalPages.get(), dirtySyncCount.get(), pagesPerSecond, mbps, precopy,
                postcopyStart - precopy, dirtyPagesRate, throttlePercent, postcopyRequests.get(), sent - postcopyStart);
    }

    private static long millis(long nanos) {
        return TimeUnit.NANOSECONDS.toMillis(nanos);
    }
}
