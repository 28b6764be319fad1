package org.osgemu.migration.engine;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.osgemu.api.memory.RamBlock;
import org.osgemu.api.migration.MigrationException;
import org.osgemu.api.migration.MigrationHandler;
import org.osgemu.migration.stream.ReturnPath;

/**
 * The RAM side of a postcopy destination: applies discards before the guest runs, installs a
 * {@link PresentPages} tracker on every block at LISTEN, sends the page requests of threads that
 * wait for a page (REQ_PAGES_ID when the block differs from the last request's, else REQ_PAGES;
 * one request per page), and on a resumed connection tells the source which pages it has
 * (RECV_BITMAP parts, then RESUME_ACK). While the connection is down, requests are not sent: the
 * waiting threads ask again once it is back.
 */
final class PostcopyDestination {

    private final Map<String, RamBlockHandler> blocks = new LinkedHashMap<>();
    private final List<PresentPages> trackers = new ArrayList<>();
    private final Object requestLock = new Object();
    private volatile ReturnPath.Writer returnPath;
    /** The block the source takes a REQ_PAGES for; guarded by {@link #requestLock}. */
    private String lastRequestedBlock;
    private boolean listening;

    PostcopyDestination(HandlerSet handlers) {
        for (MigrationHandler h : handlers.ordered()) {
            if (h instanceof RamBlockHandler ram) {
                blocks.put(ram.blockName(), ram);
            }
        }
    }

    boolean listening() {
        return listening;
    }

    /** POSTCOPY_RAM_DISCARD: name block, then runs of u64 first page offset, u32 page count. */
    void discard(ByteBuffer payload) throws MigrationException {
        if (listening) {
            throw new MigrationException("command POSTCOPY_RAM_DISCARD after POSTCOPY_LISTEN: the guest may already use those pages");
        }
        ByteBuffer b = payload.duplicate();
        int length = b.hasRemaining() ? b.get() & 0xFF : 0;
        if (length == 0 || b.remaining() < length || (b.remaining() - length) % 12 != 0) {
            throw new MigrationException("command POSTCOPY_RAM_DISCARD: field block name or runs malformed ("
                    + payload.remaining() + " payload bytes)");
        }
        byte[] name = new byte[length];
        b.get(name);
        String block = new String(name, StandardCharsets.UTF_8);
        RamBlockHandler ram = blocks.get(block);
        if (ram == null) {
            throw new MigrationException("command POSTCOPY_RAM_DISCARD: no RAM block '" + block + "' on this machine");
        }
        while (b.hasRemaining()) {
            long offset = b.getLong();
            long count = Integer.toUnsignedLong(b.getInt());
            if (offset % RamBlock.PAGE_SIZE != 0) {
                throw new MigrationException(String.format("command POSTCOPY_RAM_DISCARD of block %s: offset 0x%x is not page aligned",
                        block, offset));
            }
            try {
                ram.discard(offset / RamBlock.PAGE_SIZE, count);
            } catch (MigrationException e) {
                throw new MigrationException("command POSTCOPY_RAM_DISCARD of block " + block + ": " + e.getMessage(), e);
            }
        }
    }

    /** POSTCOPY_LISTEN: from now on absent pages are tracked, requested and waited for. */
    void listen(ReturnPath.Writer rp) {
        returnPath = rp;
        listening = true;
        for (RamBlockHandler ram : blocks.values()) {
            trackers.add(ram.listen(this::request));
        }
    }

    /** Sends the request for {@code page}; false while the connection is down. */
    private boolean request(PresentPages pages, long page) {
        ReturnPath.Writer rp = returnPath;
        if (rp == null) {
            return false;
        }
        synchronized (requestLock) {
            String name = pages.block().name();
            try {
                rp.requestPages(name.equals(lastRequestedBlock) ? null : name, page * RamBlock.PAGE_SIZE, RamBlock.PAGE_SIZE);
                lastRequestedBlock = name;
                return true;
            } catch (IOException e) {
                return false; // the reader finds the broken connection too and pauses
            }
        }
    }

    /** The connection broke: no requests until a new one is there. */
    void paused() {
        returnPath = null;
    }

    /**
     * A resumed connection: tells the source which pages are here (RECV_BITMAP parts per block,
     * 64-page aligned, then RESUME_ACK), and lets the waiting threads ask again.
     */
    void resumed(ReturnPath.Writer rp) throws IOException {
        for (RamBlockHandler ram : blocks.values()) {
            PresentPages pages = ram.postcopyPages();
            long[] bits = pages.bitmap();
            int perMessage = ReturnPath.Writer.bitmapBytesPerMessage(ram.blockName()) / 8;
            for (int word = 0; word < bits.length; word += perMessage) {
                int n = Math.min(perMessage, bits.length - word);
                ByteBuffer part = ByteBuffer.allocate(n * 8).order(ByteOrder.LITTLE_ENDIAN);
                for (int i = 0; i < n; i++) {
                    part.putLong(bits[word + i]);
                }
                rp.receivedBitmap(ram.blockName(), (long) word * 64, part.array());
            }
        }
        rp.resumeAck();
        synchronized (requestLock) {
            lastRequestedBlock = null; // a new reader on the source: the next request names its block
            returnPath = rp;
        }
        trackers.forEach(PresentPages::forgetRequests);
    }

    /** Pages not arrived yet, over all blocks. */
    long absentPages() {
        long absent = 0;
        for (PresentPages p : trackers) {
            long[] bits = p.bitmap();
            long pages = p.block().size() / RamBlock.PAGE_SIZE;
            long present = 0;
            for (long w : bits) {
                present += Long.bitCount(w);
            }
            absent += pages - present;
        }
        return absent;
    }
}
