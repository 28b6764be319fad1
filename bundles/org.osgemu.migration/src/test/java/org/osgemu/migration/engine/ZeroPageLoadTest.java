package org.osgemu.migration.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.osgemu.api.memory.DirtyClient;
import org.osgemu.api.memory.RamBlock;
import org.osgemu.api.migration.Section;
import org.osgemu.api.migration.SectionOutput;
import org.osgemu.api.migration.SectionType;
import org.osgemu.core.memory.RamAllocator;

/**
 * Zero pages at the destination: the load skips writing a page that is zero already (so RAM the
 * guest never touched stays unallocated), yet a page holding anything, even a single byte at its
 * very end, is cleared, and every page counts as received and changed.
 */
class ZeroPageLoadTest {

    private static final int PAGE = RamBlock.PAGE_SIZE;
    private final RamAllocator ram = new RamAllocator("test");

    @AfterEach
    void free() {
        ram.close();
    }

    @Test
    void zeroPagesClearWhatTheDestinationHeldAndLeaveZeroPagesZero() throws Exception {
        RamBlock source = ram.allocate("src", 4L * PAGE); // all zero: four zero-page records
        RamBlock target = ram.allocate("dst", 4L * PAGE);
        target.segment().set(ValueLayout.JAVA_BYTE, PAGE - 1, (byte) 0x7F); // page 0: only its last byte
        target.segment().set(ValueLayout.JAVA_BYTE, 2L * PAGE, (byte) 0x01); // page 2: only its first byte
        RamBlockHandler out = new RamBlockHandler(source, 0, HandlerSet.PRIORITY_RAM, new MigrationProgress(), () -> { });
        RamBlockHandler in = new RamBlockHandler(target, 0, HandlerSet.PRIORITY_RAM, new MigrationProgress(), () -> { });
        out.setup(discard());
        List<byte[]> payloads = new ArrayList<>();
        out.iterate(collect(payloads));
        assertEquals(4 * Long.BYTES, payloads.getFirst().length, "four zero-page markers, no page data");
        for (long page = 0; page < 4; page++) {
            target.testAndClearDirty(DirtyClient.MIGRATION, page * PAGE);
        }

        in.loadSetup();
        in.load(new Section(SectionType.END, 1, ByteBuffer.wrap(payloads.getFirst())));

        assertEquals(-1, source.segment().mismatch(target.segment()), "the destination's RAM is all zero");
        for (long page = 0; page < 4; page++) {
            assertTrue(target.isDirty(DirtyClient.MIGRATION, page * PAGE), "page " + page + " is marked changed");
        }
    }

    private static SectionOutput discard() {
        return collect(new ArrayList<>());
    }

    private static SectionOutput collect(List<byte[]> payloads) {
        return new SectionOutput() {
            @Override
            public int maxPayload() {
                return 1 << 20;
            }

            @Override
            public void send(byte[] payload) {
                payloads.add(payload.clone());
            }
        };
    }
}
