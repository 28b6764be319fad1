package org.osgemu.cpu.riscv.hart;

import static org.osgemu.cpu.riscv.hart.Csr.*;

import org.osgemu.api.vmstate.VMStateException;

/**
 * Checks a {@link RiscvCpuState} from outside before a hart takes it: every value must be one
 * the hart could have reached itself (legal privilege, aligned pc, WARL fields legal).
 */
final class StateCheck {

    private StateCheck() {
    }

    static void validate(RiscvCpuState s) throws VMStateException {
        if (s == null) {
            throw new VMStateException("riscv-cpu: no state given");
        }
        require(s.x() != null && s.x().length == 32, "x", "must hold 32 registers");
        require(s.x()[0] == 0, "x", "x0 must be 0, is 0x" + Long.toHexString(s.x()[0]));
        require(s.priv() == PRIV_U || s.priv() == PRIV_S || s.priv() == PRIV_M, "priv",
                "must be 0 (U), 1 (S) or 3 (M), is " + s.priv());
        // Streams before version 3 come from harts without F and D; the hart adds them on load.
        long misaWithFloat = s.misa() | MISA_F | MISA_D;
        require((misaWithFloat == MISA_RV64IMAFDCSU || misaWithFloat == (MISA_RV64IMAFDCSU & ~MISA_C))
                && ((s.misa() & MISA_F) == 0) == ((s.misa() & MISA_D) == 0), "misa",
                "must be RV64IMAFDCSU (RV64IMACSU from older streams) with or without C, is " + hex(s.misa()));
        long alignment = (s.misa() & MISA_C) != 0 ? 1 : 3;
        require((s.pc() & alignment) == 0, "pc", "is not aligned: " + hex(s.pc()));
        long mpp = (s.mstatus() & MSTATUS_MPP) >>> MSTATUS_MPP_SHIFT;
        boolean dirtyFloat = (s.mstatus() & MSTATUS_FS) == MSTATUS_FS;
        require((s.mstatus() & ~(CsrFile.MSTATUS_WRITABLE | MSTATUS_MPP | MSTATUS_SD)) == MSTATUS_XLEN_FIELDS
                && mpp != 2 && ((s.mstatus() & MSTATUS_SD) != 0) == dirtyFloat,
                "mstatus", "has reserved or read-only bits wrong: " + hex(s.mstatus()));
        within(s.medeleg(), CsrFile.MEDELEG_WRITABLE, "medeleg");
        within(s.mideleg(), CsrFile.MIDELEG_WRITABLE, "mideleg");
        within(s.mie(), CsrFile.MIE_WRITABLE, "mie");
        within(s.mip(), CsrFile.MIP_WRITABLE, "mip");
        require((s.mtvec() & 3) < 2, "mtvec", "has a reserved mode: " + hex(s.mtvec()));
        require((s.stvec() & 3) < 2, "stvec", "has a reserved mode: " + hex(s.stvec()));
        require((s.mepc() & 1) == 0, "mepc", "is odd: " + hex(s.mepc()));
        require((s.sepc() & 1) == 0, "sepc", "is odd: " + hex(s.sepc()));
        within(s.mcounteren(), 0xFFFF_FFFFL, "mcounteren");
        within(s.scounteren(), 0xFFFF_FFFFL, "scounteren");
        within(s.mcountinhibit(), 0xFFFF_FFFDL, "mcountinhibit");
        within(s.menvcfg(), CsrFile.MENVCFG_WRITABLE, "menvcfg");
        within(s.senvcfg(), CsrFile.ENVCFG_WRITABLE, "senvcfg");
        long satpMode = s.satp() >>> 60;
        require(satpMode == SATP_MODE_BARE || satpMode == SATP_MODE_SV39 || satpMode == SATP_MODE_SV48
                || satpMode == SATP_MODE_SV57, "satp",
                "has an unsupported mode " + satpMode);
        require(s.pmpcfg() != null && s.pmpcfg().length == CsrFile.PMP_ENTRIES / 8, "pmpcfg",
                "must hold " + CsrFile.PMP_ENTRIES / 8 + " registers");
        for (long cfg : s.pmpcfg()) {
            for (int i = 0; i < 8; i++) {
                int b = (int) (cfg >>> (8 * i)) & 0xFF;
                require((b & 0x60) == 0 && (b & 3) != 2, "pmpcfg", "has a reserved entry value in " + hex(cfg));
            }
        }
        require(s.pmpaddr() != null && s.pmpaddr().length == CsrFile.PMP_ENTRIES, "pmpaddr",
                "must hold " + CsrFile.PMP_ENTRIES + " registers");
        for (long addr : s.pmpaddr()) {
            within(addr, CsrFile.PMPADDR_MASK, "pmpaddr");
        }
        validateFloat(s);
    }

    /** The F/D state: any register bits are legal; fcsr has only fflags and frm (reserved modes included). */
    private static void validateFloat(RiscvCpuState s) throws VMStateException {
        require(s.f() != null && s.f().length == 32, "f", "must hold 32 registers");
        within(s.fcsr(), 0xFF, "fcsr");
    }

    private static void within(long value, long allowed, String field) throws VMStateException {
        require((value & ~allowed) == 0, field, hex(value) + " sets bits outside " + hex(allowed));
    }

    private static void require(boolean ok, String field, String problem) throws VMStateException {
        if (!ok) {
            throw new VMStateException("riscv-cpu." + field + ": " + problem);
        }
    }

    private static String hex(long v) {
        return "0x" + Long.toHexString(v);
    }
}
