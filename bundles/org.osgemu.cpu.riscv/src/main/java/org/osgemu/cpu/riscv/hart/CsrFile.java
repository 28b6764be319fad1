package org.osgemu.cpu.riscv.hart;

import static org.osgemu.cpu.riscv.hart.Csr.*;

import java.util.concurrent.atomic.AtomicLong;

import org.osgemu.api.cpu.CpuEnvironment;

/**
 * The control and status registers of one hart and the current privilege level: storage, the
 * access rules of the Zicsr instructions (privilege, read-only, counter enables, TVM) and the
 * WARL behaviour of every field (privileged manual 1.12, chapters 2, 3 and 4).
 *
 * <p>Only the vCPU thread touches it, except {@link #interruptLines} (set by devices) and
 * {@link #mie} (read by {@code hasWork()}).
 */
final class CsrFile {

    /** What the rest of the hart must do after some CSR writes. */
    interface Listener {
        /** Address translation inputs changed (satp, privilege, MPRV/MPP/SUM/MXR). */
        void translationChanged();

        /** Interrupt enables, pending bits or delegation changed: re-check for interrupts. */
        void interruptsChanged();

        /** satp was written (even with its old value): cached translations of the old address space are stale. */
        void satpWritten();

        /** A PMP entry changed: cached protection answers are stale. */
        void protectionChanged();
    }

    /** Number of PMP entries that hold values; entries 16..63 read as zero. */
    static final int PMP_ENTRIES = 16;

    static final long MSTATUS_WRITABLE = MSTATUS_SIE | MSTATUS_MIE | MSTATUS_SPIE | MSTATUS_MPIE | MSTATUS_SPP
            | MSTATUS_MPRV | MSTATUS_SUM | MSTATUS_MXR | MSTATUS_TVM | MSTATUS_TW | MSTATUS_TSR | MSTATUS_FS;
    static final long SSTATUS_WRITABLE = MSTATUS_SIE | MSTATUS_SPIE | MSTATUS_SPP | MSTATUS_SUM | MSTATUS_MXR
            | MSTATUS_FS;
    /** Fields sstatus shows: the writable ones, UXL and SD. */
    static final long SSTATUS_VISIBLE = SSTATUS_WRITABLE | (3L << 32) | MSTATUS_SD;
    /** Exceptions M-mode may delegate: all defined codes but ecall from M. */
    static final long MEDELEG_WRITABLE = 0xB3FFL;
    static final long MIDELEG_WRITABLE = bit(IRQ_S_SOFT) | bit(IRQ_S_TIMER) | bit(IRQ_S_EXT);
    static final long MIE_WRITABLE = MIDELEG_WRITABLE | bit(IRQ_M_SOFT) | bit(IRQ_M_TIMER) | bit(IRQ_M_EXT);
    /** mip bits software writes; the M-level bits only follow the interrupt lines. */
    static final long MIP_WRITABLE = MIDELEG_WRITABLE;
    /** Bits of the environment configuration registers: only FIOM, no Zicbo* or Svpbmt. */
    static final long ENVCFG_WRITABLE = 1L;
    /** menvcfg adds Sstc's STCE to FIOM. */
    static final long MENVCFG_WRITABLE = ENVCFG_WRITABLE | MENVCFG_STCE;
    static final long PMPADDR_MASK = Pmp.ADDR_MASK;

    private final int hartId;
    private final CpuEnvironment env;
    private final RiscvTrap trap;
    private final Listener listener;

    int priv = PRIV_M;
    long mstatus = MSTATUS_XLEN_FIELDS;
    long misa = MISA_RV64IMAFDCSU;
    long medeleg;
    long mideleg;
    volatile long mie;
    /** mip bits written by software (SSIP, STIP, SEIP). */
    long mipSoftware;
    /** mip bits driven by interrupt lines; set from device threads. */
    final AtomicLong interruptLines = new AtomicLong();
    long mtvec;
    long mscratch;
    long mepc;
    long mcause;
    long mtval;
    long mcounteren;
    long mcountinhibit;
    long menvcfg;
    long stvec;
    long sscratch;
    long sepc;
    long scause;
    long stval;
    long scounteren;
    long senvcfg;
    long satp;
    /**
     * mcycle and minstret are derived from {@link #retiredSinceReset}, so retiring an
     * instruction is one increment: a counting counter reads {@code retiredSinceReset + offset},
     * an inhibited one reads {@code offset} (frozen there when mcountinhibit stopped it).
     */
    private long mcycleOffset;
    private long minstretOffset;
    /** The FP exception flags (NX, UF, OF, DZ, NV in bits 0..4) and rounding mode: fcsr's two fields. */
    int fflags;
    int frm;
    /** Physical memory protection; {@link #pmpcfg} and {@link #pmpaddr} are its registers. */
    final Pmp pmp;
    /** pmpcfg0 and pmpcfg2 (RV64 has only the even-numbered ones). */
    final long[] pmpcfg;
    final long[] pmpaddr;
    /** Sstc: stimecmp and the supervisor timer interrupt it raises. */
    final SupervisorTimer stimer;
    /** Instructions retired since reset, whatever mcountinhibit says. */
    long retiredSinceReset;

    CsrFile(int hartId, CpuEnvironment env, RiscvTrap trap, Listener listener) {
        this.hartId = hartId;
        this.env = env;
        this.trap = trap;
        this.listener = listener;
        this.pmp = new Pmp(listener::protectionChanged);
        this.pmpcfg = pmp.cfg;
        this.pmpaddr = pmp.addr;
        this.stimer = new SupervisorTimer(env.virtualClock(), env.timebaseHz(), "hart" + hartId + ".stimecmp", () -> {
            listener.interruptsChanged();
            env.wake();
        });
    }

    static long bit(int n) {
        return 1L << n;
    }

    /** Reset values (privileged manual 3.4 "Reset"): M-mode, MIE = MPRV = 0, misa at its maximum. */
    void reset() {
        priv = PRIV_M;
        mstatus = MSTATUS_XLEN_FIELDS;
        misa = MISA_RV64IMAFDCSU;
        medeleg = mideleg = 0;
        mie = 0;
        mipSoftware = 0;
        mtvec = mscratch = mepc = mcause = mtval = 0;
        mcounteren = mcountinhibit = menvcfg = 0;
        stvec = sscratch = sepc = scause = stval = scounteren = senvcfg = satp = 0;
        mcycleOffset = minstretOffset = retiredSinceReset = 0;
        fflags = frm = 0;
        pmp.reset();
        stimer.reset();
        listener.translationChanged();
        listener.interruptsChanged();
    }

    // ---- state used by the rest of the hart -----------------------------------------------

    /** Whether the C extension is enabled (misa.C); without it IALIGN is 32. */
    boolean compressedEnabled() {
        return (misa & MISA_C) != 0;
    }

    /** The privilege loads and stores use: MPP when MPRV is set in M-mode. */
    int dataPrivilege() {
        if (priv == PRIV_M && (mstatus & MSTATUS_MPRV) != 0) {
            return (int) ((mstatus & MSTATUS_MPP) >>> MSTATUS_MPP_SHIFT);
        }
        return priv;
    }

    /** The effective mip: software bits, interrupt lines and the Sstc comparator. */
    long mip() {
        return mipSoftware | interruptLines.get() | stimer.pending();
    }

    /** Counts one retired instruction: in minstret and mcycle too, unless mcountinhibit stops them (cycle = instret here). */
    void retire() {
        retiredSinceReset++;
    }

    /** mcycle: retired instructions, unless inhibited (mcountinhibit.CY). */
    long mcycle() {
        return (mcountinhibit & 1) == 0 ? retiredSinceReset + mcycleOffset : mcycleOffset;
    }

    /** minstret, unless inhibited (mcountinhibit.IR). */
    long minstret() {
        return (mcountinhibit & 4) == 0 ? retiredSinceReset + minstretOffset : minstretOffset;
    }

    /** Sets both counters to the given values (migration, tests), keeping mcountinhibit's say. */
    void setCounters(long mcycleValue, long minstretValue) {
        mcycleOffset = (mcountinhibit & 1) == 0 ? mcycleValue - retiredSinceReset : mcycleValue;
        minstretOffset = (mcountinhibit & 4) == 0 ? minstretValue - retiredSinceReset : minstretValue;
    }

    /** mcountinhibit changes: a counter that stops freezes its value, one that starts goes on from it. */
    private void writeMcountinhibit(long v) {
        long cycle = mcycle();
        long instret = minstret();
        mcountinhibit = v & 0xFFFF_FFFDL;
        setCounters(cycle, instret);
    }

    /** The time counter: the virtual clock in ticks of {@code timebaseHz}. */
    long time() {
        return SupervisorTimer.ticks(env.virtualClock().nanos(), env.timebaseHz());
    }

    /**
     * The highest-priority interrupt that is pending, enabled and not masked at the current
     * privilege level (privileged manual 3.1.9), or -1. M-level interrupts (not delegated)
     * come before S-level ones; within a level the order is MEI, MSI, MTI, SEI, SSI, STI.
     */
    int pendingInterrupt() {
        long pending = mip() & mie;
        if (pending == 0) {
            return -1;
        }
        long machine = pending & ~mideleg;
        if (machine != 0 && (priv < PRIV_M || (mstatus & MSTATUS_MIE) != 0)) {
            return highestPriority(machine);
        }
        long supervisor = pending & mideleg;
        if (supervisor != 0 && (priv < PRIV_S || (priv == PRIV_S && (mstatus & MSTATUS_SIE) != 0))) {
            return highestPriority(supervisor);
        }
        return -1;
    }

    private static final int[] PRIORITY = {IRQ_M_EXT, IRQ_M_SOFT, IRQ_M_TIMER, IRQ_S_EXT, IRQ_S_SOFT, IRQ_S_TIMER};

    private static int highestPriority(long set) {
        for (int irq : PRIORITY) {
            if ((set & bit(irq)) != 0) {
                return irq;
            }
        }
        return -1;
    }

    // ---- Zicsr --------------------------------------------------------------------------

    /** Kinds of CSR instruction. */
    static final int WRITE = 0, SET = 1, CLEAR = 2;

    /**
     * Executes a CSR instruction: checks access, reads the old value (unless {@code read} is
     * false: CSRRW with rd = x0 has no read side effects), applies the write (unless
     * {@code write} is false: CSRRS/CSRRC with a zero source do not write) and returns the old
     * value. Raises illegal instruction for unknown CSRs, too low a privilege, writes to
     * read-only CSRs, and disabled counters. {@code nextPc} is needed for the misa.C rule.
     */
    long instruction(int csr, int kind, long source, boolean read, boolean write, long nextPc) {
        if (((csr >>> 8) & 3) > priv || (write && (csr >>> 10) == 3)) {
            throw illegal();
        }
        long old = read || kind != WRITE ? read(csr) : 0;
        if (write) {
            long base = csr == MIP || csr == SIP ? modifiableMip(csr) : old;
            long value = switch (kind) {
                case SET -> base | source;
                case CLEAR -> base & ~source;
                default -> source;
            };
            write(csr, value, nextPc);
        }
        return old;
    }

    /**
     * The mip value read-modify-write instructions start from: SEIP there is only the
     * software-written bit, not the line from the interrupt controller (privileged manual
     * 3.1.9), so CSRRS/CSRRC on mip cannot latch the line's level.
     */
    private long modifiableMip(int csr) {
        long v = mipSoftware | (interruptLines.get() & ~bit(IRQ_S_EXT));
        return csr == SIP ? v & mideleg : v;
    }

    private RiscvTrap illegal() {
        return trap.raise(TrapCause.ILLEGAL_INSTRUCTION, 0);
    }

    /** Reads CSR {@code csr}; privilege and existence are checked, read-only-ness is not. */
    long read(int csr) {
        return switch (csr) {
            case FFLAGS, FRM, FCSR -> readFloatCsr(csr);
            case SSTATUS -> mstatus & SSTATUS_VISIBLE;
            case SIE -> mie & mideleg;
            case STVEC -> stvec;
            case SCOUNTEREN -> scounteren;
            case SENVCFG -> senvcfg;
            case SSCRATCH -> sscratch;
            case SEPC -> sepc & epcMask();
            case SCAUSE -> scause;
            case STVAL -> stval;
            case SIP -> mip() & mideleg;
            case STIMECMP -> {
                checkStimecmpAccess();
                yield stimer.compare();
            }
            case SATP -> {
                checkTvm();
                yield satp;
            }
            case MVENDORID, MARCHID, MIMPID, MCONFIGPTR -> 0;
            case MHARTID -> hartId;
            case MSTATUS -> mstatus;
            case MISA -> misa;
            case MEDELEG -> medeleg;
            case MIDELEG -> mideleg;
            case MIE -> mie;
            case MTVEC -> mtvec;
            case MCOUNTEREN -> mcounteren;
            case MENVCFG -> menvcfg;
            case MCOUNTINHIBIT -> mcountinhibit;
            case MSCRATCH -> mscratch;
            case MEPC -> mepc & epcMask();
            case MCAUSE -> mcause;
            case MTVAL -> mtval;
            case MIP -> mip();
            case MCYCLE -> mcycle();
            case MINSTRET -> minstret();
            case CYCLE, TIME, INSTRET -> {
                checkCounterEnabled(csr);
                yield csr == CYCLE ? mcycle() : csr == INSTRET ? minstret() : time();
            }
            default -> readRanges(csr);
        };
    }

    private long readRanges(int csr) {
        if (csr >= HPMCOUNTER3 && csr <= HPMCOUNTER31) {
            checkCounterEnabled(csr);
            return 0;
        }
        if ((csr >= MHPMCOUNTER3 && csr <= MHPMCOUNTER31) || (csr >= MHPMEVENT3 && csr <= MHPMEVENT31)) {
            return 0;
        }
        if (csr >= PMPCFG0 && csr <= PMPCFG15) {
            int n = pmpcfgIndex(csr);
            return n < pmpcfg.length ? pmpcfg[n] : 0;
        }
        if (csr >= PMPADDR0 && csr <= PMPADDR63) {
            int n = csr - PMPADDR0;
            return n < PMP_ENTRIES ? pmpaddr[n] : 0;
        }
        throw illegal();
    }

    /** pmpcfg0, 2, 4 ... map to 0, 1, 2 ...; odd numbers do not exist on RV64. */
    private int pmpcfgIndex(int csr) {
        int n = csr - PMPCFG0;
        if ((n & 1) != 0) {
            throw illegal();
        }
        return n / 2;
    }

    /** With IALIGN = 32, xepc[1] reads as zero. */
    private long epcMask() {
        return compressedEnabled() ? ~1L : ~3L;
    }

    /** fflags, frm, or both as fcsr (frm in bits 5..7); like every FP access, illegal while FS is Off. */
    private long readFloatCsr(int csr) {
        checkFloatEnabled();
        return switch (csr) {
            case FFLAGS -> fflags;
            case FRM -> frm;
            default -> frm << 5 | fflags;
        };
    }

    /** Writes fflags, frm or fcsr (its bits above 7 are dropped) and marks the FP state Dirty. */
    private void writeFloatCsr(int csr, long v) {
        checkFloatEnabled();
        switch (csr) {
            case FFLAGS -> fflags = (int) v & 0x1F;
            case FRM -> frm = (int) v & 7; // reserved modes are kept: FP instructions using them trap
            default -> {
                fflags = (int) v & 0x1F;
                frm = (int) (v >>> 5) & 7;
            }
        }
        markFloatStateDirty();
    }

    private void checkFloatEnabled() {
        if ((mstatus & MSTATUS_FS) == 0) {
            throw illegal();
        }
    }

    /** FP registers or fflags/frm changed: mstatus.FS becomes Dirty, and SD with it. */
    void markFloatStateDirty() {
        if ((mstatus & MSTATUS_FS) != MSTATUS_FS) {
            mstatus |= MSTATUS_FS | MSTATUS_SD;
        }
    }

    private void checkTvm() {
        if (priv == PRIV_S && (mstatus & MSTATUS_TVM) != 0) {
            throw illegal();
        }
    }

    /** Sstc: below M-mode stimecmp needs menvcfg.STCE and mcounteren.TM. */
    private void checkStimecmpAccess() {
        if (priv < PRIV_M && ((menvcfg & MENVCFG_STCE) == 0 || (mcounteren & 2) == 0)) {
            throw illegal();
        }
    }

    /** cycle/time/instret/hpmcounterN below M-mode need their mcounteren (and in U, scounteren) bit. */
    private void checkCounterEnabled(int csr) {
        long bit = 1L << (csr & 31);
        if ((priv < PRIV_M && (mcounteren & bit) == 0) || (priv == PRIV_U && (scounteren & bit) == 0)) {
            throw illegal();
        }
    }

    /** Writes CSR {@code csr} with WARL legalization; read-only CSRs are refused by the caller. */
    void write(int csr, long v, long nextPc) {
        switch (csr) {
            case FFLAGS, FRM, FCSR -> writeFloatCsr(csr, v);
            case SSTATUS -> writeMstatus((mstatus & ~SSTATUS_WRITABLE) | (v & SSTATUS_WRITABLE));
            case SIE -> {
                mie = (mie & ~mideleg) | (v & mideleg);
                listener.interruptsChanged();
            }
            case STVEC -> stvec = legalTvec(stvec, v);
            case SCOUNTEREN -> scounteren = v & 0xFFFF_FFFFL;
            case SENVCFG -> senvcfg = v & ENVCFG_WRITABLE;
            case SSCRATCH -> sscratch = v;
            case SEPC -> sepc = v & ~1L;
            case SCAUSE -> scause = v;
            case STVAL -> stval = v;
            case SIP -> {
                long writable = mideleg & bit(IRQ_S_SOFT);
                mipSoftware = (mipSoftware & ~writable) | (v & writable);
                listener.interruptsChanged();
            }
            case STIMECMP -> {
                checkStimecmpAccess();
                stimer.setCompare(v);
            }
            case SATP -> {
                checkTvm();
                writeSatp(v);
            }
            case MSTATUS -> writeMstatus(v);
            case MISA -> writeMisa(v, nextPc);
            case MEDELEG -> medeleg = v & MEDELEG_WRITABLE;
            case MIDELEG -> {
                mideleg = v & MIDELEG_WRITABLE;
                listener.interruptsChanged();
            }
            case MIE -> {
                mie = v & MIE_WRITABLE;
                listener.interruptsChanged();
            }
            case MTVEC -> mtvec = legalTvec(mtvec, v);
            case MCOUNTEREN -> mcounteren = v & 0xFFFF_FFFFL;
            case MENVCFG -> writeMenvcfg(v);
            case MCOUNTINHIBIT -> writeMcountinhibit(v);
            case MSCRATCH -> mscratch = v;
            case MEPC -> mepc = v & ~1L;
            case MCAUSE -> mcause = v;
            case MTVAL -> mtval = v;
            case MIP -> {
                long writable = (menvcfg & MENVCFG_STCE) != 0 ? MIP_WRITABLE & ~bit(IRQ_S_TIMER) : MIP_WRITABLE;
                mipSoftware = (mipSoftware & ~writable) | (v & writable);
                listener.interruptsChanged();
            }
            // The instruction retiring after this write would count itself; start one lower.
            case MCYCLE -> setCounters(v - ((mcountinhibit & 1) == 0 ? 1 : 0), minstret());
            case MINSTRET -> setCounters(mcycle(), v - ((mcountinhibit & 4) == 0 ? 1 : 0));
            default -> writeRanges(csr, v);
        }
    }

    private void writeRanges(int csr, long v) {
        if ((csr >= MHPMCOUNTER3 && csr <= MHPMCOUNTER31) || (csr >= MHPMEVENT3 && csr <= MHPMEVENT31)) {
            return; // read-only zero: no events are counted
        }
        if (csr >= PMPCFG0 && csr <= PMPCFG15) {
            int n = pmpcfgIndex(csr);
            if (n < pmpcfg.length) {
                pmp.writeCfg(n, v);
            }
            return;
        }
        if (csr >= PMPADDR0 && csr <= PMPADDR63) {
            int n = csr - PMPADDR0;
            if (n < PMP_ENTRIES) {
                pmp.writeAddr(n, v);
            }
            return;
        }
        throw illegal();
    }

    private void writeMstatus(long v) {
        long old = mstatus;
        long next = (old & ~MSTATUS_WRITABLE) | (v & MSTATUS_WRITABLE);
        long mpp = (v & MSTATUS_MPP) >>> MSTATUS_MPP_SHIFT;
        if (mpp != 2) { // 2 is reserved: MPP keeps its value
            next = (next & ~MSTATUS_MPP) | (mpp << MSTATUS_MPP_SHIFT);
        }
        next |= MSTATUS_XLEN_FIELDS;
        mstatus = (next & MSTATUS_FS) == MSTATUS_FS ? next | MSTATUS_SD : next & ~MSTATUS_SD;
        if (((old ^ mstatus) & (MSTATUS_MPRV | MSTATUS_MPP | MSTATUS_SUM | MSTATUS_MXR)) != 0) {
            listener.translationChanged();
        }
        listener.interruptsChanged();
    }

    /**
     * Sstc: while STCE is set the comparator owns STIP, so the bit software wrote is dropped
     * (privileged manual, Sstc chapter: mip.STIP becomes read-only).
     */
    private void writeMenvcfg(long v) {
        menvcfg = v & MENVCFG_WRITABLE;
        boolean stce = (menvcfg & MENVCFG_STCE) != 0;
        if (stce) {
            mipSoftware &= ~bit(IRQ_S_TIMER);
        }
        stimer.setEnabled(stce);
        listener.interruptsChanged();
    }

    /**
     * Only C can be switched; clearing it is suppressed when the next instruction is not
     * 4-byte aligned (privileged manual 3.1.1).
     */
    private void writeMisa(long v, long nextPc) {
        boolean c = (v & MISA_C) != 0;
        if (!c && (nextPc & 2) != 0) {
            return;
        }
        misa = c ? MISA_RV64IMAFDCSU : MISA_RV64IMAFDCSU & ~MISA_C;
    }

    /** Modes 0 (direct) and 1 (vectored) exist; a reserved mode keeps the old one. */
    private static long legalTvec(long old, long v) {
        long mode = v & 3;
        return (v & ~3L) | (mode < 2 ? mode : old & 3);
    }

    /**
     * Bare, Sv39, Sv48 and Sv57 exist, with all 16 ASID bits; any other mode makes the whole write
     * have no effect (privileged manual 4.1.11).
     */
    private void writeSatp(long v) {
        long mode = v >>> 60;
        if (mode != SATP_MODE_BARE && mode != SATP_MODE_SV39 && mode != SATP_MODE_SV48 && mode != SATP_MODE_SV57) {
            return;
        }
        satp = v;
        listener.satpWritten();
    }
}
