package org.osgemu.device.bigstate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.osgemu.api.device.DevicePlacement;
import org.osgemu.api.migration.LoadContext;
import org.osgemu.api.migration.MigrationException;
import org.osgemu.api.migration.Section;
import org.osgemu.api.migration.SectionOutput;
import org.osgemu.api.migration.SectionType;
import org.osgemu.testkit.FakeDeviceContext;

/**
 * The bigstate device's live migration between two devices, handler to handler: initial bytes
 * first, the approval only once the destination built its index, changed blocks after, and the
 * registers at the end; and what the destination refuses.
 */
class BigStateMigrationTest {

    static final long SIZE = 2 << 20;

    private final BigStateDevice source = new BigStateDevice("big0", SIZE, 0, 4);
    private final BigStateDevice destination = new BigStateDevice("big0", SIZE, 0, 4);
    private final FakeDeviceContext sourceBoard = board();
    private final FakeDeviceContext destinationBoard = board();
    private final List<byte[]> payloads = new ArrayList<>();
    private final SectionOutput out = new SectionOutput() {
        @Override public int maxPayload() { return 16 << 20; }
        @Override public void send(byte[] payload) { payloads.add(payload); }
    };
    /** Whether the destination's index was right for every block when it approved. */
    private final List<Boolean> approvals = new ArrayList<>();

    BigStateMigrationTest() {
        source.realize(sourceBoard);
        destination.realize(destinationBoard);
    }

    @AfterEach
    void close() {
        source.close();
        destination.close();
    }

    @Test
    void initialBytesGoFirstTheApprovalFollowsTheIndexAndChangedBlocksComeAfter() throws Exception {
        destination.loadSetup(new LoadContext() {
            @Override public boolean switchoverAck() { return true; }
            @Override public void approveSwitchover() { approvals.add(indexRight(destination)); }
        });
        assertEquals(new BigStateMigration.PrecopyInfo(SIZE, 0), source.precopyInfo(), "before setup: all of it");
        source.setup(out);
        deliver(SectionType.START);
        assertEquals(SIZE, source.pendingEstimate().mustPrecopy());

        assertFalse(source.iterate(out));
        deliver(SectionType.PART);
        BigStateMigration.PrecopyInfo partly = source.precopyInfo();
        assertTrue(partly.initialBytes() > 0 && partly.initialBytes() < SIZE, "" + partly);
        assertEquals(List.of(), approvals, "no approval before the initial data is in");

        changeBlock(source, 0); // already sent: dirty now
        assertEquals(4096, source.precopyInfo().dirtyBytes());
        while (!source.iterate(out)) {
            deliver(SectionType.PART);
        }
        deliver(SectionType.PART);
        assertEquals(new BigStateMigration.PrecopyInfo(0, 0), source.precopyInfo());
        assertEquals(List.of(true), approvals, "one approval, with the index built");

        changeBlock(source, 5);
        source.complete(out);
        for (int i = 0; i < payloads.size() - 1; i++) {
            deliver(SectionType.PART);
        }
        deliver(SectionType.END);
        destination.loadComplete();
        destination.loadCleanup();
        source.cleanup();

        assertEquals(-1, source.memory().mismatch(destination.memory()), "device memory differs");
        for (int block = 0; block < source.blocks(); block++) {
            assertEquals(source.index().hashOf(block), destination.index().hashOf(block), "index entry of block " + block);
        }
        assertEquals(source.saveRegisters(), destination.saveRegisters());
    }

    @Test
    void aDestinationWithoutAMarkerBuildsItsIndexAtTheEnd() throws Exception {
        destination.loadSetup(LoadContext.NONE);
        source.setup(out);
        source.complete(out);
        deliver(SectionType.START);
        while (payloads.size() > 1) {
            deliver(SectionType.PART);
        }
        deliver(SectionType.END);
        destination.loadComplete();
        assertTrue(indexRight(destination));
        assertEquals(-1, source.memory().mismatch(destination.memory()));
    }

    @Test
    void aMigrationThatEndsStopsTrackingChanges() throws Exception {
        source.setup(out);
        source.iterate(out);
        changeBlock(source, 1);
        assertEquals(4096, source.precopyInfo().dirtyBytes());

        source.cleanup(); // the migration failed or was cancelled

        changeBlock(source, 2);
        assertEquals(new BigStateMigration.PrecopyInfo(SIZE, 0), source.precopyInfo(), "no tracking, no leftovers");
        source.setup(out); // a new migration starts from scratch
        assertEquals(new BigStateMigration.PrecopyInfo(SIZE, 0), source.precopyInfo());
    }

    @Test
    void indexingCostsTimeInProportionToTheRounds() {
        BigStateDevice cheap = new BigStateDevice("a", 8 << 20, 0, 1);
        BigStateDevice dear = new BigStateDevice("b", 8 << 20, 0, 64);
        try {
            cheap.rebuildIndex(); // warm up
            long cheapNanos = time(cheap::rebuildIndex);
            long dearNanos = time(dear::rebuildIndex);
            assertTrue(dearNanos > 8 * cheapNanos, "64 rounds took " + dearNanos + " ns, 1 round " + cheapNanos + " ns");
        } finally {
            cheap.close();
            dear.close();
        }
    }

    @Test
    void aDeviceOfAnotherSizeOrAnEarlyMarkerIsRefusedNamingTheField() throws Exception {
        BigStateDevice small = new BigStateDevice("big0", SIZE / 2, 0, 4);
        try {
            source.setup(out);
            small.loadSetup(LoadContext.NONE);
            MigrationException size = assertThrows(MigrationException.class,
                    () -> small.load(new Section(SectionType.START, 1, ByteBuffer.wrap(payloads.getFirst()))));
            assertEquals("field size: the stream's device has 2097152 bytes of memory, this one 1048576 (give both the same size=)",
                    size.getMessage());
        } finally {
            small.close();
        }
        destination.loadSetup(LoadContext.NONE);
        MigrationException early = assertThrows(MigrationException.class,
                () -> destination.load(new Section(SectionType.PART, 1, ByteBuffer.wrap(new byte[] {BigStateMigration.INIT_DATA_SENT}))));
        assertEquals("record INIT_DATA_SENT: the initial data ended after 0 of 512 blocks", early.getMessage());
        MigrationException tag = assertThrows(MigrationException.class,
                () -> destination.load(new Section(SectionType.PART, 1, ByteBuffer.wrap(new byte[] {9}))));
        assertEquals("record at payload byte 0: field tag is 9, expected 1 (initial), 2 (dirty), 3 (init-data-sent) or 4 (registers)",
                tag.getMessage());
    }

    private void deliver(SectionType type) throws MigrationException {
        destination.load(new Section(type, 1, ByteBuffer.wrap(payloads.removeFirst())));
    }

    private static void changeBlock(BigStateDevice device, int block) {
        device.region().handler().write(BigStateRegisters.BLOCK, block, 4);
        device.region().handler().write(BigStateRegisters.DATA, 0xABCD_0000L + block, 8);
    }

    private static boolean indexRight(BigStateDevice device) {
        for (int block = 0; block < device.blocks(); block++) {
            if (!device.index().verify(device.memory(), block)) {
                return false;
            }
        }
        return true;
    }

    private static long time(Runnable work) {
        long start = System.nanoTime();
        work.run();
        return System.nanoTime() - start;
    }

    private static FakeDeviceContext board() {
        return new FakeDeviceContext(new DevicePlacement(0x102000, 0x1000, List.of(), 1));
    }

    static long millis(long nanos) {
        return TimeUnit.NANOSECONDS.toMillis(nanos);
    }
}
