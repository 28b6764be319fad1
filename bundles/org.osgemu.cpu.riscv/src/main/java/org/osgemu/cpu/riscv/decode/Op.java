package org.osgemu.cpu.riscv.decode;

/**
 * Operation numbers of decoded instructions: what the interpreter switches on. Compressed
 * instructions decode to the operation of their 32-bit expansion. The numbers are dense so the
 * switch compiles to a jump table; {@link #name(int)} gives the assembler mnemonic.
 */
public final class Op {

    private Op() {
    }

    public static final int ILLEGAL = 0;
    // RV64I
    public static final int LUI = 1, AUIPC = 2, JAL = 3, JALR = 4;
    public static final int BEQ = 5, BNE = 6, BLT = 7, BGE = 8, BLTU = 9, BGEU = 10;
    public static final int LB = 11, LH = 12, LW = 13, LD = 14, LBU = 15, LHU = 16, LWU = 17;
    public static final int SB = 18, SH = 19, SW = 20, SD = 21;
    public static final int ADDI = 22, SLTI = 23, SLTIU = 24, XORI = 25, ORI = 26, ANDI = 27;
    public static final int SLLI = 28, SRLI = 29, SRAI = 30;
    public static final int ADD = 31, SUB = 32, SLL = 33, SLT = 34, SLTU = 35, XOR = 36, SRL = 37, SRA = 38,
            OR = 39, AND = 40;
    public static final int ADDIW = 41, SLLIW = 42, SRLIW = 43, SRAIW = 44;
    public static final int ADDW = 45, SUBW = 46, SLLW = 47, SRLW = 48, SRAW = 49;
    public static final int FENCE = 50, FENCE_I = 51, ECALL = 52, EBREAK = 53;
    // M
    public static final int MUL = 54, MULH = 55, MULHSU = 56, MULHU = 57, DIV = 58, DIVU = 59, REM = 60, REMU = 61;
    public static final int MULW = 62, DIVW = 63, DIVUW = 64, REMW = 65, REMUW = 66;
    // A: word forms, then doubleword forms in the same order (AMO_D = AMO_W + 11)
    public static final int LR_W = 67, SC_W = 68, AMOSWAP_W = 69, AMOADD_W = 70, AMOXOR_W = 71, AMOAND_W = 72,
            AMOOR_W = 73, AMOMIN_W = 74, AMOMAX_W = 75, AMOMINU_W = 76, AMOMAXU_W = 77;
    public static final int LR_D = 78, SC_D = 79, AMOSWAP_D = 80, AMOADD_D = 81, AMOXOR_D = 82, AMOAND_D = 83,
            AMOOR_D = 84, AMOMIN_D = 85, AMOMAX_D = 86, AMOMINU_D = 87, AMOMAXU_D = 88;
    // Zicsr
    public static final int CSRRW = 89, CSRRS = 90, CSRRC = 91, CSRRWI = 92, CSRRSI = 93, CSRRCI = 94;
    // privileged
    public static final int SRET = 95, MRET = 96, WFI = 97, SFENCE_VMA = 98;
    // F: every single-precision operation lies in FLW..FMV_W_X
    public static final int FLW = 99, FSW = 100, FMADD_S = 101, FMSUB_S = 102, FNMSUB_S = 103, FNMADD_S = 104,
            FADD_S = 105, FSUB_S = 106, FMUL_S = 107, FDIV_S = 108, FSQRT_S = 109,
            FSGNJ_S = 110, FSGNJN_S = 111, FSGNJX_S = 112, FMIN_S = 113, FMAX_S = 114,
            FCVT_W_S = 115, FCVT_WU_S = 116, FCVT_L_S = 117, FCVT_LU_S = 118, FMV_X_W = 119,
            FEQ_S = 120, FLT_S = 121, FLE_S = 122, FCLASS_S = 123,
            FCVT_S_W = 124, FCVT_S_WU = 125, FCVT_S_L = 126, FCVT_S_LU = 127, FMV_W_X = 128;
    // D: the same order (op_D = op_S + 30), then the two conversions between the formats
    public static final int FLD = 129, FSD = 130, FMADD_D = 131, FMSUB_D = 132, FNMSUB_D = 133, FNMADD_D = 134,
            FADD_D = 135, FSUB_D = 136, FMUL_D = 137, FDIV_D = 138, FSQRT_D = 139,
            FSGNJ_D = 140, FSGNJN_D = 141, FSGNJX_D = 142, FMIN_D = 143, FMAX_D = 144,
            FCVT_W_D = 145, FCVT_WU_D = 146, FCVT_L_D = 147, FCVT_LU_D = 148, FMV_X_D = 149,
            FEQ_D = 150, FLT_D = 151, FLE_D = 152, FCLASS_D = 153,
            FCVT_D_W = 154, FCVT_D_WU = 155, FCVT_D_L = 156, FCVT_D_LU = 157, FMV_D_X = 158,
            FCVT_S_D = 159, FCVT_D_S = 160;

    /** Number of operations. */
    public static final int COUNT = 161;

    private static final String[] NAMES = {
        "illegal", "lui", "auipc", "jal", "jalr", "beq", "bne", "blt", "bge", "bltu", "bgeu",
        "lb", "lh", "lw", "ld", "lbu", "lhu", "lwu", "sb", "sh", "sw", "sd",
        "addi", "slti", "sltiu", "xori", "ori", "andi", "slli", "srli", "srai",
        "add", "sub", "sll", "slt", "sltu", "xor", "srl", "sra", "or", "and",
        "addiw", "slliw", "srliw", "sraiw", "addw", "subw", "sllw", "srlw", "sraw",
        "fence", "fence.i", "ecall", "ebreak",
        "mul", "mulh", "mulhsu", "mulhu", "div", "divu", "rem", "remu", "mulw", "divw", "divuw", "remw", "remuw",
        "lr.w", "sc.w", "amoswap.w", "amoadd.w", "amoxor.w", "amoand.w", "amoor.w", "amomin.w", "amomax.w",
        "amominu.w", "amomaxu.w",
        "lr.d", "sc.d", "amoswap.d", "amoadd.d", "amoxor.d", "amoand.d", "amoor.d", "amomin.d", "amomax.d",
        "amominu.d", "amomaxu.d",
        "csrrw", "csrrs", "csrrc", "csrrwi", "csrrsi", "csrrci",
        "sret", "mret", "wfi", "sfence.vma",
        "flw", "fsw", "fmadd.s", "fmsub.s", "fnmsub.s", "fnmadd.s", "fadd.s", "fsub.s", "fmul.s", "fdiv.s", "fsqrt.s",
        "fsgnj.s", "fsgnjn.s", "fsgnjx.s", "fmin.s", "fmax.s", "fcvt.w.s", "fcvt.wu.s", "fcvt.l.s", "fcvt.lu.s",
        "fmv.x.w", "feq.s", "flt.s", "fle.s", "fclass.s", "fcvt.s.w", "fcvt.s.wu", "fcvt.s.l", "fcvt.s.lu", "fmv.w.x",
        "fld", "fsd", "fmadd.d", "fmsub.d", "fnmsub.d", "fnmadd.d", "fadd.d", "fsub.d", "fmul.d", "fdiv.d", "fsqrt.d",
        "fsgnj.d", "fsgnjn.d", "fsgnjx.d", "fmin.d", "fmax.d", "fcvt.w.d", "fcvt.wu.d", "fcvt.l.d", "fcvt.lu.d",
        "fmv.x.d", "feq.d", "flt.d", "fle.d", "fclass.d", "fcvt.d.w", "fcvt.d.wu", "fcvt.d.l", "fcvt.d.lu", "fmv.d.x",
        "fcvt.s.d", "fcvt.d.s"
    };

    static {
        if (NAMES.length != COUNT) {
            throw new AssertionError("Op.NAMES has " + NAMES.length + " entries, not " + COUNT);
        }
    }

    /** The mnemonic of operation {@code op}. */
    public static String name(int op) {
        return op >= 0 && op < COUNT ? NAMES[op] : "op" + op;
    }
}
