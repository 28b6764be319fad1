package org.osgemu.device.bigstate;

import static org.osgemu.device.bigstate.BigStateRegisters.*;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

import org.osgemu.api.clock.Clock;
import org.osgemu.api.clock.ClockType;
import org.osgemu.api.clock.Timer;
import org.osgemu.api.device.DeviceContext;
import org.osgemu.api.device.DevicePlacement;
import org.osgemu.api.device.GuestErrorLog;
import org.osgemu.api.device.PlatformDevice;
import org.osgemu.api.device.RegisterMap;
import org.osgemu.api.fdt.FdtNode;
import org.osgemu.api.memory.AccessRules;
import org.osgemu.api.memory.MemoryRegion;
import org.osgemu.api.migration.LoadContext;
import org.osgemu.api.migration.MigrationException;
import org.osgemu.api.migration.MigrationHandler;
import org.osgemu.api.migration.PendingBytes;
import org.osgemu.api.migration.Section;
import org.osgemu.api.migration.SectionOutput;

/**
 * A device with a large internal state, for live migration with switchover-ack: megabytes of
 * device memory, made of 4 KiB blocks, and an index of it (a hash of every block and a hash table
 * from hash to block, {@link BigStateIndex}) that the guest uses through its registers
 * ({@link BigStateRegisters}). While the machine runs the device rewrites a few blocks by itself
 * ({@code dirty-rate}), and the guest may write words of it.
 *
 * <p>Migration ({@link BigStateMigration}): a live handler that, as a VFIO device in PRE_COPY,
 * reports its precopy data as initial bytes (its memory, sent once) and dirty bytes (blocks
 * changed after they were sent); sends the initial data first, marks its end, then what changed.
 * Loading is slow: the destination must build the index from the initial data before it can take
 * changed blocks, so it builds it when the end-of-initial-data marker arrives, then approves the
 * switchover. With switchover-ack the source waits for that, and the slow part happens while the
 * guest still runs; without it, it lands in the downtime.
 *
 * <p>Not modelled: DMA, interrupts; one bigstate device per machine (its sections are instance 0).
 */
public class BigStateDevice implements PlatformDevice, MigrationHandler {

    public static final String TYPE = "bigstate";

    private static final System.Logger LOG = System.getLogger(BigStateDevice.class.getName());
    private static final long TICK_NANOS = TimeUnit.MILLISECONDS.toNanos(10);
    private static final ValueLayout.OfLong WORD_LAYOUT = ValueLayout.JAVA_LONG_UNALIGNED;
    private static final int WORDS_PER_BLOCK = BigStateIndex.BLOCK_SIZE / 8;

    private final String id;
    private final int blocks;
    private final long configuredDirtyRate;
    private final Arena arena = Arena.ofShared();
    private final MemorySegment memory;
    private final BigStateIndex index;
    private final RegisterMap registers;
    private final MemoryRegion region;
    private final BigStateMigration migration;
    private Clock clock;
    private Timer timer;
    private GuestErrorLog log = GuestErrorLog.NONE;
    private long dirtyRate;
    private long generation;
    private long rng;
    private double owedBlocks;
    private boolean closed;

    /**
     * @param sizeBytes device memory, a multiple of 4 KiB
     * @param dirtyRate bytes per second of guest time the device rewrites by itself
     * @param indexRounds hash passes per block when indexing (the cost of loading)
     */
    public BigStateDevice(String id, long sizeBytes, long dirtyRate, int indexRounds) {
        this.id = Objects.requireNonNull(id, "id");
        if (sizeBytes <= 0 || sizeBytes % BigStateIndex.BLOCK_SIZE != 0 || sizeBytes > (1L << 30)) {
            throw new IllegalArgumentException(TYPE + " " + id + ": size must be a multiple of 4 KiB up to 1 GiB, not " + sizeBytes);
        }
        if (dirtyRate < 0) {
            throw new IllegalArgumentException(TYPE + " " + id + ": dirty-rate must not be negative, not " + dirtyRate);
        }
        if (indexRounds < 1 || indexRounds > 4096) {
            throw new IllegalArgumentException(TYPE + " " + id + ": index-rounds must be 1..4096, not " + indexRounds);
        }
        this.blocks = (int) (sizeBytes / BigStateIndex.BLOCK_SIZE);
        this.configuredDirtyRate = dirtyRate;
        this.memory = arena.allocate(sizeBytes, BigStateIndex.BLOCK_SIZE);
        this.index = new BigStateIndex(blocks, indexRounds);
        this.registers = buildRegisters();
        this.region = MemoryRegion.mmio(TYPE + "." + id, BigStateRegisters.SIZE, registers, AccessRules.sizes(4, 8));
        this.migration = new BigStateMigration(this);
        this.rng = seed(id);
        fillInitialContents();
        index.build(memory);
        reset();
    }

    private static long seed(String id) {
        return id.hashCode() * 0x9E37_79B9_7F4A_7C15L | 1;
    }

    /** Device memory starts with contents of its own (a pattern from the id), not zeros: it is state worth moving. */
    private void fillInitialContents() {
        long x = rng;
        for (long off = 0; off < memory.byteSize(); off += 8) {
            x = x * 6364136223846793005L + 1442695040888963407L;
            memory.set(WORD_LAYOUT, off, x ^ (x >>> 33));
        }
    }

    private RegisterMap buildRegisters() {
        return RegisterMap.builder(TYPE + " " + id)
                .register("MAGIC", MAGIC, 4).reset(MAGIC_VALUE).add()
                .register("VERSION", VERSION, 4).reset(1).add()
                .register("BLOCK_SIZE", BigStateRegisters.BLOCK_SIZE, 4).reset(BigStateIndex.BLOCK_SIZE).add()
                .register("BLOCKS", BLOCKS, 4).reset(blocks).add()
                .register("BLOCK", BLOCK, 4).readWrite().onWrite((i, v) -> checkBlock(v)).add()
                .register("WORD", WORD, 4).readWrite().onWrite((i, v) -> checkWord(v)).add()
                .register("DATA", DATA, 8).readWrite().onRead(i -> readWord()).onWrite((i, v) -> writeWord(v)).add()
                .register("HASH", HASH, 8).onRead(i -> hashOfSelected()).add()
                .register("VERIFY", VERIFY, 4).onRead(i -> verifySelected() ? 1 : 0).add()
                .register("GENERATION", GENERATION, 4).onRead(i -> generation() & 0xFFFF_FFFFL).add()
                .register("DIRTY_RATE", DIRTY_RATE, 4).readWrite().onWrite((i, v) -> setDirtyRate(v * 1024)).add()
                .register("LOOKUP", LOOKUP, 8).readWrite().onWrite((i, v) -> lookup(v)).add()
                .register("FOUND", FOUND, 4).reset(0xFFFF_FFFFL).add()
                .build();
    }

    @Override public String id() { return id; }
    @Override public String type() { return TYPE; }
    @Override public MemoryRegion region() { return region; }

    /** Number of 4 KiB blocks of device memory. */
    public int blocks() {
        return blocks;
    }

    @Override
    public synchronized void realize(DeviceContext context) {
        clock = context.clock(ClockType.VIRTUAL);
        log = context.log();
        registers.setLog(log);
        timer = clock.newTimer(TYPE + "." + id + ".mutate", this::tick);
        timer.modNanos(clock.nanos() + TICK_NANOS);
    }

    @Override
    public synchronized void unrealize() {
        if (timer != null) {
            timer.free();
            timer = null;
        }
        log = GuestErrorLog.NONE;
        registers.setLog(log);
    }

    /** Frees the device memory; the device cannot be used afterwards. */
    public synchronized void close() {
        unrealize();
        if (!closed) {
            closed = true;
            arena.close();
        }
    }

    /** Registers go to their reset values; the memory and its index keep their contents, as a memory does. */
    @Override
    public void reset() {
        registers.reset();
        synchronized (this) {
            dirtyRate = configuredDirtyRate;
            owedBlocks = 0;
        }
        registers.set("DIRTY_RATE", configuredDirtyRate / 1024);
    }

    @Override
    public FdtNode describe(DevicePlacement placement) {
        return FdtNode.at(TYPE, placement.base())
                .reg(placement.base(), placement.size())
                .string("compatible", "osgemu,bigstate");
    }

    // ---- guest side ----

    private void checkBlock(long v) {
        if (v >= blocks) {
            log.guestError("%s %s: BLOCK %d is beyond its %d blocks; kept at 0", TYPE, id, v, blocks);
            registers.set("BLOCK", 0);
        }
    }

    private void checkWord(long v) {
        if (v >= WORDS_PER_BLOCK) {
            log.guestError("%s %s: WORD %d is beyond the %d words of a block; kept at 0", TYPE, id, v, WORDS_PER_BLOCK);
            registers.set("WORD", 0);
        }
    }

    private long wordOffset() {
        return registers.get("BLOCK") * BigStateIndex.BLOCK_SIZE + registers.get("WORD") * 8;
    }

    private synchronized long readWord() {
        return memory.get(WORD_LAYOUT, wordOffset());
    }

    private synchronized void writeWord(long value) {
        long offset = wordOffset();
        memory.set(WORD_LAYOUT, offset, value);
        changed((int) (offset / BigStateIndex.BLOCK_SIZE));
    }

    private synchronized long hashOfSelected() {
        return index.hashOf((int) registers.get("BLOCK"));
    }

    private synchronized boolean verifySelected() {
        return index.verify(memory, (int) registers.get("BLOCK"));
    }

    private synchronized void lookup(long hash) {
        int found = index.lookup(hash);
        registers.set("FOUND", found == BigStateIndex.NO_BLOCK ? 0xFFFF_FFFFL : found);
    }

    private synchronized void setDirtyRate(long bytesPerSecond) {
        dirtyRate = bytesPerSecond;
    }

    synchronized long generation() {
        return generation;
    }

    /** A block changed: its index entry follows, and a migration that already sent it sends it again. */
    private void changed(int block) {
        index.update(memory, block);
        migration.blockChanged(block);
    }

    /** Every 10 ms of guest time: rewrites what dirty-rate says (one word per block, which dirties the block). */
    private void tick() {
        synchronized (this) {
            if (timer == null) {
                return;
            }
            owedBlocks += (double) dirtyRate * TICK_NANOS / TimeUnit.SECONDS.toNanos(1) / BigStateIndex.BLOCK_SIZE;
            while (owedBlocks >= 1) {
                owedBlocks--;
                rng ^= rng << 13;
                rng ^= rng >>> 7;
                rng ^= rng << 17;
                int block = (int) Long.remainderUnsigned(rng, blocks);
                long word = Long.remainderUnsigned(rng >>> 20, WORDS_PER_BLOCK);
                memory.set(WORD_LAYOUT, (long) block * BigStateIndex.BLOCK_SIZE + word * 8, rng ^ ++generation);
                changed(block);
            }
            timer.modNanos(clock.nanos() + TICK_NANOS);
        }
    }

    // ---- what the migration handler reaches ----

    MemorySegment memory() {
        return memory;
    }

    BigStateIndex index() {
        return index;
    }

    /** Builds the index of the whole memory afresh: the slow part of loading. */
    synchronized void rebuildIndex() {
        long start = System.nanoTime();
        index.build(memory);
        LOG.log(Level.DEBUG, () -> TYPE + " " + id + ": indexed " + (memory.byteSize() >> 20) + " MiB in "
                + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start) + " ms");
    }

    synchronized BigStateState saveRegisters() {
        return new BigStateState(registers.get("BLOCK"), registers.get("WORD"), dirtyRate / 1024, generation, rng,
                registers.get("LOOKUP"), registers.get("FOUND"));
    }

    /** Takes loaded registers, checked like any outside input; the mutation timer goes on from there. */
    void loadRegisters(BigStateState s) throws MigrationException {
        if (s.block() >= blocks) {
            throw new MigrationException("field block: " + s.block() + " is beyond the device's " + blocks + " blocks");
        }
        if (s.word() >= WORDS_PER_BLOCK) {
            throw new MigrationException("field word: " + s.word() + " is beyond the " + WORDS_PER_BLOCK + " words of a block");
        }
        if (s.found() != 0xFFFF_FFFFL && s.found() >= blocks) {
            throw new MigrationException("field found: " + s.found() + " is beyond the device's " + blocks + " blocks");
        }
        if (s.rng() == 0) {
            throw new MigrationException("field rng: 0, which the generator never reaches");
        }
        registers.set("BLOCK", s.block());
        registers.set("WORD", s.word());
        registers.set("DIRTY_RATE", s.dirtyRateKib());
        registers.set("LOOKUP", s.lookup());
        registers.set("FOUND", s.found());
        synchronized (this) {
            dirtyRate = s.dirtyRateKib() * 1024;
            generation = s.generation();
            rng = s.rng();
            if (timer != null) {
                timer.modNanos(clock.nanos() + TICK_NANOS);
            }
        }
    }

    // ---- MigrationHandler: see BigStateMigration ----

    @Override public String idString() { return TYPE; }
    @Override public int instanceId() { return 0; }
    @Override public String label() { return id; }
    @Override public int version() { return BigStateMigration.VERSION; }
    @Override public boolean isLive() { return true; }
    @Override public boolean switchoverAckNeeded() { return true; }

    /** What is left of the precopy data, as a VFIO device's precopy info reports it. */
    public BigStateMigration.PrecopyInfo precopyInfo() {
        return migration.precopyInfo();
    }

    @Override public void setup(SectionOutput out) throws IOException { migration.setup(out); }
    @Override public boolean iterate(SectionOutput out) throws IOException { return migration.iterate(out); }
    @Override public PendingBytes pendingEstimate() { return migration.pending(false); }
    @Override public PendingBytes pendingExact() { return migration.pending(true); }
    @Override public void complete(SectionOutput out) throws IOException { migration.complete(out); }
    @Override public void cleanup() { migration.cleanup(); }
    @Override public void loadSetup(LoadContext context) { migration.loadSetup(context); }
    @Override public void load(Section section) throws MigrationException { migration.load(section); }
    @Override public void loadComplete() throws MigrationException { migration.loadComplete(); }
    @Override public void loadCleanup() { migration.loadCleanup(); }
}
