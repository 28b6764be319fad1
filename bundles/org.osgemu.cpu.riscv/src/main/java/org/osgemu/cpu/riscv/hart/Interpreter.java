package org.osgemu.cpu.riscv.hart;

import static org.osgemu.cpu.riscv.hart.Csr.*;

import java.lang.invoke.VarHandle;

import org.osgemu.api.cpu.Cpu.ExitReason;
import org.osgemu.cpu.riscv.decode.Op;

/**
 * The RV64IMAFDC + Zicsr + Zifencei interpreter: fetch, look the word up in the
 * {@link DecodeCache}, execute by a switch on the operation, retire. Synchronous exceptions
 * arrive as a {@link RiscvTrap} and are taken between instructions; interrupts, kicks and WFI
 * are noticed through one volatile {@link #attention} flag checked before every instruction.
 */
final class Interpreter {

    /** Integer registers; x0 is written freely and zeroed after every instruction. */
    final long[] x = new long[32];
    long pc;

    /** Set when something outside the instruction stream needs a look: interrupts, kick, WFI. */
    volatile boolean attention = true;
    volatile boolean kickRequested;
    /** In WFI: the hart sleeps until an interrupt is pending and enabled in mie. */
    volatile boolean waiting;

    private final CsrFile csr;
    private final Mmu mmu;
    private final Traps traps;
    private final DecodeCache cache = new DecodeCache();
    /** The F and D extensions: FP registers and every FP operation. */
    final Fpu fpu;
    private final RiscvTrap trap;
    /** The instruction being executed, for the xtval of illegal-instruction exceptions. */
    private int instruction;

    Interpreter(CsrFile csr, Mmu mmu, Traps traps, RiscvTrap trap) {
        this.csr = csr;
        this.mmu = mmu;
        this.traps = traps;
        this.trap = trap;
        this.fpu = new Fpu(x, csr, mmu, trap);
    }

    /** Runs up to {@code budget} instructions (a trap counts as one). */
    ExitReason run(long budget) {
        attention = true;
        long done = 0;
        while (true) {
            try {
                while (done < budget) {
                    if (attention) {
                        ExitReason stop = serviceAttention();
                        if (stop != null) {
                            return stop;
                        }
                    }
                    step();
                    done++;
                }
                return ExitReason.BUDGET;
            } catch (RiscvTrap t) {
                done++;
                long tval = t.cause == TrapCause.ILLEGAL_INSTRUCTION ? instruction & 0xFFFF_FFFFL : t.tval;
                pc = traps.exception(t.cause, tval, pc);
            }
        }
    }

    private ExitReason serviceAttention() {
        attention = false;
        if (kickRequested) {
            kickRequested = false;
            return ExitReason.KICKED;
        }
        if (waiting) {
            if ((csr.mip() & csr.mie) == 0) {
                attention = true;
                return ExitReason.WAIT_FOR_INTERRUPT;
            }
            waiting = false;
        }
        int irq = csr.pendingInterrupt();
        if (irq >= 0) {
            pc = traps.interrupt(irq, pc);
        }
        return null;
    }

    private void step() {
        long at = pc;
        int word = mmu.fetch(at);
        instruction = word;
        int slot = DecodeCache.slot(at);
        if (cache.words[slot] != word) {
            cache.fill(slot, word);
        }
        pc = execute(cache.packed[slot], cache.immediates[slot], at);
        x[0] = 0;
        csr.retire();
    }

    /** Executes one decoded instruction at {@code pc}; returns the address of the next one. */
    private long execute(int p, int imm, long pc) {
        final long[] x = this.x;
        int rd = (p >>> DecodeCache.RD_SHIFT) & 31;
        int rs1 = (p >>> DecodeCache.RS1_SHIFT) & 31;
        int rs2 = (p >>> DecodeCache.RS2_SHIFT) & 31;
        long next;
        if ((p & DecodeCache.COMPRESSED) != 0) {
            if ((csr.misa & MISA_C) == 0) {
                throw illegal();
            }
            next = pc + 2;
        } else {
            next = pc + 4;
        }
        int op = DecodeCache.op(p);
        switch (op) {
            case Op.LUI -> x[rd] = imm;
            case Op.AUIPC -> x[rd] = pc + imm;
            case Op.JAL -> {
                long target = jumpTarget(pc + imm);
                x[rd] = next;
                return target;
            }
            case Op.JALR -> {
                long target = jumpTarget((x[rs1] + imm) & ~1L);
                x[rd] = next;
                return target;
            }
            case Op.BEQ -> { if (x[rs1] == x[rs2]) return jumpTarget(pc + imm); }
            case Op.BNE -> { if (x[rs1] != x[rs2]) return jumpTarget(pc + imm); }
            case Op.BLT -> { if (x[rs1] < x[rs2]) return jumpTarget(pc + imm); }
            case Op.BGE -> { if (x[rs1] >= x[rs2]) return jumpTarget(pc + imm); }
            case Op.BLTU -> { if (Long.compareUnsigned(x[rs1], x[rs2]) < 0) return jumpTarget(pc + imm); }
            case Op.BGEU -> { if (Long.compareUnsigned(x[rs1], x[rs2]) >= 0) return jumpTarget(pc + imm); }
            case Op.LB -> x[rd] = (byte) mmu.load(x[rs1] + imm, 1);
            case Op.LH -> x[rd] = (short) mmu.load(x[rs1] + imm, 2);
            case Op.LW -> x[rd] = (int) mmu.load(x[rs1] + imm, 4);
            case Op.LD -> x[rd] = mmu.load(x[rs1] + imm, 8);
            case Op.LBU -> x[rd] = mmu.load(x[rs1] + imm, 1);
            case Op.LHU -> x[rd] = mmu.load(x[rs1] + imm, 2);
            case Op.LWU -> x[rd] = mmu.load(x[rs1] + imm, 4);
            case Op.SB -> mmu.store(x[rs1] + imm, x[rs2], 1);
            case Op.SH -> mmu.store(x[rs1] + imm, x[rs2], 2);
            case Op.SW -> mmu.store(x[rs1] + imm, x[rs2], 4);
            case Op.SD -> mmu.store(x[rs1] + imm, x[rs2], 8);
            case Op.ADDI -> x[rd] = x[rs1] + imm;
            case Op.SLTI -> x[rd] = x[rs1] < imm ? 1 : 0;
            case Op.SLTIU -> x[rd] = Long.compareUnsigned(x[rs1], imm) < 0 ? 1 : 0;
            case Op.XORI -> x[rd] = x[rs1] ^ imm;
            case Op.ORI -> x[rd] = x[rs1] | imm;
            case Op.ANDI -> x[rd] = x[rs1] & imm;
            case Op.SLLI -> x[rd] = x[rs1] << imm;
            case Op.SRLI -> x[rd] = x[rs1] >>> imm;
            case Op.SRAI -> x[rd] = x[rs1] >> imm;
            case Op.ADD -> x[rd] = x[rs1] + x[rs2];
            case Op.SUB -> x[rd] = x[rs1] - x[rs2];
            case Op.SLL -> x[rd] = x[rs1] << x[rs2];
            case Op.SLT -> x[rd] = x[rs1] < x[rs2] ? 1 : 0;
            case Op.SLTU -> x[rd] = Long.compareUnsigned(x[rs1], x[rs2]) < 0 ? 1 : 0;
            case Op.XOR -> x[rd] = x[rs1] ^ x[rs2];
            case Op.SRL -> x[rd] = x[rs1] >>> x[rs2];
            case Op.SRA -> x[rd] = x[rs1] >> x[rs2];
            case Op.OR -> x[rd] = x[rs1] | x[rs2];
            case Op.AND -> x[rd] = x[rs1] & x[rs2];
            case Op.ADDIW -> x[rd] = (int) (x[rs1] + imm);
            case Op.SLLIW -> x[rd] = (int) x[rs1] << imm;
            case Op.SRLIW -> x[rd] = (int) x[rs1] >>> imm;
            case Op.SRAIW -> x[rd] = (int) x[rs1] >> imm;
            case Op.ADDW -> x[rd] = (int) (x[rs1] + x[rs2]);
            case Op.SUBW -> x[rd] = (int) (x[rs1] - x[rs2]);
            case Op.SLLW -> x[rd] = (int) x[rs1] << (x[rs2] & 31);
            case Op.SRLW -> x[rd] = (int) x[rs1] >>> (x[rs2] & 31);
            case Op.SRAW -> x[rd] = (int) x[rs1] >> (x[rs2] & 31);
            case Op.FENCE -> VarHandle.fullFence();
            case Op.FENCE_I -> { } // fetch re-reads memory and the decode cache checks the word
            case Op.ECALL -> throw trap.raise(TrapCause.ECALL_FROM_U + csr.priv, 0);
            case Op.EBREAK -> throw trap.raise(TrapCause.BREAKPOINT, pc);
            case Op.MUL, Op.MULH, Op.MULHSU, Op.MULHU, Op.DIV, Op.DIVU, Op.REM, Op.REMU,
                 Op.MULW, Op.DIVW, Op.DIVUW, Op.REMW, Op.REMUW -> x[rd] = MulDiv.compute(op, x[rs1], x[rs2]);
            case Op.LR_W -> x[rd] = mmu.loadReserved(x[rs1], 4);
            case Op.LR_D -> x[rd] = mmu.loadReserved(x[rs1], 8);
            case Op.SC_W -> x[rd] = mmu.storeConditional(x[rs1], x[rs2], 4);
            case Op.SC_D -> x[rd] = mmu.storeConditional(x[rs1], x[rs2], 8);
            case Op.AMOSWAP_W, Op.AMOADD_W, Op.AMOXOR_W, Op.AMOAND_W, Op.AMOOR_W, Op.AMOMIN_W, Op.AMOMAX_W,
                 Op.AMOMINU_W, Op.AMOMAXU_W -> x[rd] = mmu.amo(op - Op.AMOSWAP_W, x[rs1], x[rs2], 4);
            case Op.AMOSWAP_D, Op.AMOADD_D, Op.AMOXOR_D, Op.AMOAND_D, Op.AMOOR_D, Op.AMOMIN_D, Op.AMOMAX_D,
                 Op.AMOMINU_D, Op.AMOMAXU_D -> x[rd] = mmu.amo(op - Op.AMOSWAP_D, x[rs1], x[rs2], 8);
            case Op.CSRRW -> x[rd] = csr.instruction(imm, CsrFile.WRITE, x[rs1], rd != 0, true, next);
            case Op.CSRRS -> x[rd] = csr.instruction(imm, CsrFile.SET, x[rs1], true, rs1 != 0, next);
            case Op.CSRRC -> x[rd] = csr.instruction(imm, CsrFile.CLEAR, x[rs1], true, rs1 != 0, next);
            case Op.CSRRWI -> x[rd] = csr.instruction(imm, CsrFile.WRITE, rs1, rd != 0, true, next);
            case Op.CSRRSI -> x[rd] = csr.instruction(imm, CsrFile.SET, rs1, true, rs1 != 0, next);
            case Op.CSRRCI -> x[rd] = csr.instruction(imm, CsrFile.CLEAR, rs1, true, rs1 != 0, next);
            case Op.MRET -> {
                return traps.mret();
            }
            case Op.SRET -> {
                return traps.sret();
            }
            case Op.WFI -> waitForInterrupt();
            case Op.SFENCE_VMA -> fenceVma(rs1, rs2);
            default -> {
                if (op < Op.FLW) {
                    throw illegal();
                }
                fpu.execute(op, rd, rs1, rs2, imm);
            }
        }
        return next;
    }

    /** With misa.C cleared IALIGN is 32: a jump to a 2-byte-aligned target raises instruction-address-misaligned. */
    private long jumpTarget(long target) {
        if ((target & 2) != 0 && (csr.misa & MISA_C) == 0) {
            throw trap.raise(TrapCause.INSTRUCTION_MISALIGNED, target);
        }
        return target;
    }

    /**
     * WFI: illegal in U-mode, and below M-mode when mstatus.TW is set (our time limit is zero).
     * Otherwise, unless an interrupt is already pending and enabled in mie, the hart waits.
     */
    private void waitForInterrupt() {
        if (csr.priv == PRIV_U || (csr.priv < PRIV_M && (csr.mstatus & MSTATUS_TW) != 0)) {
            throw illegal();
        }
        if ((csr.mip() & csr.mie) == 0) {
            waiting = true;
            attention = true;
        }
    }

    /**
     * SFENCE.VMA: illegal in U-mode and, with mstatus.TVM, in S-mode; rs1 = x0 means every
     * address, rs2 = x0 every address space (the registers' values are ignored then).
     */
    private void fenceVma(int rs1, int rs2) {
        if (csr.priv == PRIV_U || (csr.priv == PRIV_S && (csr.mstatus & MSTATUS_TVM) != 0)) {
            throw illegal();
        }
        mmu.fence(x[rs1], x[rs2], rs1 != 0, rs2 != 0);
    }

    private RiscvTrap illegal() {
        return trap.raise(TrapCause.ILLEGAL_INSTRUCTION, 0);
    }
}
