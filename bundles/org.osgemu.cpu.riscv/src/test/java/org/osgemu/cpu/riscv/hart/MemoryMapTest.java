package org.osgemu.cpu.riscv.hart;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.osgemu.cpu.riscv.hart.Csr.*;
import static org.osgemu.cpu.riscv.testing.Asm.*;

import java.lang.foreign.ValueLayout;

import org.junit.jupiter.api.Test;
import org.osgemu.api.memory.MemoryRegion;
import org.osgemu.cpu.riscv.testing.Asm;
import org.osgemu.cpu.riscv.testing.HartTest;
import org.osgemu.cpu.riscv.testing.TestMachine;
import org.osgemu.cpu.riscv.testing.TestRam;

/** The hart follows changes of the memory map, and fetches instructions that straddle boundaries. */
class MemoryMapTest extends HartTest {

    private static final long EXTRA = 0x9000_0000L;

    @Test
    void ramMappedOrUnmappedBetweenRunsIsSeen() {
        // the loop reads EXTRA into a0; the trap handler counts faults in a2 and resumes the loop
        Asm a = program().li(S0, EXTRA)
                .label("loop").ld(A0, 0, S0).j("loop");
        a.label("m_trap").addi(A2, A2, 1).la(T0, "loop").csrw(MEPC, T0).mret();
        hart = machine.load(a);
        hart.execute(100);
        assertEquals(TrapCause.LOAD_ACCESS_FAULT, reg("mcause"), "nothing is mapped at EXTRA yet");
        long faults = x(A2);

        TestRam extra = new TestRam("extra", 0x1000);
        extra.segment().set(ValueLayout.JAVA_LONG, 0, 0x1234);
        machine.bus.map(EXTRA, MemoryRegion.ram("extra", extra));
        hart.execute(100);
        assertEquals(0x1234, x(A0));
        long faultsWhileMapped = x(A2) - faults;
        hart.execute(100);
        assertEquals(faults + faultsWhileMapped, x(A2), "no more faults once mapped");

        machine.bus.unmap(EXTRA);
        hart.execute(100);
        assertEquals(true, x(A2) > faults + faultsWhileMapped, "faults again once unmapped");
    }

    @Test
    void aThirtyTwoBitInstructionMayStraddleAPageBoundary() {
        Asm a = program().j("far");
        while ((a.here() & 0xFFF) != 0xFFE) {
            a.c_nop();
        }
        a.label("far").li(A0, 1234).wfi();   // this addi straddles the page boundary
        run(a);
        assertEquals(1234, x(A0));
    }

    @Test
    void fetchRunningOffTheEndOfRamFaultsOnTheSecondHalf() {
        long last = TestMachine.RAM_BASE + TestMachine.RAM_SIZE - 2;
        machine.writeRam(last, 0x0513, 2);                 // low half of "addi a0, zero, ..."
        Asm a = program().li(T0, last).jalr(ZERO, T0, 0).wfi();
        runToTrap(a, TrapCause.INSTRUCTION_ACCESS_FAULT);
        assertEquals(last, reg("mepc"));
        assertEquals(last + 2, reg("mtval"));
    }

    @Test
    void storesIntoMmioFromTheCpuReachTheDeviceOncePerStore() {
        run(program().li(S0, TestMachine.MMIO_BASE).li(A0, 7).sw(A0, 0, S0).sw(A0, 4, S0).sd(A0, 8, S0).wfi());
        assertEquals(3, machine.mmioWrites.get());
        assertEquals(0x7_0000_0007L, machine.mmioRegisters[0]);
    }
}
