package org.osgemu.cpu.riscv.testing;

import static org.osgemu.cpu.riscv.testing.Asm.*;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;

import org.osgemu.api.clock.Clock;
import org.osgemu.api.cpu.CpuEnvironment;
import org.osgemu.api.memory.AddressSpace;
import org.osgemu.api.memory.DirtyClient;
import org.osgemu.api.memory.MemoryRegion;
import org.osgemu.api.memory.RamBlock;
import org.osgemu.cpu.riscv.hart.Csr;
import org.osgemu.cpu.riscv.hart.RiscvHart;

/**
 * Instructions per second of the interpreter, run by hand (not a test: timing on a shared
 * machine proves nothing by itself):
 * {@code java -cp target/classes:target/test-classes:<api jar> org.osgemu.cpu.riscv.testing.InterpreterBenchmark}.
 *
 * <p>Two loops: a tight counting loop in M-mode with Bare translation, and a loop of loads and
 * stores over 16 KiB in S-mode under Sv39 (every access goes through the TLB), and a U-mode loop
 * that makes a system call every few instructions (privilege changes must not cost the TLB). The RAM marks
 * dirty pages in a plain bitmap, as cheap as the core's, not through {@link TestRam}'s locks.
 */
public final class InterpreterBenchmark {

    private static final long ROOT = TestMachine.RAM_BASE + 0x40000;
    private static final long BUFFER = TestMachine.RAM_BASE + 0x80000;

    private InterpreterBenchmark() {
    }

    public static void main(String[] args) {
        double seconds = args.length > 0 ? Double.parseDouble(args[0]) : 3;
        for (int round = 0; round < 3; round++) {
            report("bare M-mode counting loop", bareLoop(), seconds);
            report("Sv39 S-mode load/store loop", translatedLoop(), seconds);
            report("Sv39 U-mode ecall/sret loop", systemCallLoop(), seconds);
        }
    }

    private static Asm bareLoop() {
        return new Asm(TestMachine.RAM_BASE)
                .li(A1, Long.MAX_VALUE)
                .label("loop").addi(A0, A0, 1).bne(A0, A1, "loop")
                .wfi();
    }

    /** Sv39 with the RAM identity-mapped by one gigapage; the loop walks a 16 KiB buffer. */
    private static Asm translatedLoop() {
        long pte = (TestMachine.RAM_BASE >>> 12) << 10 | 0xCF; // V R W X A D
        Asm a = new Asm(TestMachine.RAM_BASE)
                .li(T0, ROOT + 8 * 2).li(T1, pte).sd(T1, 0, T0)
                .li(T0, (8L << 60) | (ROOT >>> 12)).csrw(Csr.SATP, T0)
                .li(T0, 1L << 11).csrw(Csr.MSTATUS, T0)
                .la(T0, "supervisor").csrw(Csr.MEPC, T0).mret()
                .label("supervisor")
                .label("outer").li(S0, BUFFER).li(S1, BUFFER + 0x4000)
                .label("loop").ld(A0, 0, S0).addi(A0, A0, 1).sd(A0, 0, S0).lw(A1, 8, S0).sw(A1, 12, S0)
                .addi(S0, S0, 16).bne(S0, S1, "loop")
                .j("outer");
        return a;
    }

    /**
     * U-mode code (RAM seen through a user gigapage at 0xC000_0000) touches its data and makes an
     * ECALL, delegated to an S-mode handler that touches kernel data and returns with SRET.
     */
    private static Asm systemCallLoop() {
        long flags = 0xCF; // V R W X A D
        long userAlias = 0xC000_0000L - TestMachine.RAM_BASE;
        Asm a = new Asm(TestMachine.RAM_BASE)
                .li(T0, ROOT + 8 * 2).li(T1, (TestMachine.RAM_BASE >>> 12) << 10 | flags).sd(T1, 0, T0)
                .li(T0, ROOT + 8 * 3).li(T1, (TestMachine.RAM_BASE >>> 12) << 10 | flags | 0x10).sd(T1, 0, T0)
                .li(T0, (8L << 60) | (ROOT >>> 12)).csrw(Csr.SATP, T0)
                .li(T0, 1L << 8).csrw(Csr.MEDELEG, T0)
                .la(T0, "kernel").csrw(Csr.STVEC, T0)
                .li(S2, BUFFER).li(S0, BUFFER + 0x1000 + userAlias)
                .csrw(Csr.MSTATUS, ZERO) // MPP = U
                .la(T0, "user").li(T1, userAlias).add(T0, T0, T1).csrw(Csr.MEPC, T0).mret()
                .label("user").ld(A0, 0, S0).addi(A0, A0, 1).sd(A0, 0, S0).ld(A1, 64, S0).ecall()
                .j("user")
                .align(4).label("kernel").csrr(T0, Csr.SEPC).addi(T0, T0, 4).csrw(Csr.SEPC, T0)
                .ld(A2, 0, S2).addi(A2, A2, 1).sd(A2, 0, S2).sret();
        return a;
    }

    private static void report(String name, Asm program, double seconds) {
        BenchmarkMachine machine = new BenchmarkMachine();
        byte[] code = program.assemble();
        machine.bus.loadBytes(program.origin(), code, 0, code.length);
        RiscvHart hart = new RiscvHart(0, machine);
        hart.execute(5_000_000); // warm up the JIT
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long start = System.nanoTime();
        long cpuStart = threads.getCurrentThreadCpuTime();
        long before = hart.instructionsRetired();
        long deadline = start + (long) (seconds * 1e9);
        while (System.nanoTime() < deadline) {
            hart.execute(10_000_000);
        }
        long instructions = hart.instructionsRetired() - before;
        double elapsed = (System.nanoTime() - start) / 1e9;
        double cpu = (threads.getCurrentThreadCpuTime() - cpuStart) / 1e9;
        // CPU time leaves out the time other processes had the core: steadier on a shared machine.
        System.out.printf("%-30s %8.1f MIPS per CPU second, %8.1f per wall second%n", name,
                instructions / cpu / 1e6, instructions / elapsed / 1e6);
    }

    /** RAM whose dirty tracking is one unsynchronized bitmap (the benchmark has one thread). */
    private static final class BitmapRam implements RamBlock {
        private final MemorySegment segment = Arena.ofAuto().allocate(TestMachine.RAM_SIZE, PAGE_SIZE);
        private final long[] dirty = new long[(int) (TestMachine.RAM_SIZE / PAGE_SIZE / 64)];

        @Override public String name() { return "bench.ram"; }
        @Override public long size() { return segment.byteSize(); }
        @Override public MemorySegment segment() { return segment; }

        @Override
        public void markDirty(long offset, long length) {
            for (long page = offset / PAGE_SIZE; page <= (offset + length - 1) / PAGE_SIZE; page++) {
                long bit = 1L << page;
                int word = (int) (page >>> 6);
                if ((dirty[word] & bit) == 0) {
                    dirty[word] |= bit;
                }
            }
        }

        @Override public boolean isDirty(DirtyClient client, long offset) { return false; }
        @Override public boolean testAndClearDirty(DirtyClient client, long offset) { return false; }
        @Override public long dirtyPageCount(DirtyClient client) { return 0; }
    }

    /** One hart's environment: the bitmap RAM at the test machine's RAM address, a frozen clock. */
    private static final class BenchmarkMachine implements CpuEnvironment {
        final TestBus bus = new TestBus().map(TestMachine.RAM_BASE, MemoryRegion.ram("ram", new BitmapRam()));
        private final Clock clock = new TestMachine().virtualClock();

        @Override public AddressSpace addressSpace() { return bus; }
        @Override public Clock virtualClock() { return clock; }
        @Override public long timebaseHz() { return TestMachine.TIMEBASE_HZ; }
        @Override public long resetVector() { return TestMachine.RAM_BASE; }
        @Override public void wake() { }
    }
}
