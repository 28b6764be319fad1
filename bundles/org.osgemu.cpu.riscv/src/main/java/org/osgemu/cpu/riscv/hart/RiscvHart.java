package org.osgemu.cpu.riscv.hart;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

import org.osgemu.api.cpu.Cpu;
import org.osgemu.api.cpu.CpuEnvironment;
import org.osgemu.api.irq.IrqLine;
import org.osgemu.api.vmstate.Migratable;
import org.osgemu.api.vmstate.VMStateDescription;
import org.osgemu.api.vmstate.VMStateException;

/**
 * One riscv64 hart (RV64IMAFDC, Zicsr, Zifencei; M, S and U modes; Bare, Sv39, Sv48 and Sv57
 * translation with 16-bit ASIDs; 16 PMP entries; Sstc), run by an interpreter over
 * decoded-once instructions.
 *
 * <p>Not modelled: the V/H extensions, Svpbmt, Svnapot, Svinval, Smepmp, hardware performance
 * events (the mhpm counters read zero), misaligned accesses in hardware (they trap), debug
 * mode and triggers.
 *
 * <p>Threads: one vCPU thread calls {@link #execute(long)}; interrupt lines, {@link #kick()}
 * and {@link #hasWork()} may be used from any thread; the state accessors only while the hart
 * is stopped.
 */
public final class RiscvHart implements Cpu, Migratable<RiscvCpuState> {

    private static final String[] ABI_NAMES = {
        "zero", "ra", "sp", "gp", "tp", "t0", "t1", "t2", "s0", "s1", "a0", "a1", "a2", "a3", "a4", "a5",
        "a6", "a7", "s2", "s3", "s4", "s5", "s6", "s7", "s8", "s9", "s10", "s11", "t3", "t4", "t5", "t6"};
    private static final String[] FP_ABI_NAMES = {
        "ft0", "ft1", "ft2", "ft3", "ft4", "ft5", "ft6", "ft7", "fs0", "fs1", "fa0", "fa1", "fa2", "fa3", "fa4", "fa5",
        "fa6", "fa7", "fs2", "fs3", "fs4", "fs5", "fs6", "fs7", "fs8", "fs9", "fs10", "fs11", "ft8", "ft9", "ft10",
        "ft11"};

    private final int hartId;
    private final CpuEnvironment env;
    private final CsrFile csr;
    private final PhysicalMemory memory;
    private final Mmu mmu;
    private final Interpreter interpreter;

    /** Creates hart {@code hartId} on {@code env} and resets it. */
    public RiscvHart(int hartId, CpuEnvironment env) {
        if (hartId < 0) {
            throw new IllegalArgumentException("riscv64 cpu: hart id must not be negative, got " + hartId);
        }
        this.hartId = hartId;
        this.env = Objects.requireNonNull(env, "env");
        RiscvTrap trap = new RiscvTrap();
        CsrFile.Listener hooks = new CsrFile.Listener() {
            @Override
            public void translationChanged() {
                RiscvHart.this.mmu.contextChanged();
            }

            @Override
            public void satpWritten() {
                RiscvHart.this.mmu.satpWritten();
            }

            @Override
            public void protectionChanged() {
                RiscvHart.this.mmu.flush();
            }

            @Override
            public void interruptsChanged() {
                RiscvHart.this.interpreter.attention = true;
            }
        };
        this.csr = new CsrFile(hartId, env, trap, hooks);
        this.memory = new PhysicalMemory(env.addressSpace(), () -> {
            RiscvHart.this.mmu.flush();
            RiscvHart.this.interpreter.codeChanged(); // decoded pages hold the old view's segments
        }, () -> RiscvHart.this.interpreter.kickRequested);
        this.mmu = new Mmu(csr, memory, csr.pmp, trap);
        Traps traps = new Traps(csr, trap, hooks, mmu::clearReservation);
        this.interpreter = new Interpreter(csr, mmu, memory, traps, trap, InstructionTrace.forHart(hartId));
        reset();
    }

    @Override
    public int index() {
        return hartId;
    }

    /** Power-on reset: M-mode at the reset vector, registers zero (privileged manual 3.4). */
    @Override
    public void reset() {
        Arrays.fill(interpreter.x, 0);
        interpreter.fpu.reset();
        interpreter.pc = env.resetVector();
        interpreter.waiting = false;
        csr.reset();
        mmu.flush();
        mmu.clearReservation();
        interpreter.codeChanged();
        interpreter.attention = true;
    }

    @Override
    public ExitReason execute(long maxInstructions) {
        memory.refresh();
        ExitReason reason = interpreter.run(maxInstructions);
        if (InstructionTrace.ENABLED && interpreter.trace != null) {
            interpreter.trace.flush();
        }
        return reason;
    }

    @Override
    public boolean hasWork() {
        return !interpreter.waiting || (csr.mip() & csr.mie) != 0;
    }

    @Override
    public void kick() {
        interpreter.kickRequested = true;
        interpreter.attention = true;
    }

    /** The line driving mip bit {@code number} (0..63): MSIP 3, MTIP 7, MEIP 11, SEIP 9 and so on. */
    @Override
    public IrqLine interruptLine(int number) {
        if (number < 0 || number > 63) {
            throw new IllegalArgumentException("riscv64 cpu " + hartId + ": interrupt line " + number
                    + " does not exist (mip has bits 0..63)");
        }
        long bit = 1L << number;
        return level -> {
            long old = level ? csr.interruptLines.getAndUpdate(v -> v | bit)
                    : csr.interruptLines.getAndUpdate(v -> v & ~bit);
            if (((old & bit) != 0) != level) {
                interpreter.attention = true;
                env.wake();
            }
        };
    }

    @Override
    public long pc() {
        return interpreter.pc;
    }

    @Override
    public Map<String, Long> registers() {
        Map<String, Long> r = new LinkedHashMap<>();
        r.put("pc", interpreter.pc);
        for (int i = 0; i < 32; i++) {
            r.put(ABI_NAMES[i], interpreter.x[i]);
        }
        r.put("priv", (long) csr.priv);
        r.put("mstatus", csr.mstatus);
        r.put("misa", csr.misa);
        r.put("mhartid", (long) hartId);
        r.put("mie", csr.mie);
        r.put("mip", csr.mip());
        r.put("medeleg", csr.medeleg);
        r.put("mideleg", csr.mideleg);
        r.put("mtvec", csr.mtvec);
        r.put("mscratch", csr.mscratch);
        r.put("mepc", csr.mepc);
        r.put("mcause", csr.mcause);
        r.put("mtval", csr.mtval);
        r.put("stvec", csr.stvec);
        r.put("sscratch", csr.sscratch);
        r.put("sepc", csr.sepc);
        r.put("scause", csr.scause);
        r.put("stval", csr.stval);
        r.put("satp", csr.satp);
        r.put("menvcfg", csr.menvcfg);
        r.put("stimecmp", csr.stimer.compare());
        r.put("mcycle", csr.mcycle());
        r.put("minstret", csr.minstret());
        r.put("fcsr", (long) (csr.frm << 5 | csr.fflags));
        for (int i = 0; i < 32; i++) {
            r.put(FP_ABI_NAMES[i], interpreter.fpu.f[i]);
        }
        return r;
    }

    @Override
    public long instructionsRetired() {
        return csr.retiredSinceReset;
    }

    // ---- migration ------------------------------------------------------------------------

    @Override
    public VMStateDescription<RiscvCpuState> vmstate() {
        return RiscvCpuState.VMSTATE;
    }

    @Override
    public RiscvCpuState saveState() {
        return new RiscvCpuState(interpreter.pc, csr.priv, interpreter.x.clone(),
                csr.mstatus, csr.misa, csr.medeleg, csr.mideleg, csr.mie, csr.mipSoftware,
                csr.interruptLines.get(), csr.mtvec, csr.mscratch, csr.mepc, csr.mcause, csr.mtval,
                csr.mcounteren, csr.mcountinhibit, csr.menvcfg,
                csr.stvec, csr.sscratch, csr.sepc, csr.scause, csr.stval, csr.scounteren,
                csr.senvcfg, csr.satp, csr.mcycle(), csr.minstret(),
                csr.pmpcfg.clone(), csr.pmpaddr.clone(), interpreter.waiting, csr.stimer.compare(),
                interpreter.fpu.f.clone(), csr.frm << 5 | csr.fflags);
    }

    @Override
    public void loadState(RiscvCpuState s) throws VMStateException {
        StateCheck.validate(s);
        System.arraycopy(s.x(), 0, interpreter.x, 0, 32);
        interpreter.pc = s.pc();
        csr.priv = s.priv();
        csr.mstatus = s.mstatus();
        csr.misa = s.misa() | Csr.MISA_F | Csr.MISA_D; // older streams lack them; F and D are always present
        csr.medeleg = s.medeleg();
        csr.mideleg = s.mideleg();
        csr.mie = s.mie();
        csr.mipSoftware = s.mip();
        csr.interruptLines.set(s.interruptLines());
        csr.mtvec = s.mtvec();
        csr.mscratch = s.mscratch();
        csr.mepc = s.mepc();
        csr.mcause = s.mcause();
        csr.mtval = s.mtval();
        csr.mcounteren = s.mcounteren();
        csr.mcountinhibit = s.mcountinhibit();
        csr.menvcfg = s.menvcfg();
        csr.stvec = s.stvec();
        csr.sscratch = s.sscratch();
        csr.sepc = s.sepc();
        csr.scause = s.scause();
        csr.stval = s.stval();
        csr.scounteren = s.scounteren();
        csr.senvcfg = s.senvcfg();
        csr.satp = s.satp();
        csr.setCounters(s.mcycle(), s.minstret());
        System.arraycopy(s.pmpcfg(), 0, csr.pmpcfg, 0, csr.pmpcfg.length);
        System.arraycopy(s.pmpaddr(), 0, csr.pmpaddr, 0, csr.pmpaddr.length);
        csr.pmp.restored();
        csr.stimer.restore(s.stimecmp(), (s.menvcfg() & Csr.MENVCFG_STCE) != 0);
        System.arraycopy(s.f(), 0, interpreter.fpu.f, 0, 32);
        csr.fflags = s.fcsr() & 0x1F;
        csr.frm = s.fcsr() >>> 5;
        interpreter.waiting = s.waitingForInterrupt();
        mmu.flush();
        mmu.clearReservation();
        interpreter.codeChanged();
        interpreter.attention = true;
    }
}
