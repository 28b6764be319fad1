package org.osgemu.cpu.riscv.hart;

import static org.osgemu.cpu.riscv.hart.Csr.*;

import java.lang.invoke.VarHandle;

import org.osgemu.api.cpu.Cpu.ExitReason;
import org.osgemu.cpu.riscv.decode.Op;

/**
 * The RV64IMAFDC + Zicsr + Zifencei interpreter: take the decoded instruction from the
 * {@link CodeCache} page execution is in, execute by a switch on the operation, retire.
 * Synchronous exceptions arrive as a {@link RiscvTrap} and are taken between instructions;
 * interrupts, kicks and WFI are noticed through one volatile {@link #attention} flag checked
 * before every instruction.
 *
 * <p>The page execution is in stays current while the program counter is in it and the
 * {@link Mmu#codeEpoch} is unchanged; entering another page translates the program counter
 * (raising fetch faults there) and looks the physical page up.
 */
final class Interpreter {

    private static final long PAGE_OFFSET = 4095;
    /**
     * Size and sign extension of LB, LH, LW, LD, LBU, LHU, LWU. The loads share one call site
     * (the stores another), which the JIT counts as one and inlines where loads are frequent
     * enough; a site per width is always too rare for it. Shifting left and arithmetically back
     * sign-extends; a shift of zero leaves the zero-extended value.
     */
    private static final int[] LOAD_SIZE = {1, 2, 4, 8, 1, 2, 4};
    private static final int[] LOAD_EXTEND_SHIFT = {56, 48, 32, 0, 0, 0, 0};

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
    private final CodeCache code;
    /** The decoded page execution is in, or null; valid for the virtual page {@link #codePageBase} in {@link #codeEpoch}. */
    private CodeCache.Page codePage;
    private long codePageBase;
    private int codeEpoch;
    /** The page execution was in before, kept the same way: calls and returns between two pages swap them. */
    private CodeCache.Page previousPage;
    private long previousPageBase;
    private int previousEpoch;
    /** The word of the last instruction decoded outside the cache, for its xtval if it is illegal. */
    private int uncachedWord;
    /** The F and D extensions: FP registers and every FP operation. */
    final Fpu fpu;
    private final RiscvTrap trap;
    /** The opt-in instruction trace of this hart, or null. */
    final InstructionTrace trace;

    Interpreter(CsrFile csr, Mmu mmu, PhysicalMemory memory, Traps traps, RiscvTrap trap, InstructionTrace trace) {
        this.csr = csr;
        this.code = new CodeCache(memory);
        this.trace = trace;
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
                long tval = t.cause == TrapCause.ILLEGAL_INSTRUCTION ? illegalWord(pc) : t.tval;
                pc = traps.exception(t.cause, tval, pc);
            } catch (PhysicalMemory.RetryInstruction retry) {
                // a kick ended the wait for a postcopy page: the instruction runs again on resuming
                kickRequested = false;
                return ExitReason.KICKED;
            }
        }
    }

    /** The xtval of an illegal-instruction exception: the word of the instruction at {@code pc}. */
    private long illegalWord(long pc) {
        return word(pc) & 0xFFFF_FFFFL;
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
        CodeCache.Page page = codePage;
        long entry;
        if (page != null && (at & ~PAGE_OFFSET) == codePageBase && mmu.codeEpoch == codeEpoch) {
            int index = (int) (at & PAGE_OFFSET) >>> 1;
            entry = page.entries[index];
            if (entry == 0) {
                entry = code.decode(page, index);
            }
        } else {
            entry = enterPage(at);
        }
        if (entry == CodeCache.STRADDLES) {
            entry = decodeUncached(at);
        }
        if (InstructionTrace.ENABLED && trace != null) {
            trace.before(at, csr.priv, word(at), x);
        }
        pc = execute((int) entry, (int) (entry >>> 32), at);
        x[0] = 0;
        csr.retire();
    }

    /**
     * Execution enters the page of {@code at}: the page it was in before, or a page found by
     * translating {@code at} (fetch faults are raised here) and looking its physical page up.
     */
    private long enterPage(long at) {
        long base = at & ~PAGE_OFFSET;
        CodeCache.Page leaving = codePage;
        long leavingBase = codePageBase;
        int leavingEpoch = codeEpoch;
        CodeCache.Page page;
        int epoch;
        if (previousPage != null && base == previousPageBase && mmu.codeEpoch == previousEpoch) {
            page = previousPage;
            epoch = previousEpoch;
        } else {
            codePage = null;
            long number = mmu.codePage(at);
            if (number < 0) {
                return decodeUncached(at);
            }
            page = code.page(number);
            epoch = mmu.codeEpoch;
        }
        previousPage = leaving;
        previousPageBase = leavingBase;
        previousEpoch = leavingEpoch;
        codePage = page;
        codePageBase = base;
        codeEpoch = epoch;
        int index = (int) (at & PAGE_OFFSET) >>> 1;
        long entry = page.entries[index];
        return entry != 0 ? entry : code.decode(page, index);
    }

    /** Fetches and decodes the instruction at {@code at} without caching it (page straddlers, MMIO, mixed PMP pages). */
    private long decodeUncached(long at) {
        int word = mmu.fetch(at);
        uncachedWord = word;
        return code.decode(word);
    }

    /** The word of the instruction at {@code at} that is executing: from its decoded page, or the last uncached fetch. */
    private int word(long at) {
        CodeCache.Page page = codePage;
        int index = (int) (at & PAGE_OFFSET) >>> 1;
        if (page != null && (at & ~PAGE_OFFSET) == codePageBase && page.entries[index] != 0) {
            return page.word(index);
        }
        return uncachedWord;
    }

    /** Reset, a restored state or a new flat view: instructions must be read from memory again. */
    void codeChanged() {
        code.clear();
        codePage = previousPage = null;
    }

    /** FENCE.I: later fetches see every store that came before (pages are compared with memory as they are entered). */
    private void fenceInstructions() {
        code.fence();
        codePage = previousPage = null;
    }

    /**
     * Executes one decoded instruction at {@code pc}; returns the address of the next one.
     * (Unsigned comparisons add Long.MIN_VALUE, which is what Long.compareUnsigned does, in a
     * form the JIT does not have to inline.)
     */
    private long execute(int p, int imm, long pc) {
        final long[] x = this.x;
        int rd = (p >>> CodeCache.RD_SHIFT) & 31;
        int rs1 = (p >>> CodeCache.RS1_SHIFT) & 31;
        int rs2 = (p >>> CodeCache.RS2_SHIFT) & 31;
        long next;
        if ((p & CodeCache.COMPRESSED) != 0) {
            if ((csr.misa & MISA_C) == 0) {
                throw illegal();
            }
            next = pc + 2;
        } else {
            next = pc + 4;
        }
        int op = CodeCache.op(p);
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
            case Op.BLTU -> { if (x[rs1] + Long.MIN_VALUE < x[rs2] + Long.MIN_VALUE) return jumpTarget(pc + imm); }
            case Op.BGEU -> { if (x[rs1] + Long.MIN_VALUE >= x[rs2] + Long.MIN_VALUE) return jumpTarget(pc + imm); }
            case Op.LB, Op.LH, Op.LW, Op.LD, Op.LBU, Op.LHU, Op.LWU -> {
                int shift = LOAD_EXTEND_SHIFT[op - Op.LB];
                x[rd] = mmu.load(x[rs1] + imm, LOAD_SIZE[op - Op.LB]) << shift >> shift;
            }
            case Op.SB, Op.SH, Op.SW, Op.SD -> mmu.store(x[rs1] + imm, x[rs2], 1 << (op - Op.SB));
            case Op.ADDI -> x[rd] = x[rs1] + imm;
            case Op.SLTI -> x[rd] = x[rs1] < imm ? 1 : 0;
            case Op.SLTIU -> x[rd] = x[rs1] + Long.MIN_VALUE < imm + Long.MIN_VALUE ? 1 : 0;
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
            case Op.SLTU -> x[rd] = x[rs1] + Long.MIN_VALUE < x[rs2] + Long.MIN_VALUE ? 1 : 0;
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
            default -> {
                return executeOther(op, rd, rs1, rs2, imm, pc, next);
            }
        }
        return next;
    }

    /**
     * The operations outside RV64I (system, Zicsr, M, A, F, D), in a method of their own: the
     * JIT then prepares less for every instruction before the main switch dispatches.
     */
    private long executeOther(int op, int rd, int rs1, int rs2, int imm, long pc, long next) {
        final long[] x = this.x;
        switch (op) {
            case Op.FENCE -> VarHandle.fullFence();
            case Op.FENCE_I -> fenceInstructions();
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

    /**
     * With misa.C cleared IALIGN is 32: a jump to a 2-byte-aligned target raises
     * instruction-address-misaligned. Small enough for the JIT to inline at every branch.
     */
    private long jumpTarget(long target) {
        return (target & 2) == 0 ? target : halfwordAlignedTarget(target);
    }

    private long halfwordAlignedTarget(long target) {
        if ((csr.misa & MISA_C) == 0) {
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
