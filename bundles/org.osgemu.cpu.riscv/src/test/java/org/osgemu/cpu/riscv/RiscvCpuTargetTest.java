package org.osgemu.cpu.riscv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.osgemu.api.cpu.Cpu;
import org.osgemu.api.vmstate.Migratable;
import org.osgemu.cpu.riscv.testing.TestMachine;

/** The CpuTarget service contract. */
class RiscvCpuTargetTest {

    private final RiscvCpuTarget target = new RiscvCpuTarget();
    private final TestMachine machine = new TestMachine();

    @Test
    void describesItself() {
        assertEquals("riscv64", target.architecture());
        assertEquals("rv64imafdc_zicsr_zifencei_sstc", target.isaString());
    }

    @Test
    void createsMigratableHartsAtTheResetVector() {
        Cpu cpu = target.createCpu(3, machine);
        assertEquals(3, cpu.index());
        assertEquals(machine.resetVector(), cpu.pc());
        assertEquals(0, cpu.instructionsRetired());
        assertInstanceOf(Migratable.class, cpu);
        assertEquals(3L, cpu.registers().get("mhartid"));
    }

    @Test
    void registersAreListedPcFirstThenByAbiName() {
        Cpu cpu = target.createCpu(0, machine);
        List<String> names = List.copyOf(cpu.registers().keySet());
        assertEquals(List.of("pc", "zero", "ra", "sp", "gp", "tp", "t0", "t1", "t2", "s0", "s1", "a0"),
                names.subList(0, 12));
        assertTrue(names.containsAll(List.of("t6", "priv", "mstatus", "mcause", "mepc", "mtval", "mtvec", "satp")));
        assertEquals(3L, cpu.registers().get("priv"), "reset is in M-mode");
    }

    @Test
    void badArgumentsAreRefusedWithTheValue() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> target.createCpu(-1, machine));
        assertTrue(e.getMessage().contains("-1"), e.getMessage());
        assertThrows(NullPointerException.class, () -> target.createCpu(0, null));
    }

    @Test
    void resetReturnsToTheResetVectorInMachineMode() {
        Cpu cpu = target.createCpu(0, machine);
        cpu.execute(10);
        cpu.reset();
        assertEquals(machine.resetVector(), cpu.pc());
        assertEquals(0, cpu.instructionsRetired());
        assertEquals(0L, cpu.registers().get("mstatus") & 0x8);
    }
}
