package org.osgemu.device.bigstate;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.util.BitSet;

import org.osgemu.api.migration.LoadContext;
import org.osgemu.api.migration.MigrationException;
import org.osgemu.api.migration.PendingBytes;
import org.osgemu.api.migration.Section;
import org.osgemu.api.migration.SectionOutput;
import org.osgemu.api.vmstate.VMStateException;

/**
 * The bigstate device's live migration, shaped after a VFIO device with PRE_COPY.
 *
 * <p>Source: setup starts tracking changes and sends the geometry (START: u64 size, u32 block
 * size, u32 index rounds). The precopy data is the device memory: {@link PrecopyInfo#initialBytes()}
 * is what of it was not sent yet, {@link PrecopyInfo#dirtyBytes()} the blocks that changed after
 * they were sent; both count toward what must go before the switchover, as VFIO's
 * {@code state_pending} does. Each iteration sends up to 256 KiB of records: initial blocks first,
 * then once all went the INIT_DATA_SENT marker (VFIO's {@code DEV_INIT_DATA_SENT}), then changed
 * blocks. Completion, with the machine stopped, sends whatever is left and the registers.
 *
 * <p>Records: u8 tag, then for INITIAL (1) and DIRTY (2) a u32 block and its 4096 bytes; for
 * INIT_DATA_SENT (3) nothing; for REGISTERS (4) a u32 length and the VMState of
 * {@link BigStateState}. The last payload (END) carries REGISTERS.
 *
 * <p>Destination: initial blocks are copied in as they come; the device cannot take a changed
 * block before its index of the initial data exists, and building it is slow (every block hashed
 * {@code index-rounds} times). It is built when INIT_DATA_SENT arrives, after which the device
 * approves the switchover (switchover-ack); at the latest, at the first changed block or at the
 * end of the stream, where it then costs downtime.
 */
public final class BigStateMigration {

    static final int VERSION = 1;
    static final int INITIAL = 1;
    static final int DIRTY = 2;
    static final int INIT_DATA_SENT = 3;
    static final int REGISTERS = 4;
    /** What one iteration sends at most, as the RAM handler. */
    private static final int ITERATION_BYTES = 256 << 10;
    private static final int BLOCK = BigStateIndex.BLOCK_SIZE;
    private static final int RECORD = 1 + 4 + BLOCK;
    /** The registers record at most (tag, length, VMState bytes): what the stop-copy phase adds. */
    private static final int REGISTERS_BYTES = 64;

    /**
     * What is left of the device's precopy data, as VFIO's {@code vfio_precopy_info} reports it.
     *
     * @param initialBytes initial data not sent yet; the source should not switch over before it is 0
     * @param dirtyBytes state that changed after it was sent
     */
    public record PrecopyInfo(long initialBytes, long dirtyBytes) {
    }

    private final BigStateDevice device;
    // source, guarded by the device's lock
    private boolean tracking;
    private int sentInitial;
    private final BitSet dirty = new BitSet();
    private int dirtyCount;
    private int dirtyCursor;
    private boolean markerSent;
    // destination, used by the loading thread
    private LoadContext context = LoadContext.NONE;
    private BitSet received;
    private int receivedInitial;
    private boolean indexed;
    private BigStateState registers;

    BigStateMigration(BigStateDevice device) {
        this.device = device;
    }

    // ---- source ----

    void setup(SectionOutput out) throws IOException {
        synchronized (device) {
            tracking = true;
            sentInitial = 0;
            dirty.clear();
            dirtyCount = 0;
            dirtyCursor = 0;
            markerSent = false;
        }
        ByteBuffer start = ByteBuffer.allocate(16);
        start.putLong(device.memory().byteSize()).putInt(BLOCK).putInt(device.index().rounds());
        out.send(start.array());
    }

    /** Called under the device's lock whenever a block changes. */
    void blockChanged(int block) {
        if (tracking && block < sentInitial && !dirty.get(block)) {
            dirty.set(block);
            dirtyCount++;
        }
    }

    PrecopyInfo precopyInfo() {
        synchronized (device) {
            if (!tracking) {
                return new PrecopyInfo(device.memory().byteSize(), 0);
            }
            return new PrecopyInfo((long) (device.blocks() - sentInitial) * BLOCK, (long) dirtyCount * BLOCK);
        }
    }

    /** Initial and dirty bytes; the exact count adds the registers of the stop-copy phase, as VFIO adds its stop-copy size. */
    PendingBytes pending(boolean exact) {
        PrecopyInfo info = precopyInfo();
        return new PendingBytes(info.initialBytes() + info.dirtyBytes() + (exact ? REGISTERS_BYTES : 0), 0);
    }

    boolean iterate(SectionOutput out) throws IOException {
        ByteBuffer chunk = ByteBuffer.allocate(Math.min(out.maxPayload(), ITERATION_BYTES));
        boolean done;
        synchronized (device) {
            fill(chunk);
            done = sentInitial == device.blocks() && markerSent && dirtyCount == 0;
        }
        if (chunk.position() > 0) {
            send(out, chunk);
        }
        return done;
    }

    /** Initial blocks, then the marker, then changed blocks, as many as fit. */
    private void fill(ByteBuffer chunk) {
        MemorySegment memory = device.memory();
        while (chunk.remaining() >= RECORD) {
            if (sentInitial < device.blocks()) {
                put(chunk, INITIAL, sentInitial++, memory);
            } else if (!markerSent) {
                chunk.put((byte) INIT_DATA_SENT);
                markerSent = true;
            } else if (dirtyCount > 0) {
                int block = dirty.nextSetBit(dirtyCursor);
                if (block < 0) {
                    block = dirty.nextSetBit(0);
                }
                dirty.clear(block);
                dirtyCount--;
                dirtyCursor = block + 1;
                put(chunk, DIRTY, block, memory);
            } else {
                return;
            }
        }
    }

    private static void put(ByteBuffer chunk, int tag, int block, MemorySegment memory) {
        chunk.put((byte) tag).putInt(block);
        MemorySegment.copy(memory, ValueLayout.JAVA_BYTE, (long) block * BLOCK, chunk.array(), chunk.position(), BLOCK);
        chunk.position(chunk.position() + BLOCK);
    }

    void complete(SectionOutput out) throws IOException {
        ByteBuffer chunk = ByteBuffer.allocate(Math.min(out.maxPayload(), 1 << 20));
        while (true) {
            boolean more;
            synchronized (device) {
                fill(chunk);
                more = sentInitial < device.blocks() || !markerSent || dirtyCount > 0;
            }
            if (!more) {
                break;
            }
            send(out, chunk);
        }
        byte[] state = BigStateState.VMSTATE.save(device.saveRegisters());
        if (chunk.remaining() < 5 + state.length) {
            send(out, chunk);
        }
        chunk.put((byte) REGISTERS).putInt(state.length).put(state);
        send(out, chunk);
    }

    private static void send(SectionOutput out, ByteBuffer chunk) throws IOException {
        byte[] payload = new byte[chunk.position()];
        chunk.flip().get(payload);
        chunk.clear();
        out.send(payload);
    }

    void cleanup() {
        synchronized (device) {
            tracking = false;
            dirty.clear();
            dirtyCount = 0;
            sentInitial = 0;
            markerSent = false;
        }
    }

    // ---- destination ----

    void loadSetup(LoadContext context) {
        this.context = context;
        received = new BitSet(device.blocks());
        receivedInitial = 0;
        indexed = false;
        registers = null;
    }

    void load(Section section) throws MigrationException {
        ByteBuffer in = section.payload();
        switch (section.type()) {
            case START -> checkStart(in);
            case PART -> records(in);
            case END -> {
                records(in);
                if (registers == null) {
                    throw new MigrationException("the END section carries no REGISTERS record");
                }
            }
            case FULL -> throw new MigrationException("a FULL section; this device comes in START, PART and END sections");
        }
    }

    private void checkStart(ByteBuffer in) throws MigrationException {
        long size = field(in, 8, "size").getLong();
        int blockSize = field(in, 4, "block-size").getInt();
        int rounds = field(in, 4, "index-rounds").getInt();
        if (in.hasRemaining()) {
            throw new MigrationException(in.remaining() + " byte(s) left over after field index-rounds");
        }
        if (size != device.memory().byteSize()) {
            throw new MigrationException("field size: the stream's device has " + size + " bytes of memory, this one "
                    + device.memory().byteSize() + " (give both the same size=)");
        }
        if (blockSize != BLOCK) {
            throw new MigrationException("field block-size: " + blockSize + ", this build uses " + BLOCK);
        }
        if (rounds != device.index().rounds()) {
            throw new MigrationException("field index-rounds: the stream's device hashes with " + rounds
                    + " rounds, this one with " + device.index().rounds() + " (give both the same index-rounds=)");
        }
    }

    private void records(ByteBuffer in) throws MigrationException {
        while (in.hasRemaining()) {
            int at = in.position();
            int tag = in.get() & 0xFF;
            switch (tag) {
                case INITIAL, DIRTY -> block(in, at, tag);
                case INIT_DATA_SENT -> initialDataDone();
                case REGISTERS -> {
                    int length = field(in, 4, "registers length at payload byte " + at).getInt();
                    if (length < 0 || length > in.remaining()) {
                        throw new MigrationException("field registers length at payload byte " + at + ": " + length
                                + " bytes, but " + in.remaining() + " follow");
                    }
                    byte[] state = new byte[length];
                    in.get(state);
                    try {
                        registers = BigStateState.VMSTATE.load(state, BigStateState.VMSTATE.version());
                    } catch (VMStateException e) {
                        throw new MigrationException(e.getMessage(), e);
                    }
                }
                default -> throw new MigrationException("record at payload byte " + at + ": field tag is " + tag
                        + ", expected 1 (initial), 2 (dirty), 3 (init-data-sent) or 4 (registers)");
            }
        }
    }

    private void block(ByteBuffer in, int at, int tag) throws MigrationException {
        int block = field(in, 4, "block of the record at payload byte " + at).getInt();
        if (block < 0 || block >= device.blocks()) {
            throw new MigrationException("record at payload byte " + at + ": field block " + Integer.toUnsignedString(block)
                    + " is beyond the device's " + device.blocks() + " blocks");
        }
        field(in, BLOCK, "data of block " + block);
        if (tag == DIRTY) {
            ensureIndexed(); // a changed block goes into the index: which must exist first
        }
        synchronized (device) {
            // a segment over a buffer starts at the buffer's position: the block's first byte
            MemorySegment.copy(MemorySegment.ofBuffer(in), 0, device.memory(), (long) block * BLOCK, BLOCK);
            if (tag == DIRTY) {
                device.index().update(device.memory(), block);
            }
        }
        in.position(in.position() + BLOCK);
        if (tag == INITIAL && !received.get(block)) {
            received.set(block);
            receivedInitial++;
        }
    }

    private void initialDataDone() throws MigrationException {
        if (receivedInitial != device.blocks()) {
            throw new MigrationException("record INIT_DATA_SENT: the initial data ended after " + receivedInitial + " of "
                    + device.blocks() + " blocks");
        }
        ensureIndexed();
        context.approveSwitchover();
    }

    private void ensureIndexed() {
        if (!indexed) {
            device.rebuildIndex();
            indexed = true;
        }
    }

    void loadComplete() throws MigrationException {
        ensureIndexed();
        device.loadRegisters(registers);
    }

    void loadCleanup() {
        context = LoadContext.NONE;
        received = null;
        registers = null;
    }

    /** Checks that {@code bytes} of {@code field} are there; returns the buffer to read them from. */
    private static ByteBuffer field(ByteBuffer in, int bytes, String field) throws MigrationException {
        if (in.remaining() < bytes) {
            throw new MigrationException("field " + field + ": the payload ends inside it, at byte " + in.limit());
        }
        return in;
    }
}
