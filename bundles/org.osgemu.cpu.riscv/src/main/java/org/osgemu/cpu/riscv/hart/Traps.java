package org.osgemu.cpu.riscv.hart;

import static org.osgemu.cpu.riscv.hart.Csr.*;

/**
 * Trap entry and return: delegation through medeleg/mideleg, the xstatus stack of interrupt
 * enables and previous privileges, direct and vectored xtvec, and MRET/SRET with their TSR
 * rule (privileged manual 3.1.6.1, 3.1.8, 3.3.2, 4.1.1).
 */
final class Traps {

    private final CsrFile csr;
    private final RiscvTrap trap;
    private final CsrFile.Listener listener;
    private final Runnable clearReservation;

    Traps(CsrFile csr, RiscvTrap trap, CsrFile.Listener listener, Runnable clearReservation) {
        this.csr = csr;
        this.trap = trap;
        this.listener = listener;
        this.clearReservation = clearReservation;
    }

    /** Takes synchronous exception {@code cause} raised by the instruction at {@code pc}; returns the handler address. */
    long exception(int cause, long tval, long pc) {
        return enter(cause, false, tval, pc);
    }

    /** Takes interrupt {@code irq} before the instruction at {@code pc}; returns the handler address. */
    long interrupt(int irq, long pc) {
        return enter(irq, true, 0, pc);
    }

    private long enter(int code, boolean interrupt, long tval, long pc) {
        long cause = interrupt ? TrapCause.INTERRUPT | code : code;
        long delegation = interrupt ? csr.mideleg : csr.medeleg;
        int from = csr.priv;
        long vector;
        if (from <= PRIV_S && (delegation & (1L << code)) != 0) {
            csr.scause = cause;
            csr.sepc = pc;
            csr.stval = tval;
            long s = csr.mstatus;
            s = (s & MSTATUS_SIE) != 0 ? s | MSTATUS_SPIE : s & ~MSTATUS_SPIE;
            s = from == PRIV_S ? s | MSTATUS_SPP : s & ~MSTATUS_SPP;
            csr.mstatus = s & ~MSTATUS_SIE;
            csr.priv = PRIV_S;
            vector = csr.stvec;
        } else {
            csr.mcause = cause;
            csr.mepc = pc;
            csr.mtval = tval;
            long s = csr.mstatus;
            s = (s & MSTATUS_MIE) != 0 ? s | MSTATUS_MPIE : s & ~MSTATUS_MPIE;
            s = (s & ~MSTATUS_MPP) | ((long) from << MSTATUS_MPP_SHIFT);
            csr.mstatus = s & ~MSTATUS_MIE;
            csr.priv = PRIV_M;
            vector = csr.mtvec;
        }
        changedContext();
        long base = vector & ~3L;
        return interrupt && (vector & 3) == 1 ? base + 4L * code : base;
    }

    /** MRET: only in M-mode; returns to MPP with MIE = MPIE (privileged manual 3.1.6.1). */
    long mret() {
        if (csr.priv < PRIV_M) {
            throw trap.raise(TrapCause.ILLEGAL_INSTRUCTION, 0);
        }
        long s = csr.mstatus;
        int to = (int) ((s & MSTATUS_MPP) >>> MSTATUS_MPP_SHIFT);
        s = (s & MSTATUS_MPIE) != 0 ? s | MSTATUS_MIE : s & ~MSTATUS_MIE;
        s = (s | MSTATUS_MPIE) & ~MSTATUS_MPP; // MPP becomes U, the least-privileged mode
        if (to != PRIV_M) {
            s &= ~MSTATUS_MPRV;
        }
        csr.mstatus = s;
        csr.priv = to;
        changedContext();
        return csr.read(MEPC);
    }

    /** SRET: illegal in U-mode and, with mstatus.TSR, in S-mode; returns to SPP with SIE = SPIE. */
    long sret() {
        if (csr.priv < PRIV_S || (csr.priv == PRIV_S && (csr.mstatus & MSTATUS_TSR) != 0)) {
            throw trap.raise(TrapCause.ILLEGAL_INSTRUCTION, 0);
        }
        long s = csr.mstatus;
        int to = (s & MSTATUS_SPP) != 0 ? PRIV_S : PRIV_U;
        s = (s & MSTATUS_SPIE) != 0 ? s | MSTATUS_SIE : s & ~MSTATUS_SIE;
        s = (s | MSTATUS_SPIE) & ~MSTATUS_SPP & ~MSTATUS_MPRV;
        csr.mstatus = s;
        csr.priv = to;
        changedContext();
        return csr.read(SEPC);
    }

    /**
     * After a trap or return: interrupt masking depends on the privilege, translation on the
     * privilege and MPRV; and the LR reservation is dropped, which the spec allows and which
     * makes a context switch between an LR and its SC fail the SC.
     */
    private void changedContext() {
        clearReservation.run();
        listener.translationChanged();
        listener.interruptsChanged();
    }
}
