package org.osgemu.cpu.riscv.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.Map;

import org.osgemu.api.cpu.Cpu.ExitReason;
import org.osgemu.cpu.riscv.hart.Csr;
import org.osgemu.cpu.riscv.hart.RiscvHart;

/**
 * Base of instruction tests: builds a program that starts by pointing mtvec at a handler that
 * only executes WFI, runs it until a WFI stops it, and tells whether it ended normally (at the
 * program's own final WFI) or in the trap handler.
 */
public abstract class HartTest {

    public static final String[] ABI = {
        "zero", "ra", "sp", "gp", "tp", "t0", "t1", "t2", "s0", "s1", "a0", "a1", "a2", "a3", "a4", "a5",
        "a6", "a7", "s2", "s3", "s4", "s5", "s6", "s7", "s8", "s9", "s10", "s11", "t3", "t4", "t5", "t6"};

    /** Where tests keep data: 64 KiB into RAM, away from code. */
    public static final long DATA = TestMachine.RAM_BASE + 0x10000;

    protected final TestMachine machine = new TestMachine();
    protected RiscvHart hart;
    private Asm program;

    /** A program whose first instructions set mtvec to the handler (clobbers t6). */
    protected Asm program() {
        program = new Asm(TestMachine.RAM_BASE);
        return program.la(Asm.T6, "m_trap").csrw(Csr.MTVEC, Asm.T6);
    }

    private int modeSwitches;

    /**
     * Emits code that switches from M-mode to privilege {@code priv} (0 = U, 1 = S) through
     * MRET and goes on with the next instruction; clobbers t5.
     */
    protected Asm dropTo(Asm a, int priv) {
        String next = "mode_switch_" + modeSwitches++;
        return a.li(Asm.T5, 3L << 11).csrrc(Asm.ZERO, Csr.MSTATUS, Asm.T5)
                .li(Asm.T5, (long) priv << 11).csrrs(Asm.ZERO, Csr.MSTATUS, Asm.T5)
                .la(Asm.T5, next).csrw(Csr.MEPC, Asm.T5).mret()
                .label(next);
    }

    /**
     * Appends the M-mode trap handler: it disables all interrupts in mie (a pending one would
     * keep WFI from waiting) and executes WFI.
     */
    protected static Asm appendHandler(Asm a) {
        return a.label("m_trap").csrw(Csr.MIE, Asm.ZERO).label("m_trap_wfi").wfi();
    }

    /** Whether the hart stopped in the handler of {@link #appendHandler}. */
    protected boolean inHandler(Asm a) {
        return hart.pc() == a.address("m_trap_wfi") + 4;
    }

    /** Appends the handler and loads the program into a new hart, without running it. */
    protected RiscvHart loadProgram(Asm a) {
        appendHandler(a);
        hart = machine.load(a);
        return hart;
    }

    /** Appends the handler, loads and runs the program until WFI; returns whether it trapped. */
    protected boolean execute(Asm a) {
        appendHandler(a);
        hart = machine.load(a);
        ExitReason r = hart.execute(1_000_000);
        assertEquals(ExitReason.WAIT_FOR_INTERRUPT, r, "program did not reach WFI; pc=0x" + Long.toHexString(hart.pc()));
        return inHandler(a);
    }

    /** Runs a program that must end at its own WFI. */
    protected void run(Asm a) {
        if (execute(a)) {
            Map<String, Long> r = hart.registers();
            fail(String.format("unexpected trap: mcause=%d mepc=0x%x mtval=0x%x", r.get("mcause"), r.get("mepc"),
                    r.get("mtval")));
        }
    }

    /** Runs a program that must end in the trap handler with {@code cause} (an exception). */
    protected void runToTrap(Asm a, long cause) {
        assertTrue(execute(a), "expected a trap with cause " + cause + "; program ended normally");
        assertEquals(cause, reg("mcause"), "mcause");
    }

    protected long x(int register) {
        return hart.registers().get(ABI[register]);
    }

    protected long reg(String name) {
        Long v = hart.registers().get(name);
        if (v == null) {
            throw new IllegalArgumentException("no register " + name);
        }
        return v;
    }
}
