package org.osgemu.cpu.riscv.hart;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.osgemu.cpu.riscv.hart.Csr.*;
import static org.osgemu.cpu.riscv.testing.Asm.*;

import org.junit.jupiter.api.Test;
import org.osgemu.api.cpu.Cpu.ExitReason;
import org.osgemu.cpu.riscv.testing.Asm;
import org.osgemu.cpu.riscv.testing.HartTest;
import org.osgemu.cpu.riscv.testing.TestMachine;

/**
 * Instructions are decoded once per physical page and kept until FENCE.I: code that another
 * agent (a DMA transfer, another hart, the board) writes is run after the hart's FENCE.I, and
 * instructions that straddle pages are decoded where they are.
 */
class CodeCacheTest extends HartTest {

    @Test
    void codeAnotherAgentWroteRunsAfterFenceI() {
        // Run "patched" once, stop in WFI, let the test (standing for DMA) rewrite it, wake the
        // hart with a software interrupt it does not take (MIE is clear), fence and run it again.
        Asm a = program()
                .li(T0, 1L << IRQ_M_SOFT).csrw(MIE, T0)
                .jal(RA, "patched").mv(S1, A0)
                .wfi()
                .fence_i()
                .jal(RA, "patched")
                .csrw(MIE, ZERO) // so that the raised line no longer ends WFI
                .wfi()
                .label("patched").addi(A0, ZERO, 1).jalr(ZERO, RA, 0);
        hart = loadProgram(a);
        assertEquals(ExitReason.WAIT_FOR_INTERRUPT, hart.execute(10_000));
        assertEquals(1, x(S1));

        machine.writeRam(a.address("patched"), 0x00200513, 4); // addi a0, zero, 2
        hart.interruptLine(IRQ_M_SOFT).raise();
        assertEquals(ExitReason.WAIT_FOR_INTERRUPT, hart.execute(10_000));
        assertEquals(2, x(A0), "after FENCE.I the hart runs what memory holds now");
    }

    @Test
    void aFourByteInstructionAcrossAPageBoundaryRuns() {
        Asm a = program().li(A0, 0).j("straddler");
        long page = TestMachine.RAM_BASE + 0x1000;
        while (a.here() < page - 4) {
            a.nop();
        }
        a.c_nop().label("straddler").addi(A0, A0, 1234).addi(A0, A0, 1).wfi();
        run(a);
        assertEquals(page - 2, a.address("straddler"));
        assertEquals(1235, x(A0));
    }

    @Test
    void anIllegalInstructionAcrossAPageBoundaryReportsItsBits() {
        Asm a = program().j("straddler");
        long page = TestMachine.RAM_BASE + 0x2000;
        while (a.here() < page - 4) {
            a.nop();
        }
        a.c_nop().label("straddler").word(0xFFFF_FFFF).wfi();
        runToTrap(a, TrapCause.ILLEGAL_INSTRUCTION);
        assertEquals(a.address("straddler"), reg("mepc"));
        assertEquals(0xFFFF_FFFFL, reg("mtval"));
    }

    @Test
    void remappingTheCodePageRunsTheNewPagesCode() {
        // Sv39 maps virtual 0xC000_0000 to one of two physical pages holding different code; the
        // hart runs it, switches the mapping (satp write plus SFENCE.VMA) and runs it again.
        long root = TestMachine.RAM_BASE + 0x40000;
        long l1 = root + 0x1000;
        long l0 = root + 0x2000;
        long codeA = TestMachine.RAM_BASE + 0x50000;
        long codeB = TestMachine.RAM_BASE + 0x51000;
        long pteFlags = 1 | 2 | 4 | 8 | 64 | 128; // V R W X A D
        machine.writeRam(root + 8 * 2, (TestMachine.RAM_BASE >>> 12) << 10 | pteFlags, 8); // code identity-mapped
        machine.writeRam(root + 8 * 3, (l1 >>> 12) << 10 | 1, 8);
        machine.writeRam(l1, (l0 >>> 12) << 10 | 1, 8);
        machine.writeRam(l0, (codeA >>> 12) << 10 | pteFlags, 8);
        machine.writeRam(codeA, 0x00700513, 4); // addi a0, zero, 7
        machine.writeRam(codeA + 4, 0x00008067, 4); // ret
        machine.writeRam(codeB, 0x00900513, 4); // addi a0, zero, 9
        machine.writeRam(codeB + 4, 0x00008067, 4);
        Asm a = dropTo(program().li(T0, (8L << 60) | (root >>> 12)).csrw(SATP, T0), PRIV_S)
                .li(S0, 0xC000_0000L).jalr(RA, S0, 0).mv(S1, A0)
                .li(T0, l0).li(T1, (codeB >>> 12) << 10 | pteFlags).sd(T1, 0, T0)
                .sfence_vma(ZERO, ZERO)
                .jalr(RA, S0, 0)
                .wfi();
        run(a);
        assertEquals(7, x(S1));
        assertEquals(9, x(A0));
    }
}
