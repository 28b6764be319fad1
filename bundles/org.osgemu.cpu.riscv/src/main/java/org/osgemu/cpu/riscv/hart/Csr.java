package org.osgemu.cpu.riscv.hart;

/**
 * CSR numbers and field layouts of the privileged architecture 1.12 ("Control and Status
 * Registers" and the machine- and supervisor-level chapters), for RV64.
 */
public final class Csr {

    private Csr() {
    }

    // ---- privilege levels ---------------------------------------------------------------
    public static final int PRIV_U = 0;
    public static final int PRIV_S = 1;
    public static final int PRIV_M = 3;

    // ---- unprivileged floating-point CSRs (F extension) ---------------------------------
    public static final int FFLAGS = 0x001;
    public static final int FRM = 0x002;
    public static final int FCSR = 0x003;

    // ---- unprivileged counters ----------------------------------------------------------
    public static final int CYCLE = 0xC00;
    public static final int TIME = 0xC01;
    public static final int INSTRET = 0xC02;
    public static final int HPMCOUNTER3 = 0xC03;
    public static final int HPMCOUNTER31 = 0xC1F;

    // ---- supervisor ---------------------------------------------------------------------
    public static final int SSTATUS = 0x100;
    public static final int SIE = 0x104;
    public static final int STVEC = 0x105;
    public static final int SCOUNTEREN = 0x106;
    public static final int SENVCFG = 0x10A;
    public static final int SSCRATCH = 0x140;
    public static final int SEPC = 0x141;
    public static final int SCAUSE = 0x142;
    public static final int STVAL = 0x143;
    public static final int SIP = 0x144;
    /** Sstc: the supervisor timer compare register. */
    public static final int STIMECMP = 0x14D;
    public static final int SATP = 0x180;

    // ---- machine ------------------------------------------------------------------------
    public static final int MVENDORID = 0xF11;
    public static final int MARCHID = 0xF12;
    public static final int MIMPID = 0xF13;
    public static final int MHARTID = 0xF14;
    public static final int MCONFIGPTR = 0xF15;
    public static final int MSTATUS = 0x300;
    public static final int MISA = 0x301;
    public static final int MEDELEG = 0x302;
    public static final int MIDELEG = 0x303;
    public static final int MIE = 0x304;
    public static final int MTVEC = 0x305;
    public static final int MCOUNTEREN = 0x306;
    public static final int MENVCFG = 0x30A;
    public static final int MCOUNTINHIBIT = 0x320;
    public static final int MHPMEVENT3 = 0x323;
    public static final int MHPMEVENT31 = 0x33F;
    public static final int MSCRATCH = 0x340;
    public static final int MEPC = 0x341;
    public static final int MCAUSE = 0x342;
    public static final int MTVAL = 0x343;
    public static final int MIP = 0x344;
    public static final int PMPCFG0 = 0x3A0;
    public static final int PMPCFG15 = 0x3AF;
    public static final int PMPADDR0 = 0x3B0;
    public static final int PMPADDR63 = 0x3EF;
    public static final int MCYCLE = 0xB00;
    public static final int MINSTRET = 0xB02;
    public static final int MHPMCOUNTER3 = 0xB03;
    public static final int MHPMCOUNTER31 = 0xB1F;

    // ---- mstatus / sstatus fields -------------------------------------------------------
    public static final long MSTATUS_SIE = 1L << 1;
    public static final long MSTATUS_MIE = 1L << 3;
    public static final long MSTATUS_SPIE = 1L << 5;
    public static final long MSTATUS_MPIE = 1L << 7;
    public static final long MSTATUS_SPP = 1L << 8;
    public static final int MSTATUS_MPP_SHIFT = 11;
    public static final long MSTATUS_MPP = 3L << MSTATUS_MPP_SHIFT;
    /** FP state: 0 Off, 1 Initial, 2 Clean, 3 Dirty. */
    public static final long MSTATUS_FS = 3L << 13;
    public static final long MSTATUS_MPRV = 1L << 17;
    public static final long MSTATUS_SUM = 1L << 18;
    public static final long MSTATUS_MXR = 1L << 19;
    public static final long MSTATUS_TVM = 1L << 20;
    public static final long MSTATUS_TW = 1L << 21;
    public static final long MSTATUS_TSR = 1L << 22;
    /** UXL = SXL = 2 (64-bit), fixed. */
    public static final long MSTATUS_XLEN_FIELDS = (2L << 32) | (2L << 34);
    /** Read-only summary: set when FS (the only extension state here) is Dirty. */
    public static final long MSTATUS_SD = 1L << 63;

    // ---- interrupt bits of mip / mie (also the interrupt cause codes) -------------------
    public static final int IRQ_S_SOFT = 1;
    public static final int IRQ_M_SOFT = 3;
    public static final int IRQ_S_TIMER = 5;
    public static final int IRQ_M_TIMER = 7;
    public static final int IRQ_S_EXT = 9;
    public static final int IRQ_M_EXT = 11;

    // ---- misa ---------------------------------------------------------------------------
    /** Extension bit of C in misa; the only writable bit. */
    public static final long MISA_C = 1L << 2;
    /** MXL = 2 (RV64) and the extensions A, C, I, M, S, U. */
    public static final long MISA_RV64IMACSU = (2L << 62) | (1L << 0) | MISA_C | (1L << 8) | (1L << 12)
            | (1L << 18) | (1L << 20);
    /** Extension bits of D and F in misa. */
    public static final long MISA_D = 1L << 3;
    public static final long MISA_F = 1L << 5;
    /** What misa reads at reset: RV64IMACSU with the F and D extensions. */
    public static final long MISA_RV64IMAFDCSU = MISA_RV64IMACSU | MISA_F | MISA_D;

    // ---- satp ---------------------------------------------------------------------------
    public static final long SATP_MODE_BARE = 0;
    public static final long SATP_MODE_SV39 = 8;
    public static final long SATP_MODE_SV48 = 9;
    public static final long SATP_MODE_SV57 = 10;
    public static final long SATP_PPN_MASK = (1L << 44) - 1;
    public static final long SATP_ASID_MASK = 0xFFFFL << 44;
    public static final int SATP_ASID_SHIFT = 44;
    /** All 16 ASID bits are implemented. */
    public static final long SATP_ASID_BITS_MASK = 0xFFFFL;

    // ---- menvcfg ------------------------------------------------------------------------
    /** Sstc: the STCE bit of menvcfg enables stimecmp for S-mode and its timer interrupt. */
    public static final long MENVCFG_STCE = 1L << 63;
}
