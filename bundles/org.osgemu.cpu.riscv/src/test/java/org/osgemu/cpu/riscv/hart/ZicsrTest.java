package org.osgemu.cpu.riscv.hart;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.osgemu.cpu.riscv.hart.Csr.*;
import static org.osgemu.cpu.riscv.testing.Asm.*;

import org.junit.jupiter.api.Test;
import org.osgemu.cpu.riscv.testing.Asm;
import org.osgemu.cpu.riscv.testing.HartTest;

/** The Zicsr instructions, CSR access rules and the WARL behaviour of the CSRs. */
class ZicsrTest extends HartTest {

    @Test
    void allSixCsrInstructions() {
        run(program().li(A0, 0xF0).li(A1, 0x3C)
                .csrrw(S1, MSCRATCH, A0)       // s1 = 0, mscratch = 0xF0
                .csrrs(S2, MSCRATCH, A1)       // s2 = 0xF0, mscratch = 0xFC
                .csrrc(S3, MSCRATCH, A0)       // s3 = 0xFC, mscratch = 0x0C
                .csrrwi(S4, MSCRATCH, 31)      // s4 = 0x0C, mscratch = 31
                .csrrsi(S5, MSCRATCH, 0)       // reads only
                .csrrci(S6, MSCRATCH, 3)       // s6 = 31, mscratch = 28
                .csrrsi(S7, MSCRATCH, 1)       // s7 = 28, mscratch = 29
                .csrr(S8, MSCRATCH)
                .wfi());
        assertEquals(0, x(S1));
        assertEquals(0xF0, x(S2));
        assertEquals(0xFC, x(S3));
        assertEquals(0x0C, x(S4));
        assertEquals(31, x(S5));
        assertEquals(31, x(S6));
        assertEquals(28, x(S7));
        assertEquals(29, x(S8));
    }

    @Test
    void unknownCsrRaisesIllegalInstructionWithTheInstructionBits() {
        int tselect = 0x7A0; // debug triggers are not implemented
        Asm a = program().label("probe").csrr(A0, tselect).wfi();
        runToTrap(a, TrapCause.ILLEGAL_INSTRUCTION);
        assertEquals(Integer.toUnsignedLong(tselect << 20 | 2 << 12 | A0 << 7 | 0x73), reg("mtval"));
        assertEquals(a.address("probe"), reg("mepc"));
    }

    @Test
    void writingAReadOnlyCsrIsIllegalButReadingItIsNot() {
        run(program().csrr(A0, MHARTID).csrrsi(A1, MVENDORID, 0).csrrs(A2, MARCHID, ZERO).wfi());
        runToTrap(program().csrw(MHARTID, A0).wfi(), TrapCause.ILLEGAL_INSTRUCTION);
        runToTrap(program().li(A1, 1).csrrs(A0, MIMPID, A1).wfi(), TrapCause.ILLEGAL_INSTRUCTION);
        runToTrap(program().csrrwi(ZERO, CYCLE, 0).wfi(), TrapCause.ILLEGAL_INSTRUCTION);
    }

    @Test
    void machineInformationRegisters() {
        run(program().csrr(A0, MHARTID).csrr(A1, MVENDORID).csrr(A2, MARCHID).csrr(A3, MIMPID)
                .csrr(A4, MCONFIGPTR).csrr(A5, MISA).wfi());
        assertEquals(0, x(A0));
        assertEquals(0, x(A1) | x(A2) | x(A3) | x(A4));
        // MXL = 2, extensions A C D F I M S U
        assertEquals(0x8000_0000_0014_112DL, x(A5));
    }

    @Test
    void machineCsrsAreIllegalFromSupervisorMode() {
        Asm a = program();
        runToTrap(dropTo(a, PRIV_S).csrr(A0, MSTATUS).wfi(), TrapCause.ILLEGAL_INSTRUCTION);
        assertEquals(PRIV_S, (reg("mstatus") >>> 11) & 3, "trapped from S-mode");
        Asm b = program();
        runToTrap(dropTo(b, PRIV_U).csrr(A0, SSTATUS).wfi(), TrapCause.ILLEGAL_INSTRUCTION);
    }

    @Test
    void mstatusKeepsOnlyItsWritableFields() {
        run(program().li(A0, -1L).csrw(MSTATUS, A0).csrr(A1, MSTATUS)
                .li(A0, 2L << 11).csrw(MSTATUS, A0).csrr(A2, MSTATUS)     // MPP = 2 is reserved
                .csrr(A3, SSTATUS)
                .csrw(MSTATUS, ZERO).li(A0, -1L).csrw(SSTATUS, A0).csrr(A4, MSTATUS)
                .wfi());
        long writable = CsrFile.MSTATUS_WRITABLE | MSTATUS_MPP | MSTATUS_XLEN_FIELDS;
        assertEquals(writable | MSTATUS_SD, x(A1), "FS = Dirty shows in SD");
        assertEquals(MSTATUS_MPP, x(A2) & MSTATUS_MPP, "MPP kept its old value 3");
        assertEquals(x(A2) & (CsrFile.SSTATUS_WRITABLE | (3L << 32)), x(A3));
        assertEquals(CsrFile.SSTATUS_WRITABLE | MSTATUS_XLEN_FIELDS | MSTATUS_SD, x(A4));
    }

    @Test
    void delegationAndEnableRegistersKeepTheirWritableBits() {
        run(program().li(A0, -1L)
                .csrw(MEDELEG, A0).csrr(A1, MEDELEG)
                .csrw(MIDELEG, A0).csrr(A2, MIDELEG)
                .csrw(MIE, A0).csrr(A3, MIE)
                .csrw(MIP, A0).csrr(A4, MIP)
                .csrr(A5, SIE).csrr(A6, SIP)
                .csrw(MIE, ZERO)     // or WFI would not wait
                .wfi());
        assertEquals(0xB3FF, x(A1), "ecall from M and reserved codes cannot be delegated");
        assertEquals(0x222, x(A2));
        assertEquals(0xAAA, x(A3));
        assertEquals(0x222, x(A4), "only SSIP, STIP and SEIP are writable in mip");
        assertEquals(0x222, x(A5));
        assertEquals(0x222, x(A6));
    }

    @Test
    void sieAndSipShowOnlyDelegatedInterrupts() {
        run(program().li(A0, 0x20).csrw(MIDELEG, A0)         // delegate STI only
                .li(A0, -1L).csrw(SIE, A0).csrr(A1, MIE)
                .li(A0, 0x22).csrw(MIP, A0).csrr(A2, SIP)
                .li(A0, 0x2).csrw(MIDELEG, A0).csrw(SIP, ZERO).csrr(A3, MIP)
                .csrw(MIE, ZERO)
                .wfi());
        assertEquals(0x20, x(A1));
        assertEquals(0x20, x(A2));
        assertEquals(0x20, x(A3), "SSIP cleared through sip once delegated; STIP not writable there");
    }

    @Test
    void lineDrivenMipBitsAreReadOnlyToSoftware() {
        Asm a = program().li(A0, 1L << 7).csrrc(ZERO, MIP, A0).csrr(A1, MIP).wfi();
        a.label("m_trap").wfi();
        hart = machine.load(a);
        hart.interruptLine(IRQ_M_TIMER).raise();
        hart.execute(1000);
        assertEquals(1L << 7, x(A1));
    }

    @Test
    void seipReadsAsTheLineOrTheSoftwareBitButReadModifyWriteOnlyKeepsTheSoftwareBit() {
        Asm a = program().csrr(A0, MIP)
                .li(T0, 2).csrrs(ZERO, MIP, T0)  // sets SSIP; must not latch SEIP
                .wfi();
        a.label("m_trap").wfi();
        hart = machine.load(a);
        hart.interruptLine(IRQ_S_EXT).raise();
        hart.execute(1000);
        hart.interruptLine(IRQ_S_EXT).lower();
        assertEquals(1L << 9, x(A0));
        assertEquals(0x2, reg("mip"));
    }

    @Test
    void tvecModesAreWarl() {
        run(program().li(A0, 0x8000_1001L).csrw(MTVEC, A0).csrr(A1, MTVEC)
                .li(A0, 0x8000_2003L).csrw(MTVEC, A0).csrr(A2, MTVEC)
                .li(A0, 0x8000_3002L).csrw(STVEC, A0).csrr(A3, STVEC)
                .wfi());
        assertEquals(0x8000_1001L, x(A1));
        assertEquals(0x8000_2001L, x(A2), "reserved mode 3 keeps vectored mode");
        assertEquals(0x8000_3000L, x(A3));
    }

    @Test
    void epcLowBitIsAlwaysZero() {
        run(program().li(A0, 0x1235).csrw(MEPC, A0).csrr(A1, MEPC).csrw(SEPC, A0).csrr(A2, SEPC).wfi());
        assertEquals(0x1234, x(A1));
        assertEquals(0x1234, x(A2));
    }

    @Test
    void scratchCauseAndTvalRegistersHoldValues() {
        run(program().li(A0, 0x1234_5678_9ABC_DEF0L)
                .csrw(SSCRATCH, A0).csrr(A1, SSCRATCH)
                .csrw(MCAUSE, A0).csrr(A2, MCAUSE)
                .csrw(MTVAL, A0).csrr(A3, MTVAL)
                .csrw(SCAUSE, A0).csrr(A4, SCAUSE)
                .csrw(STVAL, A0).csrr(A5, STVAL)
                .wfi());
        for (int r : new int[] {A1, A2, A3, A4, A5}) {
            assertEquals(0x1234_5678_9ABC_DEF0L, x(r), ABI[r]);
        }
    }

    @Test
    void satpAcceptsBareSv39Sv48AndSv57AndIgnoresOtherModes() {
        run(program().li(A0, (8L << 60) | (5L << 44) | 0x80123).csrw(SATP, A0).csrr(A1, SATP)
                .li(A0, (9L << 60) | (0xFFFFL << 44) | 0x999).csrw(SATP, A0).csrr(A2, SATP)
                .li(A0, (10L << 60) | 0x777).csrw(SATP, A0).csrr(A3, SATP)
                .li(A0, (11L << 60) | 0x555).csrw(SATP, A0).csrr(A4, SATP)
                .csrw(SATP, ZERO)
                .wfi());
        assertEquals((8L << 60) | (5L << 44) | 0x80123, x(A1));
        assertEquals((9L << 60) | (0xFFFFL << 44) | 0x999, x(A2), "Sv48, with all 16 ASID bits");
        assertEquals((10L << 60) | 0x777, x(A3), "Sv57, which Linux probes first");
        assertEquals(x(A3), x(A4), "Sv64 is not supported: the write has no effect");
    }

    @Test
    void envcfgKeepsOnlyFiomAndStce() {
        run(program().li(A0, -1L).csrw(MENVCFG, A0).csrr(A1, MENVCFG).csrw(SENVCFG, A0).csrr(A2, SENVCFG).wfi());
        assertEquals(MENVCFG_STCE | 1, x(A1));
        assertEquals(1, x(A2));
    }

    @Test
    void pmpRegistersReadBackWhatWasWritten() {
        Asm a = program();
        for (int i = 0; i < 16; i++) {
            a.li(A0, 0x2000_0000L + i).csrw(PMPADDR0 + i, A0);
        }
        a.li(A0, 0x1F0D_0B09_0F19_0100L).csrw(PMPCFG0, A0)
                .li(A0, 0x1F1D_1F1F_1F1F_1F1FL).csrw(PMPCFG0 + 2, A0)
                .li(A0, -1L).csrw(PMPADDR0 + 16, A0).csrw(PMPCFG0 + 4, A0);
        for (int i = 0; i < 16; i++) {
            a.csrr(A1, PMPADDR0 + i).li(S0, DATA + 8 * i).sd(A1, 0, S0);
        }
        a.csrr(S1, PMPCFG0).csrr(S2, PMPCFG0 + 2).csrr(S3, PMPADDR0 + 16).csrr(S4, PMPCFG0 + 4).wfi();
        run(a);
        for (int i = 0; i < 16; i++) {
            assertEquals(0x2000_0000L + i, machine.readRam(DATA + 8 * i, 8), "pmpaddr" + i);
        }
        assertEquals(0x1F0D_0B09_0F19_0100L, x(S1));
        assertEquals(0x1F1D_1F1F_1F1F_1F1FL, x(S2));
        assertEquals(0, x(S3), "pmpaddr16 is not implemented and reads zero");
        assertEquals(0, x(S4));
    }

    @Test
    void pmpWarlRulesForReservedBitsAndLockedEntries() {
        run(program()
                .li(A0, 0x62).csrw(PMPCFG0, A0).csrr(S1, PMPCFG0)    // bits 5..6 reserved, R=0 W=1 reserved
                .li(A0, 0x1234).csrw(PMPADDR0, A0)
                .li(A0, 0x8F).csrw(PMPCFG0, A0)                        // lock entry 0 (NAPOT off: A=1 TOR)
                .li(A0, 0x99).csrw(PMPADDR0, A0).csrr(S2, PMPADDR0)
                .li(A0, 0).csrw(PMPCFG0, A0).csrr(S3, PMPCFG0)
                .li(A0, 0x8F00).csrw(PMPCFG0, A0)                     // still locked byte 0 stays 0x8F
                .csrr(S4, PMPCFG0)
                .wfi());
        assertEquals(0x00, x(S1));
        assertEquals(0x1234, x(S2), "locked entry ignores pmpaddr writes");
        assertEquals(0x8F, x(S3), "locked entry ignores pmpcfg writes");
        assertEquals(0x8F8F, x(S4));
        runToTrap(program().csrr(A0, PMPCFG0 + 1).wfi(), TrapCause.ILLEGAL_INSTRUCTION);
    }

    @Test
    void countersCountRetiredInstructionsAndCanBeWrittenAndInhibited() {
        run(program().li(A0, 100).csrw(MINSTRET, A0).csrr(A1, MINSTRET).csrr(A2, INSTRET)
                .csrw(MCYCLE, A0).csrr(A3, MCYCLE).csrr(A4, CYCLE)
                .csrwi(MCOUNTINHIBIT, 5).csrr(A5, MINSTRET).nop().nop().csrr(A6, MINSTRET)
                .csrr(A7, MCOUNTINHIBIT)
                .wfi());
        assertEquals(100, x(A1));
        assertEquals(101, x(A2));
        assertEquals(100, x(A3));
        assertEquals(101, x(A4));
        assertEquals(x(A5), x(A6), "inhibited minstret stands still");
        assertEquals(5, x(A7));
        // 3 instructions set up mtvec, 14 follow (WFI included)
        assertEquals(17, hart.instructionsRetired(), "instructionsRetired counts whatever mcountinhibit says");
        assertEquals(x(A6), reg("minstret"));
    }

    @Test
    void timeFollowsTheVirtualClockAtTheTimebase() {
        machine.clock.advanceTo(1_500_000_000L); // 1.5 s at 10 MHz
        run(program().csrr(A0, TIME).wfi());
        assertEquals(15_000_000L, x(A0));
    }

    @Test
    void hpmCountersAndEventsReadZero() {
        run(program().li(A0, 55).csrw(MHPMCOUNTER3, A0).csrw(MHPMEVENT3 + 28, A0)
                .csrr(A1, MHPMCOUNTER3).csrr(A2, MHPMEVENT3 + 28).csrr(A3, HPMCOUNTER3 + 28).wfi());
        assertEquals(0, x(A1) | x(A2) | x(A3));
    }

    @Test
    void countersBelowMachineModeNeedTheirEnableBits() {
        Asm denied = program();
        runToTrap(dropTo(denied, PRIV_S).csrr(A0, CYCLE).wfi(), TrapCause.ILLEGAL_INSTRUCTION);

        Asm sAllowed = program().csrwi(MCOUNTEREN, 7);
        run(dropTo(sAllowed, PRIV_S).csrr(A0, TIME).csrr(A1, INSTRET).wfi());

        Asm uDenied = program().csrwi(MCOUNTEREN, 7);
        runToTrap(dropTo(uDenied, PRIV_U).csrr(A0, INSTRET).wfi(), TrapCause.ILLEGAL_INSTRUCTION);

        Asm uAllowed = program().csrwi(MCOUNTEREN, 4).csrwi(SCOUNTEREN, 4);
        runToTrap(dropTo(uAllowed, PRIV_U).csrr(A0, INSTRET).ecall(), TrapCause.ECALL_FROM_U);

        Asm counterEnables = program().li(A0, -1L).csrw(MCOUNTEREN, A0).csrr(A1, MCOUNTEREN)
                .csrw(SCOUNTEREN, A0).csrr(A2, SCOUNTEREN);
        run(counterEnables.wfi());
        assertEquals(0xFFFF_FFFFL, x(A1));
        assertEquals(0xFFFF_FFFFL, x(A2));
    }

    @Test
    void satpIsIllegalInSupervisorModeUnderTvm() {
        Asm allowed = program();
        run(dropTo(allowed, PRIV_S).csrr(A0, SATP).wfi());
        Asm trapped = program().li(A0, MSTATUS_TVM).csrs(MSTATUS, A0);
        runToTrap(dropTo(trapped, PRIV_S).csrr(A0, SATP).wfi(), TrapCause.ILLEGAL_INSTRUCTION);
    }

    @Test
    void misaCanOnlyToggleC() {
        run(program().li(A0, 0).csrw(MISA, A0).csrr(A1, MISA).li(A0, -1L).csrw(MISA, A0).csrr(A2, MISA).wfi());
        assertEquals(MISA_RV64IMAFDCSU & ~MISA_C, x(A1));
        assertEquals(MISA_RV64IMAFDCSU, x(A2));
    }

    @Test
    void clearingCIsSuppressedWhenTheNextInstructionIsNotWordAligned() {
        Asm a = program();
        if ((a.here() & 2) == 0) {
            a.c_nop(); // put the misa write at an address that is 2 mod 4
        }
        run(a.csrwi(MISA, 0).csrr(A1, MISA).wfi());
        assertEquals(MISA_RV64IMAFDCSU, x(A1));
    }
}
