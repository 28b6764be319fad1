package org.osgemu.migration.engine;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;

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
 * follow). Stop-and-copy sends every page once in {@link #complete}; live precopy will send dirty
 * pages from {@link #iterate} with the same records.
 *
 * <p>Loading writes each page into the block as its section arrives (the checksum of the section
 * is verified first) and marks it dirty, so that cached translations of the old contents go; END
 * checks that every page of the block arrived.
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

    private final RamBlock block;
    private final int instanceId;
    private final int priority;
    private volatile boolean saved;
    /** Load side: one bit per page received. */
    private long[] received;
    private long receivedPages;

    RamBlockHandler(RamBlock block, int instanceId, int priority) {
        this.block = block;
        this.instanceId = instanceId;
        this.priority = priority;
    }

    @Override public String idString() { return SectionHeader.RAM; }
    @Override public int instanceId() { return instanceId; }
    @Override public String label() { return block.name(); }
    @Override public int version() { return VERSION; }
    @Override public int priority() { return priority; }
    @Override public boolean isLive() { return true; }

    @Override
    public void setup(SectionOutput out) throws IOException {
        ByteBuffer start = ByteBuffer.allocate(12);
        start.putLong(block.size()).putInt(PAGE_SIZE);
        out.send(start.array());
    }

    /** Until it has been sent, all of the block is pending; there is no dirty tracking yet. */
    @Override
    public PendingBytes pendingEstimate() {
        return saved ? PendingBytes.NONE : new PendingBytes(block.size(), 0);
    }

    @Override
    public void complete(SectionOutput out) throws IOException {
        MemorySegment memory = block.segment();
        ByteBuffer chunk = ByteBuffer.allocate(Math.min(out.maxPayload(), CHUNK_BYTES));
        for (long offset = 0; offset < block.size(); offset += PAGE_SIZE) {
            if (chunk.remaining() < Long.BYTES + PAGE_SIZE) {
                send(out, chunk);
            }
            if (MemorySegment.mismatch(memory, offset, offset + PAGE_SIZE, ZEROS, 0, PAGE_SIZE) == -1) {
                chunk.putLong(offset | ZERO_PAGE);
            } else {
                chunk.putLong(offset | PAGE);
                MemorySegment.copy(memory, ValueLayout.JAVA_BYTE, offset, chunk.array(), chunk.position(), PAGE_SIZE);
                chunk.position(chunk.position() + PAGE_SIZE);
            }
        }
        send(out, chunk);
        saved = true;
    }

    private static void send(SectionOutput out, ByteBuffer chunk) throws IOException {
        byte[] payload = new byte[chunk.position()];
        chunk.flip().get(payload);
        chunk.clear();
        out.send(payload);
    }

    @Override
    public void loadSetup() {
        long pages = block.size() / PAGE_SIZE;
        received = new long[(int) ((pages + 63) >>> 6)];
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

    private void checkStart(PayloadReader in) throws MigrationException {
        long size = in.u64("block-size");
        int pageSize = in.u32("page-size");
        in.expectEnd();
        if (size != block.size()) {
            throw new MigrationException(String.format("the stream's block has 0x%x bytes, this one 0x%x", size, block.size()));
        }
        if (pageSize != PAGE_SIZE) {
            throw new MigrationException("the stream has pages of " + pageSize + " bytes, this build uses " + PAGE_SIZE);
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
            if (flags == ZERO_PAGE) {
                memory.asSlice(offset, PAGE_SIZE).fill((byte) 0);
            } else {
                int data = in.skip(PAGE_SIZE, String.format("page data of offset 0x%x", offset));
                MemorySegment.copy(source, data, memory, offset, PAGE_SIZE);
            }
            block.markDirty(offset, PAGE_SIZE);
            markReceived(offset / PAGE_SIZE);
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
        long pages = block.size() / PAGE_SIZE;
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

    @Override
    public void loadCleanup() {
        received = null;
    }
}
