package org.osgemu.core.machine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.osgemu.api.machine.MachineRuntime;
import org.osgemu.api.machine.RunState;
import org.osgemu.api.memory.MemoryRegion;

class MachineRuntimeFactoryTest {

    private final CoreMachineRuntimeFactory factory = new CoreMachineRuntimeFactory();

    @Test
    void newMachineHasASystemMemoryTreeAndAddressSpace() {
        MachineRuntime machine = factory.create("vm0", "virt");
        try {
            assertEquals(RunState.PRELAUNCH, machine.state());
            assertEquals("virt", machine.machineType());
            assertEquals("system", machine.systemMemory().name());
            assertEquals("memory", machine.memory().name());

            machine.systemMemory().addSubregion(0x8000_0000L,
                    MemoryRegion.ram("riscv.virt.ram", machine.allocateRam("riscv.virt.ram", 0x800_0000)));
            machine.memory().write(0x8000_0010L, 0x1234, 4);

            assertEquals(0x1234, machine.memory().read(0x8000_0010L, 4));
            assertTrue(machine.describeMemory(false).contains(
                    "    0000000080000000-0000000087ffffff (prio 0, ram): riscv.virt.ram\n"), machine.describeMemory(false));
            assertTrue(machine.describeMemory(true).contains(" Root memory region: system\n"));
        } finally {
            machine.destroy();
        }
    }

    @Test
    void machineNamesAreUniqueAmongLiveMachines() {
        MachineRuntime first = factory.create("vm0", "virt");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> factory.create("vm0", "virt"));
        assertTrue(e.getMessage().contains("vm0"), e.getMessage());

        first.destroy();
        MachineRuntime second = factory.create("vm0", "virt");
        assertNotSame(first, second);
        second.destroy();
        assertThrows(IllegalArgumentException.class, () -> factory.create(" ", "virt"));
    }

    @Test
    void stoppingTheFactoryDestroysItsMachines() throws InterruptedException {
        MachineRuntime machine = factory.create("vm1", "virt");
        machine.start(false);

        factory.deactivate();

        assertEquals(RunState.SHUTDOWN, machine.state());
        assertEquals(0, machine.awaitShutdown());
    }
}
