package org.osgemu.cpu.riscv.hart;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.osgemu.cpu.riscv.testing.Asm.*;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;

import org.junit.jupiter.api.Test;
import org.osgemu.api.cpu.Cpu.ExitReason;
import org.osgemu.cpu.riscv.testing.Asm;
import org.osgemu.cpu.riscv.testing.HartTest;
import org.osgemu.cpu.riscv.testing.TestMachine;

/** The A extension: each AMO, LR/SC, their traps, and atomicity across harts on host threads. */
class Rv64aTest extends HartTest {

    @Test
    void wordAmosReturnTheOldValueSignExtendedAndCombine() {
        // memory word i starts at -8 (0xFFFF_FFF8); the source is 5
        Asm a = program().li(S0, DATA).li(A1, 5).li(T0, -8);
        for (int i = 0; i < 9; i++) {
            a.sw(T0, 4 * i, S0);
        }
        a.amoswap_w(S1, A1, S0).addi(S0, S0, 4)
                .amoadd_w(S2, A1, S0).addi(S0, S0, 4)
                .amoxor_w(S3, A1, S0).addi(S0, S0, 4)
                .amoand_w(S4, A1, S0).addi(S0, S0, 4)
                .amoor_w(S5, A1, S0).addi(S0, S0, 4)
                .amomin_w(S6, A1, S0).addi(S0, S0, 4)
                .amomax_w(S7, A1, S0).addi(S0, S0, 4)
                .amominu_w(S8, A1, S0).addi(S0, S0, 4)
                .amomaxu_w(S9, A1, S0)
                .wfi();
        run(a);
        for (int r : new int[] {S1, S2, S3, S4, S5, S6, S7, S8, S9}) {
            assertEquals(-8, x(r), HartTest.ABI[r]);
        }
        long[] expected = {5, -3, -8 ^ 5, -8 & 5, -8 | 5, -8, 5, 5, -8};
        for (int i = 0; i < expected.length; i++) {
            assertEquals((int) expected[i], (int) machine.readRam(DATA + 4 * i, 4), "word " + i);
        }
    }

    @Test
    void doublewordAmos() {
        Asm a = program().li(S0, DATA).li(A1, 5).li(T0, -8);
        for (int i = 0; i < 9; i++) {
            a.sd(T0, 8 * i, S0);
        }
        a.amoswap_d(S1, A1, S0).addi(S0, S0, 8)
                .amoadd_d(S2, A1, S0).addi(S0, S0, 8)
                .amoxor_d(S3, A1, S0).addi(S0, S0, 8)
                .amoand_d(S4, A1, S0).addi(S0, S0, 8)
                .amoor_d(S5, A1, S0).addi(S0, S0, 8)
                .amomin_d(S6, A1, S0).addi(S0, S0, 8)
                .amomax_d(S7, A1, S0).addi(S0, S0, 8)
                .amominu_d(S8, A1, S0).addi(S0, S0, 8)
                .amomaxu_d(S9, A1, S0)
                .wfi();
        run(a);
        for (int r : new int[] {S1, S2, S3, S4, S5, S6, S7, S8, S9}) {
            assertEquals(-8, x(r), HartTest.ABI[r]);
        }
        long[] expected = {5, -3, -8 ^ 5, -8 & 5, -8 | 5, -8, 5, 5, -8};
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], machine.readRam(DATA + 8 * i, 8), "doubleword " + i);
        }
    }

    @Test
    void loadReservedThenStoreConditionalSucceedsOnce() {
        machine.writeRam(DATA, 0xFFFF_FFF0L, 4);
        machine.writeRam(DATA + 8, 40, 8);
        run(program().li(S0, DATA).li(A1, 7).li(S1, DATA + 8)
                .lr_w(A0, S0).sc_w(A2, A1, S0)
                .sc_w(A3, A1, S0)                 // reservation already used
                .lr_d(A4, S1).addi(A4, A4, 2).sc_d(A5, A4, S1)
                .wfi());
        assertEquals(0xFFFF_FFFF_FFFF_FFF0L, x(A0));
        assertEquals(0, x(A2));
        assertEquals(1, x(A3));
        assertEquals(0, x(A5));
        assertEquals(7, machine.readRam(DATA, 4));
        assertEquals(42, machine.readRam(DATA + 8, 8));
    }

    @Test
    void storeConditionalFailsForAnotherAddressOrAfterATrap() {
        Asm a = program().li(S0, DATA).li(S1, DATA + 8).li(A1, 9)
                .lr_d(A0, S0).sc_d(A2, A1, S1)     // different address
                .lr_d(A0, S0).ecall()              // the trap drops the reservation
                .wfi();
        // the handler returns to "after", which tries the SC
        a.label("m_trap").la(T0, "after").csrw(Csr.MEPC, T0).mret()
                .label("after").sc_d(A3, A1, S0).wfi();
        hart = machine.load(a);
        assertEquals(ExitReason.WAIT_FOR_INTERRUPT, hart.execute(10_000));
        assertEquals(1, x(A2));
        assertEquals(1, x(A3));
        assertEquals(0, machine.readRam(DATA, 8));
        assertEquals(0, machine.readRam(DATA + 8, 8));
    }

    @Test
    void storeConditionalFailsWhenMemoryChangedSinceTheLoadReserved() {
        run(program().li(S0, DATA).li(A1, 9).li(A2, 3)
                .lr_w(A0, S0).sw(A2, 0, S0).sc_w(A3, A1, S0)
                .wfi());
        assertEquals(1, x(A3));
        assertEquals(3, machine.readRam(DATA, 4));
    }

    @Test
    void misalignedAtomicsRaiseAddressMisaligned() {
        runToTrap(program().li(S0, DATA + 4).amoadd_d(A0, A1, S0).wfi(), TrapCause.STORE_MISALIGNED);
        assertEquals(DATA + 4, reg("mtval"));
    }

    @Test
    void misalignedLoadReservedRaisesLoadMisaligned() {
        runToTrap(program().li(S0, DATA + 2).lr_w(A0, S0).wfi(), TrapCause.LOAD_MISALIGNED);
        assertEquals(DATA + 2, reg("mtval"));
    }

    @Test
    void atomicsOutsideRamAreAccessFaults() {
        runToTrap(program().li(S0, TestMachine.MMIO_BASE).amoswap_w(A0, A1, S0).wfi(), TrapCause.STORE_ACCESS_FAULT);
        assertEquals(TestMachine.MMIO_BASE, reg("mtval"));
        runToTrapFresh(p -> p.li(S0, TestMachine.ROM_BASE).sc_w(A0, A1, S0).wfi(), TrapCause.STORE_ACCESS_FAULT);
        runToTrapFresh(p -> p.li(S0, TestMachine.MMIO_BASE).lr_d(A0, S0).wfi(), TrapCause.LOAD_ACCESS_FAULT);
    }

    private void runToTrapFresh(Consumer<Asm> body, long cause) {
        Asm a = program();
        body.accept(a);
        runToTrap(a, cause);
    }

    // ---- two harts on two threads -------------------------------------------------------

    private static final int ITERATIONS = 200_000;

    /** Starts two harts on the same RAM, each at its own copy of the code, and waits for both to reach WFI. */
    private void runOnTwoHarts(Consumer<Asm> body) throws Exception {
        List<Callable<ExitReason>> harts = new ArrayList<>();
        CyclicBarrier start = new CyclicBarrier(2);
        for (int id = 0; id < 2; id++) {
            Asm a = new Asm(TestMachine.RAM_BASE + 0x4000L * id);
            body.accept(a);
            a.wfi();
            byte[] code = a.assemble();
            machine.bus.loadBytes(a.origin(), code, 0, code.length);
            RiscvHart h = new RiscvHart(id, machine);
            h.loadState(withPc(h.saveState(), a.origin()));
            harts.add(() -> {
                start.await();
                ExitReason r = ExitReason.BUDGET;
                for (int slice = 0; slice < 10_000 && r == ExitReason.BUDGET; slice++) {
                    r = h.execute(100_000);
                }
                return r;
            });
        }
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            for (Future<ExitReason> f : pool.invokeAll(harts)) {
                assertEquals(ExitReason.WAIT_FOR_INTERRUPT, f.get());
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private static RiscvCpuState withPc(RiscvCpuState s, long pc) {
        return new RiscvCpuState(pc, s.priv(), s.x(), s.mstatus(), s.misa(), s.medeleg(), s.mideleg(), s.mie(),
                s.mip(), s.interruptLines(), s.mtvec(), s.mscratch(), s.mepc(), s.mcause(), s.mtval(),
                s.mcounteren(), s.mcountinhibit(), s.menvcfg(), s.stvec(), s.sscratch(), s.sepc(), s.scause(),
                s.stval(), s.scounteren(), s.senvcfg(), s.satp(), s.mcycle(), s.minstret(), s.pmpcfg(),
                s.pmpaddr(), s.waitingForInterrupt(), s.stimecmp(), s.f(), s.fcsr());
    }

    @Test
    void amoAddFromTwoHartsGivesExactTotals() throws Exception {
        runOnTwoHarts(a -> a.li(S0, DATA).li(S1, ITERATIONS).li(A1, 1).li(A2, 3)
                .label("loop")
                .amoadd_d(ZERO, A1, S0)
                .addi(T0, S0, 8).amoadd_w(ZERO, A2, T0)
                .addi(S1, S1, -1).bne(S1, ZERO, "loop"));
        assertEquals(2L * ITERATIONS, machine.readRam(DATA, 8));
        assertEquals(6L * ITERATIONS, machine.readRam(DATA + 8, 4));
    }

    @Test
    void lrScSpinLockProtectsAPlainCounter() throws Exception {
        // lock word at DATA, counter at DATA + 64 updated with plain loads and stores under the lock
        runOnTwoHarts(a -> a.li(S0, DATA).li(S2, DATA + 64).li(S1, ITERATIONS).li(A1, 1)
                .label("loop")
                .label("acquire").lr_w(T0, S0).bne(T0, ZERO, "acquire").sc_w(T1, A1, S0).bne(T1, ZERO, "acquire")
                .fence()
                .ld(T2, 0, S2).addi(T2, T2, 1).sd(T2, 0, S2)
                .fence()
                .sw(ZERO, 0, S0)
                .addi(S1, S1, -1).bne(S1, ZERO, "loop"));
        assertEquals(2L * ITERATIONS, machine.readRam(DATA + 64, 8));
        assertEquals(0, machine.readRam(DATA, 4));
    }

    @Test
    void lrScIncrementFromTwoHartsLosesNothing() throws Exception {
        runOnTwoHarts(a -> a.li(S0, DATA).li(S1, ITERATIONS)
                .label("loop")
                .label("retry").lr_d(T0, S0).addi(T0, T0, 1).sc_d(T1, T0, S0).bne(T1, ZERO, "retry")
                .addi(S1, S1, -1).bne(S1, ZERO, "loop"));
        assertEquals(2L * ITERATIONS, machine.readRam(DATA, 8));
    }
}
