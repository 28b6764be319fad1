package org.osgemu.migration.engine;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.util.Arrays;

import org.osgemu.api.memory.DirtyClient;
import org.osgemu.api.memory.RamBlock;
import org.osgemu.api.migration.MigrationException;
import org.osgemu.api.migration.MigrationHandler;
import org.osgemu.api.migration.PendingBytes;
import org.osgemu.api.migration.Section;
import org.osgemu.api.migration.SectionOutput;
import org.osgemu.migration.stream.PayloadReader;
import org.osgemu.migration.stream.SectionHeader;

/**
 * One RAM block in the stream (id string {@code ram}, labelled with the block's name), as a live
 * handler: START carries the block size and page size; PART and END sections carry page records,
 * each an offset word whose low bits flag a zero page (no data follows) or a page (its bytes
 * follow).
 *
 * <p>Source: setup takes every page as "to send" and clears the block's migration dirty bits;
 * each iteration sends up to 256 KiB of the pages to send; a sync (the exact pending count, one
 * pass) moves the pages the guest dirtied since the last sync into the pages to send, then lets
 * in-flight guest stores land ({@code flushStores}) before any of them is copied. Completion, with
 * the machine stopped, syncs once more and sends everything left. A page the guest writes while
 * it is being copied is dirty again and goes again after the next sync.
 *
 * <p>Destination: each page is written into the block as its section arrives (the section's
 * checksum is verified first) and marked dirty, so that cached translations of the old contents
 * go; a page may come any number of times. One bit per page records what was received; END
 * checks that every page arrived at least once.
 *
 * <p>Postcopy, source: once the machine stopped, the pages still to send are what the destination
 * must take as absent ({@link #discardRuns()}); the rest goes in the background ({@link #iterate})
 * or at once when asked for ({@link #sendRequested}), each page once; after a reconnection the
 * destination's received bitmap says what is still to send ({@link #resumeFrom}). Destination: a
 * discard clears received bits before the guest runs; from LISTEN on a {@link PresentPages} tracker
 * sits on the block, and a page already present is never overwritten (the guest may have written
 * it since it arrived).
 */
final class RamBlockHandler implements MigrationHandler {

    static final int VERSION = 1;
    /** Flag of a zero page in a record's offset word (QEMU's {@code RAM_SAVE_FLAG_ZERO}). */
    static final long ZERO_PAGE = 0x02;
    /** Flag of a page whose bytes follow (QEMU's {@code RAM_SAVE_FLAG_PAGE}). */
    static final long PAGE = 0x08;

    private static final int PAGE_SIZE = RamBlock.PAGE_SIZE;
    private static final long FLAG_MASK = PAGE_SIZE - 1;
    private static final MemorySegment ZEROS = MemorySegment.ofArray(new byte[PAGE_SIZE]);
    /** Target size of one section's payload: large enough to be cheap, small enough to check before applying. */
    private static final int CHUNK_BYTES = 1 << 20;
    /** What one iteration sends at most: small next to a bandwidth window's budget, so the limit is kept closely. */
    private static final int ITERATION_BYTES = 256 << 10;
    /** One page record: the offset word and the page. */
    private static final int RECORD_BYTES = Long.BYTES + PAGE_SIZE;

    private final RamBlock block;
    private final int instanceId;
    private final int priority;
    private final MigrationProgress progress;
    private final Runnable flushStores;
    private final long pages;
    /** Source: one bit per page still to send, and where the current pass has got to. */
    private long[] toSend;
    private long toSendCount;
    private long cursor;
    /** Source: the iterations' payload buffer, reused (an output takes a payload before send returns). */
    private ByteBuffer iterationChunk;
    /** Load side: one bit per page received. */
    private long[] received;
    private long receivedPages;
    /** Load side, from LISTEN on: the pages present, installed on the block. */
    private volatile PresentPages postcopy;

    /**
     * @param progress where sent pages are counted
     * @param flushStores lets guest stores in flight land (the machine's {@link org.osgemu.api.machine.MachineControl#flushVcpuStores()})
     */
    RamBlockHandler(RamBlock block, int instanceId, int priority, MigrationProgress progress, Runnable flushStores) {
        this.block = block;
        this.instanceId = instanceId;
        this.priority = priority;
        this.progress = progress;
        this.flushStores = flushStores;
        this.pages = block.size() / PAGE_SIZE;
    }

    @Override public String idString() { return SectionHeader.RAM; }
    @Override public int instanceId() { return instanceId; }
    @Override public String label() { return block.name(); }
    @Override public int version() { return VERSION; }
    @Override public int priority() { return priority; }
    @Override public boolean isLive() { return true; }

    /** Size of the block in bytes. */
    long size() {
        return block.size();
    }

    @Override
    public void setup(SectionOutput out) throws IOException {
        toSend = new long[words(pages)];
        for (int word = 0; word < toSend.length; word++) {
            block.takeDirtyWord(DirtyClient.MIGRATION, word);
            toSend[word] = -1L;
        }
        if (pages % 64 != 0) {
            toSend[toSend.length - 1] = -1L >>> (64 - pages % 64); // no bits past the last page
        }
        toSendCount = pages;
        cursor = 0;
        flushStores.run();
        ByteBuffer start = ByteBuffer.allocate(12);
        start.putLong(block.size()).putInt(PAGE_SIZE);
        out.send(start.array());
    }

    /** The pages still to send of this pass; until setup, the whole block. */
    @Override
    public PendingBytes pendingEstimate() {
        return new PendingBytes((toSend == null ? pages : toSendCount) * PAGE_SIZE, 0);
    }

    /** Syncs the dirty bitmap first: one pass. */
    @Override
    public PendingBytes pendingExact() {
        if (toSend != null) {
            sync();
        }
        return pendingEstimate();
    }

    /**
     * Moves the pages dirtied since the last sync into the pages to send, then waits for guest
     * stores in flight; returns how many pages became dirty.
     */
    long sync() {
        long dirtied = 0;
        // a word (64 pages) at a time: a sync during the downtime reads ~2000 words for 512 MiB
        for (int word = 0; word < toSend.length; word++) {
            long taken = block.takeDirtyWord(DirtyClient.MIGRATION, word);
            if (taken != 0) {
                dirtied += Long.bitCount(taken);
                toSendCount += Long.bitCount(taken & ~toSend[word]);
                toSend[word] |= taken;
            }
        }
        flushStores.run();
        return dirtied;
    }

    /** Sends up to {@value #ITERATION_BYTES} bytes of pages; true when this pass has nothing left. */
    @Override
    public boolean iterate(SectionOutput out) throws IOException {
        int capacity = wholeRecords(Math.min(out.maxPayload(), ITERATION_BYTES));
        if (iterationChunk == null || iterationChunk.capacity() != capacity) {
            iterationChunk = ByteBuffer.allocate(capacity);
        }
        ByteBuffer chunk = iterationChunk.clear();
        while (toSendCount > 0 && chunk.remaining() >= RECORD_BYTES) {
            long page = nextToSend();
            if (page < 0) {
                break;
            }
            put(chunk, page);
        }
        if (chunk.position() > 0) {
            send(out, chunk);
        }
        return toSendCount == 0;
    }

    /** With the machine stopped: the last sync, then every page left. */
    @Override
    public void complete(SectionOutput out) throws IOException {
        if (toSend == null) {
            throw new IllegalStateException("RAM block " + block.name() + " completed without setup");
        }
        sync();
        ByteBuffer chunk = ByteBuffer.allocate(wholeRecords(Math.min(out.maxPayload(), CHUNK_BYTES)));
        long page;
        while ((page = nextToSend()) >= 0) {
            if (chunk.remaining() < RECORD_BYTES) {
                send(out, chunk);
            }
            put(chunk, page);
        }
        send(out, chunk);
    }

    // ---- postcopy, source ----

    /** The block's name, as page requests and received bitmaps name it. */
    String blockName() {
        return block.name();
    }

    /** Pages still to send. */
    long pagesToSend() {
        return toSendCount;
    }

    /**
     * At the start of postcopy, after the last sync: the pages to send as runs of {first page, page
     * count}. The destination takes them all as absent (some it never had; others it had before
     * the guest dirtied them again).
     */
    java.util.List<long[]> discardRuns() {
        java.util.List<long[]> runs = new java.util.ArrayList<>();
        long page = 0;
        while (page < pages) {
            if ((toSend[(int) (page >>> 6)] & 1L << page) == 0) {
                page++;
                continue;
            }
            long first = page;
            while (page < pages && (toSend[(int) (page >>> 6)] & 1L << page) != 0) {
                page++;
            }
            runs.add(new long[] {first, page - first});
        }
        return runs;
    }

    /**
     * A page request: sends those of the pages in {@code [offset, offset+length)} that are still to
     * send (a page already sent in postcopy is in flight or there); returns how many went.
     */
    int sendRequested(SectionOutput out, long offset, long length) throws IOException {
        long first = offset / PAGE_SIZE;
        long last = Math.min(pages - 1, (offset + Math.max(length, 1) - 1) / PAGE_SIZE);
        ByteBuffer chunk = ByteBuffer.allocate(Math.min(out.maxPayload(), (int) Math.min(CHUNK_BYTES,
                (last - first + 1) * (Long.BYTES + PAGE_SIZE))));
        int sent = 0;
        for (long page = first; page <= last; page++) {
            int word = (int) (page >>> 6);
            long bit = 1L << page;
            if ((toSend[word] & bit) == 0) {
                continue;
            }
            toSend[word] &= ~bit;
            toSendCount--;
            if (chunk.remaining() < RECORD_BYTES) {
                send(out, chunk);
            }
            put(chunk, page);
            sent++;
        }
        if (chunk.position() > 0) {
            send(out, chunk);
        }
        return sent;
    }

    /**
     * Postcopy recovery: the destination has the pages whose bits are set in {@code present}; every
     * other page is to send again (also those sent before the connection broke, which may be lost).
     */
    void resumeFrom(long[] present) {
        toSendCount = 0;
        for (long page = 0; page < pages; page++) {
            int word = (int) (page >>> 6);
            long bit = 1L << page;
            if (word < present.length && (present[word] & bit) != 0) {
                toSend[word] &= ~bit;
            } else {
                toSend[word] |= bit;
                toSendCount++;
            }
        }
        cursor = 0;
    }

    /** Words of a bitmap with a bit per page of this block. */
    int bitmapWords() {
        return words(pages);
    }

    /** The next page to send at or after the cursor (wrapping once), cleared from the set; -1 when none. */
    private long nextToSend() {
        if (toSendCount == 0) {
            return -1;
        }
        for (int pass = 0; pass < 2; pass++) {
            int word = (int) (cursor >>> 6);
            long bits = word < toSend.length ? toSend[word] & (-1L << cursor) : 0;
            while (word < toSend.length) {
                if (bits != 0) {
                    long page = ((long) word << 6) + Long.numberOfTrailingZeros(bits);
                    toSend[word] &= ~(1L << page);
                    toSendCount--;
                    cursor = page + 1;
                    return page;
                }
                word++;
                bits = word < toSend.length ? toSend[word] : 0;
            }
            cursor = 0;
        }
        throw new IllegalStateException("RAM block " + block.name() + ": " + toSendCount + " pages to send, none found");
    }

    private void put(ByteBuffer chunk, long page) {
        long offset = page * PAGE_SIZE;
        MemorySegment memory = block.segment();
        if (isZeroPage(memory, offset)) {
            chunk.putLong(offset | ZERO_PAGE);
            progress.zeroPage();
        } else {
            chunk.putLong(offset | PAGE);
            MemorySegment.copy(memory, ValueLayout.JAVA_BYTE, offset, chunk.array(), chunk.position(), PAGE_SIZE);
            chunk.position(chunk.position() + PAGE_SIZE);
            progress.normalPage();
        }
    }

    /**
     * The largest whole number of page records within {@code bytes}: a full chunk then fills its
     * buffer exactly and goes without a copy (this runs during the downtime, where every copy and
     * every garbage collection it brings on counts).
     */
    private static int wholeRecords(int bytes) {
        return Math.max(1, bytes / RECORD_BYTES) * RECORD_BYTES;
    }

    private static void send(SectionOutput out, ByteBuffer chunk) throws IOException {
        // the output writes or copies the payload before it returns: a full chunk goes without a copy
        byte[] payload = chunk.position() == chunk.capacity() ? chunk.array() : Arrays.copyOf(chunk.array(), chunk.position());
        out.send(payload);
        chunk.clear();
    }

    @Override
    public void cleanup() {
        toSend = null;
        iterationChunk = null;
        toSendCount = 0;
    }

    private static int words(long pages) {
        return (int) ((pages + 63) >>> 6);
    }

    // ---- destination ----

    @Override
    public void loadSetup() {
        received = new long[words(pages)];
        receivedPages = 0;
    }

    @Override
    public void load(Section section) throws MigrationException {
        switch (section.type()) {
            case START -> checkStart(new PayloadReader(section.payload()));
            case PART -> applyPages(section.payload());
            case END -> {
                applyPages(section.payload());
                checkEveryPageArrived();
            }
            case FULL -> throw new MigrationException("a FULL section; RAM comes in START, PART and END sections");
        }
    }

    // ---- postcopy, destination ----

    /** A discard (before the guest runs): the pages {@code [firstPage, firstPage+count)} count as not received. */
    void discard(long firstPage, long count) throws MigrationException {
        if (postcopy != null) {
            throw new MigrationException("a discard after LISTEN: the guest may already use those pages");
        }
        if (firstPage < 0 || count < 0 || firstPage + count > pages) {
            throw new MigrationException(String.format("discard of %d page(s) from page %d: the block has %d pages",
                    count, firstPage, pages));
        }
        for (long page = firstPage; page < firstPage + count; page++) {
            int word = (int) (page >>> 6);
            long bit = 1L << page;
            if ((received[word] & bit) != 0) {
                received[word] &= ~bit;
                receivedPages--;
            }
        }
    }

    /** LISTEN: installs a tracker of the pages present (those received and not discarded) on the block. */
    PresentPages listen(PresentPages.Requester requester) {
        PresentPages pages = new PresentPages(block, received, requester);
        postcopy = pages;
        block.setAbsentPages(pages);
        return pages;
    }

    /** The tracker LISTEN installed, or null. */
    PresentPages postcopyPages() {
        return postcopy;
    }

    /** Whether the page holding {@code offset} has arrived (postcopy's question); false outside a load. */
    boolean isReceived(long offset) {
        long page = offset / PAGE_SIZE;
        long[] bits = received;
        return bits != null && (bits[(int) (page >>> 6)] & 1L << page) != 0;
    }

    private void checkStart(PayloadReader in) throws MigrationException {
        long size = in.u64("block-size");
        int pageSize = in.u32("page-size");
        in.expectEnd();
        if (size != block.size()) {
            throw new MigrationException(String.format("field block-size: the stream's block has 0x%x bytes, this one 0x%x",
                    size, block.size()));
        }
        if (pageSize != PAGE_SIZE) {
            throw new MigrationException("field page-size: the stream has pages of " + pageSize + " bytes, this build uses " + PAGE_SIZE);
        }
    }

    private void applyPages(ByteBuffer payload) throws MigrationException {
        MemorySegment memory = block.segment();
        MemorySegment source = MemorySegment.ofBuffer(payload);
        PayloadReader in = new PayloadReader(payload);
        while (in.remaining() > 0) {
            int at = in.position();
            long word = in.u64("page record at payload byte " + at);
            long offset = word & ~FLAG_MASK;
            long flags = word & FLAG_MASK;
            if (flags != ZERO_PAGE && flags != PAGE) {
                throw new MigrationException(String.format("page record at payload byte %d: flags 0x%x, expected 0x%x (zero page) or 0x%x (page)",
                        at, flags, ZERO_PAGE, PAGE));
            }
            if (Long.compareUnsigned(offset, block.size()) >= 0) {
                throw new MigrationException(String.format("page offset 0x%x beyond the block size 0x%x (page record at payload byte %d)",
                        offset, block.size(), at));
            }
            int data = flags == PAGE ? in.skip(PAGE_SIZE, String.format("page data of offset 0x%x", offset)) : -1;
            PresentPages tracker = postcopy;
            long page = offset / PAGE_SIZE;
            if (tracker != null && tracker.isPresent(page)) {
                continue; // the guest runs on it and may have written it: a late copy must not undo that
            }
            if (data < 0) {
                // QEMU's habit: a page that is zero already is only read, so that RAM the guest
                // never touched stays unallocated here too (writing would fault in every page)
                if (!isZeroPage(memory, offset)) {
                    memory.asSlice(offset, PAGE_SIZE).fill((byte) 0);
                }
            } else {
                MemorySegment.copy(source, data, memory, offset, PAGE_SIZE);
            }
            block.markDirty(offset, PAGE_SIZE);
            markReceived(page);
            if (tracker != null) {
                tracker.markPresent(page);
            }
        }
    }

    private void markReceived(long page) {
        int word = (int) (page >>> 6);
        long bit = 1L << page;
        if ((received[word] & bit) == 0) {
            received[word] |= bit;
            receivedPages++;
        }
    }

    private void checkEveryPageArrived() throws MigrationException {
        if (receivedPages == pages) {
            return;
        }
        long missing = 0;
        while ((received[(int) (missing >>> 6)] & (1L << missing)) != 0) {
            missing++;
        }
        throw new MigrationException(String.format("the END section came after %d of the block's %d pages; the first missing page is at offset 0x%x",
                receivedPages, pages, missing * PAGE_SIZE));
    }

    /**
     * Ends postcopy on this block: the tracker comes off (all pages arrived, or the load ended
     * for good and nobody may wait any more).
     */
    void endPostcopy() {
        PresentPages tracker = postcopy;
        if (tracker != null) {
            block.setAbsentPages(null);
            tracker.release();
            postcopy = null;
        }
    }

    @Override
    public void loadCleanup() {
        endPostcopy();
        received = null;
    }

    /** Whether the page at {@code offset} holds only zeros. */
    private static boolean isZeroPage(MemorySegment memory, long offset) {
        return MemorySegment.mismatch(memory, offset, offset + PAGE_SIZE, ZEROS, 0, PAGE_SIZE) == -1;
    }
}
