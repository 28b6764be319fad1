package org.osgemu.core.memory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.osgemu.api.memory.AccessRules;
import org.osgemu.api.memory.FlatRange;
import org.osgemu.api.memory.FlatView;
import org.osgemu.api.memory.MemoryRegion;

class FlatViewRenderingTest {

    private final RamAllocator allocator = new RamAllocator("test");
    private final MemoryRegion system = MemoryRegion.container("system", -1L);
    private final DispatchingAddressSpace space = new DispatchingAddressSpace("memory", system);

    @AfterEach
    void freeRam() {
        space.close();
        allocator.close();
    }

    private MemoryRegion ram(String name, long size) {
        return MemoryRegion.ram(name, allocator.allocate(name, size));
    }

    private static MemoryRegion mmio(String name, long size) {
        return MemoryRegion.mmio(name, size, new RecordingMmio(), AccessRules.ANY);
    }

    /** The view as "start-end name@offset" strings, easy to compare whole. */
    private List<String> layout() {
        return space.flatView().ranges().stream()
                .map(r -> String.format("%x-%x %s@%x%s", r.start(), r.end(), r.region().name(), r.offsetInRegion(),
                        r.readOnly() ? " ro" : ""))
                .toList();
    }

    @Test
    void higherPriorityWinsWhereRegionsOverlap() {
        system.addSubregion(0x1000, ram("low", 0x4000), 0);
        system.addSubregion(0x2000, mmio("high", 0x1000), 1);

        assertEquals(List.of("1000-1fff low@0", "2000-2fff high@0", "3000-4fff low@2000"), layout());
    }

    @Test
    void lowerPriorityAddedLaterStaysUnderneath() {
        system.addSubregion(0x2000, mmio("high", 0x1000), 5);
        system.addSubregion(0x1000, ram("low", 0x4000), 0);

        assertEquals(List.of("1000-1fff low@0", "2000-2fff high@0", "3000-4fff low@2000"), layout());
    }

    @Test
    void atEqualPriorityTheLaterAddedRegionWins() {
        system.addSubregion(0x1000, mmio("first", 0x2000));
        system.addSubregion(0x2000, mmio("second", 0x2000));

        assertEquals(List.of("1000-1fff first@0", "2000-3fff second@0"), layout());
    }

    @Test
    void priorityOnlyCountsAmongSiblings() {
        // A container with low priority hides a high-priority child behind its sibling.
        MemoryRegion bus = MemoryRegion.container("bus", 0x2000);
        bus.addSubregion(0, mmio("inner", 0x2000), 100);
        system.addSubregion(0x10000, bus, 0);
        system.addSubregion(0x11000, mmio("sibling", 0x1000), 1);

        assertEquals(List.of("10000-10fff inner@0", "11000-11fff sibling@0"), layout());
    }

    @Test
    void aliasShowsItsTargetAtAnOffset() {
        MemoryRegion dram = ram("dram", 0x10000);
        system.addSubregion(0x8000_0000L, dram);
        system.addSubregion(0x1000, MemoryRegion.alias("dram-low", dram, 0x8000, 0x2000));

        FlatView view = space.flatView();
        assertEquals(List.of("1000-2fff dram@8000", "80000000-8000ffff dram@0"), layout());
        assertSame(dram, view.lookup(0x1800).region());
    }

    @Test
    void aliasOfAContainerClipsItsSubregions() {
        MemoryRegion window = MemoryRegion.container("window", 0x10000);
        window.addSubregion(0x0000, mmio("a", 0x1000));
        window.addSubregion(0x3000, mmio("b", 0x1000));
        system.addSubregion(0x4000_0000L, MemoryRegion.alias("win-alias", window, 0x800, 0x3000));

        assertEquals(List.of("40000000-400007ff a@800", "40002800-40002fff b@0"), layout());
    }

    @Test
    void disabledRegionIsAbsentAndComesBack() {
        MemoryRegion over = mmio("over", 0x1000);
        system.addSubregion(0x1000, ram("under", 0x2000));
        system.addSubregion(0x1000, over, 1);
        over.setEnabled(false);

        assertEquals(List.of("1000-2fff under@0"), layout());

        over.setEnabled(true);
        assertEquals(List.of("1000-1fff over@0", "2000-2fff under@1000"), layout());
    }

    @Test
    void removingARegionUncoversWhatWasBelowAndLeavesHoles() {
        MemoryRegion over = mmio("over", 0x1000);
        MemoryRegion lone = mmio("lone", 0x1000);
        system.addSubregion(0x1000, ram("under", 0x2000));
        system.addSubregion(0x1000, over, 1);
        system.addSubregion(0x9000, lone);

        system.removeSubregion(over);
        system.removeSubregion(lone);

        assertEquals(List.of("1000-2fff under@0"), layout());
        assertNull(space.flatView().lookup(0x9000));
    }

    @Test
    void changeInANestedContainerRebuildsTheViewAsANewObject() {
        MemoryRegion bus = MemoryRegion.container("bus", 0x10000);
        system.addSubregion(0x10000, bus);
        FlatView before = space.flatView();

        bus.addSubregion(0x100, mmio("dev", 0x100));

        assertNotSame(before, space.flatView());
        assertEquals(List.of("10100-101ff dev@0"), layout());
        assertTrue(before.ranges().isEmpty(), "an old view never changes");
    }

    @Test
    void romRangesAreReadOnly() {
        system.addSubregion(0x1000, MemoryRegion.rom("mrom", allocator.allocate("mrom", 0x1000)));

        FlatRange range = space.flatView().lookup(0x1000);
        assertTrue(range.readOnly());
        assertEquals(List.of("1000-1fff mrom@0 ro"), layout());
    }

    @Test
    void lookupWorksNearTheTopOfTheAddressSpace() {
        MemoryRegion top = MemoryRegion.container("top", -1L);
        top.addSubregion(0x7fff_ffff_ffff_0000L, mmio("high-dev", 0x1000));
        system.addSubregion(0, top);

        assertEquals("high-dev", space.flatView().lookup(0x7fff_ffff_ffff_0fffL).region().name());
        assertNull(space.flatView().lookup(0x7fff_ffff_ffff_1000L));
        assertNull(space.flatView().lookup(0xffff_ffff_ffff_ffffL));
    }
}
