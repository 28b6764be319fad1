package org.osgemu.api.memory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

/** Building a region tree: placement checks, overlap order, change notification. */
class MemoryRegionTest {

    private static final MmioHandler NO_OP = new MmioHandler() {
        @Override public long read(long offset, int size) { return 0; }
        @Override public void write(long offset, long value, int size) { }
    };

    private static MemoryRegion mmio(String name, long size) {
        return MemoryRegion.mmio(name, size, NO_OP, AccessRules.sizes(4, 4));
    }

    @Test
    void eachFactoryMakesItsKind() {
        FakeRamBlock block = new FakeRamBlock("ram", 0x2000);
        MemoryRegion ram = MemoryRegion.ram("ram", block);
        MemoryRegion rom = MemoryRegion.rom("rom", block);
        MemoryRegion uart = mmio("uart", 0x100);
        MemoryRegion alias = MemoryRegion.alias("ram-hi", ram, 0x1000, 0x1000);

        assertEquals(MemoryRegion.Kind.RAM, ram.kind());
        assertEquals(0x2000, ram.size());
        assertSame(block, ram.ramBlock());
        assertEquals(MemoryRegion.Kind.ROM, rom.kind());
        assertEquals(MemoryRegion.Kind.MMIO, uart.kind());
        assertSame(NO_OP, uart.handler());
        assertEquals(AccessRules.sizes(4, 4), uart.rules());
        assertEquals(AccessRules.ANY, ram.rules());
        assertSame(ram, alias.aliasTarget());
        assertEquals(0x1000, alias.aliasOffset());
        assertEquals(Long.MAX_VALUE, MemoryRegion.container("system", -1L).size());
    }

    @Test
    void aRegionNeedsAPositiveSize() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> mmio("uart", 0));

        assertTrue(e.getMessage().contains("uart") && e.getMessage().contains("0"), e.getMessage());
    }

    @Test
    void anAliasMustLieInsideItsTarget() {
        MemoryRegion ram = MemoryRegion.ram("ram", new FakeRamBlock("ram", 0x2000));

        IllegalArgumentException past = assertThrows(IllegalArgumentException.class,
                () -> MemoryRegion.alias("hi", ram, 0x1800, 0x1000));
        IllegalArgumentException wraps = assertThrows(IllegalArgumentException.class,
                () -> MemoryRegion.alias("wrap", ram, 0x1000, Long.MAX_VALUE));

        assertTrue(past.getMessage().contains("hi") && past.getMessage().contains("ram"), past.getMessage());
        assertTrue(wraps.getMessage().contains("wrap"), wraps.getMessage());
    }

    @Test
    void aSubregionMustFitInItsContainer() {
        MemoryRegion bus = MemoryRegion.container("bus", 0x1000);

        bus.addSubregion(0xF00, mmio("last", 0x100)); // ends exactly at the container's end
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> bus.addSubregion(0xF80, mmio("over", 0x100)));
        assertThrows(IllegalArgumentException.class, () -> bus.addSubregion(0x1000, mmio("after", 0x4)));
        assertThrows(IllegalArgumentException.class, () -> bus.addSubregion(-4, mmio("before", 0x4)));

        assertTrue(e.getMessage().contains("over") && e.getMessage().contains("bus")
                && e.getMessage().contains("0xf80"), e.getMessage());
    }

    @Test
    void onlyContainersTakeSubregionsAndEachOnlyOnce() {
        MemoryRegion uart = mmio("uart", 0x100);
        MemoryRegion bus = MemoryRegion.container("bus", 0x1000);
        bus.addSubregion(0, uart);

        assertThrows(IllegalStateException.class, () -> uart.addSubregion(0, mmio("x", 4)));
        IllegalStateException twice = assertThrows(IllegalStateException.class, () -> bus.addSubregion(0x200, uart));
        assertTrue(twice.getMessage().contains("uart") && twice.getMessage().contains("bus"), twice.getMessage());
    }

    @Test
    void subregionsAreOrderedByPriorityThenLatestFirst() {
        MemoryRegion bus = MemoryRegion.container("bus", 0x10000);
        MemoryRegion low = mmio("low", 0x100);
        MemoryRegion first = mmio("first", 0x100);
        MemoryRegion second = mmio("second", 0x100);
        MemoryRegion high = mmio("high", 0x100);
        bus.addSubregion(0x0, low, -1);
        bus.addSubregion(0x0, first);
        bus.addSubregion(0x0, high, 5);
        bus.addSubregion(0x0, second);

        assertEquals(List.of("high", "second", "first", "low"),
                bus.subregions().stream().map(s -> s.region().name()).toList());
    }

    @Test
    void removingASubregionTakesItOutAndRemovingAStrangerDoesNothing() {
        MemoryRegion bus = MemoryRegion.container("bus", 0x1000);
        MemoryRegion uart = mmio("uart", 0x100);
        bus.addSubregion(0x100, uart);
        List<String> changes = new ArrayList<>();
        bus.addListener(() -> changes.add("bus"));

        bus.removeSubregion(mmio("stranger", 0x100));
        assertEquals(List.of(), changes);

        bus.removeSubregion(uart);
        assertEquals(List.of(), bus.subregions());
        assertEquals(List.of("bus"), changes);

        bus.addSubregion(0x100, uart); // free to be placed again
        assertEquals(1, bus.subregions().size());
    }

    @Test
    void aChangeIsReportedToEveryRegionAboveIt() {
        MemoryRegion system = MemoryRegion.container("system", -1L);
        MemoryRegion soc = MemoryRegion.container("soc", 0x1000_0000L);
        system.addSubregion(0x1000_0000L, soc);
        List<String> changes = new ArrayList<>();
        system.addListener(() -> changes.add("system"));
        soc.addListener(() -> changes.add("soc"));

        soc.addSubregion(0x0, mmio("uart", 0x100));

        assertEquals(List.of("soc", "system"), changes);
    }

    @Test
    void aChangeInsideAnAliasedRegionReachesWhereTheAliasIsMapped() {
        MemoryRegion system = MemoryRegion.container("system", -1L);
        MemoryRegion io = MemoryRegion.container("io", 0x1000);
        system.addSubregion(0x2000_0000L, MemoryRegion.alias("io-window", io, 0, 0x1000));
        List<String> changes = new ArrayList<>();
        system.addListener(() -> changes.add("system"));

        io.addSubregion(0x10, mmio("gpio", 0x10));

        assertEquals(List.of("system"), changes);
    }

    @Test
    void enablingIsReportedOnlyWhenItChanges() {
        MemoryRegion bus = MemoryRegion.container("bus", 0x1000);
        MemoryRegion uart = mmio("uart", 0x100);
        bus.addSubregion(0, uart);
        List<String> changes = new ArrayList<>();
        Runnable listener = () -> changes.add("bus");
        bus.addListener(listener);

        uart.setEnabled(true);
        assertEquals(List.of(), changes);
        uart.setEnabled(false);
        assertFalse(uart.isEnabled());
        assertEquals(List.of("bus"), changes);

        bus.removeListener(listener);
        uart.setEnabled(true);
        assertEquals(List.of("bus"), changes);
    }

    @Test
    void aCycleOfAliasesDoesNotNotifyForever() {
        MemoryRegion a = MemoryRegion.container("a", 0x1000);
        MemoryRegion b = MemoryRegion.container("b", 0x1000);
        a.addSubregion(0, MemoryRegion.alias("to-b", b, 0, 0x1000));
        b.addSubregion(0, MemoryRegion.alias("to-a", a, 0, 0x800));
        List<String> changes = new ArrayList<>();
        a.addListener(() -> changes.add("a"));
        b.addListener(() -> changes.add("b"));

        b.addSubregion(0x800, mmio("dev", 0x10));

        assertEquals(List.of("b", "a"), changes);
    }
}
