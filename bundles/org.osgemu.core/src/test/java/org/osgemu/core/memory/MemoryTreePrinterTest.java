package org.osgemu.core.memory;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.osgemu.api.memory.AccessRules;
import org.osgemu.api.memory.MemoryRegion;

class MemoryTreePrinterTest {

    private final CoreMemorySystem memorySystem = new CoreMemorySystem();
    private final MemoryRegion system = MemoryRegion.container("system", -1L);

    @AfterEach
    void freeRam() {
        memorySystem.deactivate();
    }

    private void buildVirtLikeBoard() {
        system.addSubregion(0x8000_0000L, MemoryRegion.ram("riscv.virt.ram", memorySystem.allocateRam("riscv.virt.ram", 0x800_0000)));
        system.addSubregion(0x0200_0000L, MemoryRegion.mmio("riscv.aclint", 0x10000, new RecordingMmio(), AccessRules.ANY));
        system.addSubregion(0x1000, MemoryRegion.rom("riscv.virt.mrom", memorySystem.allocateRam("riscv.virt.mrom", 0x1000)));
    }

    @Test
    void treeIsLaidOutAsInfoMtreeSortedByAddress() {
        buildVirtLikeBoard();

        String text = memorySystem.describeTree(memorySystem.createAddressSpace("memory", system), false);

        assertEquals("""
                address-space: memory
                  0000000000000000-ffffffffffffffff (prio 0, i/o): system
                    0000000000001000-0000000000001fff (prio 0, rom): riscv.virt.mrom
                    0000000002000000-000000000200ffff (prio 0, i/o): riscv.aclint
                    0000000080000000-0000000087ffffff (prio 0, ram): riscv.virt.ram

                """, text);
    }

    @Test
    void containersAliasesAndTheirTargetsAreShown() {
        MemoryRegion dram = MemoryRegion.ram("dram", memorySystem.allocateRam("dram", 0x10000));
        MemoryRegion bus = MemoryRegion.container("bus", 0x1000);
        bus.addSubregion(0x100, MemoryRegion.mmio("uart", 0x100, new RecordingMmio(), AccessRules.ANY), 2);
        MemoryRegion hidden = MemoryRegion.mmio("hidden", 0x100, new RecordingMmio(), AccessRules.ANY);
        bus.addSubregion(0x200, hidden);
        hidden.setEnabled(false);
        system.addSubregion(0x1000_0000L, bus, 1);
        system.addSubregion(0, MemoryRegion.alias("dram-low", dram, 0x8000, 0x1000));

        String text = memorySystem.describeTree(memorySystem.createAddressSpace("memory", system), false);

        assertEquals("""
                address-space: memory
                  0000000000000000-ffffffffffffffff (prio 0, i/o): system
                    0000000000000000-0000000000000fff (prio 0, ram): alias dram-low @dram 0000000000008000-0000000000008fff
                    0000000010000000-0000000010000fff (prio 1, container): bus
                      0000000010000100-00000000100001ff (prio 2, i/o): uart

                memory-region: dram
                  0000000000000000-000000000000ffff (prio 0, ram): dram

                """, text);
    }

    @Test
    void flatViewIsLaidOutAsInfoMtreeF() {
        buildVirtLikeBoard();
        MemoryRegion dram = MemoryRegion.ram("dram", memorySystem.allocateRam("dram", 0x10000));
        system.addSubregion(0x3000_0000L, MemoryRegion.alias("dram-hi", dram, 0x8000, 0x1000), 3);

        String text = memorySystem.describeTree(memorySystem.createAddressSpace("memory", system), true);

        assertEquals("""
                FlatView #0
                 AS "memory", root: system
                 Root memory region: system
                  0000000000001000-0000000000001fff (prio 0, rom): riscv.virt.mrom
                  0000000002000000-000000000200ffff (prio 0, i/o): riscv.aclint
                  0000000030000000-0000000030000fff (prio 0, ram): dram @0000000000008000
                  0000000080000000-0000000087ffffff (prio 0, ram): riscv.virt.ram

                """, text);
    }

    @Test
    void emptyViewSaysSo() {
        String text = memorySystem.describeTree(memorySystem.createAddressSpace("memory", system), true);

        assertEquals("""
                FlatView #0
                 AS "memory", root: system
                 Root memory region: system
                  No rendered FlatView

                """, text);
    }
}
