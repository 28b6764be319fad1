package org.osgemu.cpu.riscv.hart;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.osgemu.cpu.riscv.hart.Csr.*;
import static org.osgemu.cpu.riscv.testing.Asm.*;

import org.junit.jupiter.api.Test;
import org.osgemu.cpu.riscv.testing.Asm;
import org.osgemu.cpu.riscv.testing.HartTest;

/** MRET, SRET and SFENCE.VMA, with the TSR and TVM traps. */
class PrivilegedInstructionTest extends HartTest {

    @Test
    void mretRestoresPrivilegeAndInterruptEnable() {
        Asm a = program().li(T0, MSTATUS_MPIE | (1L << 11) | MSTATUS_MPRV).csrs(MSTATUS, T0)
                .la(T0, "s_code").csrw(MEPC, T0).mret()
                .label("s_code").ecall();
        runToTrap(a, TrapCause.ECALL_FROM_S);
        assertEquals(a.address("s_code"), reg("mepc"));
        // at the ecall: MIE had become 1 (from MPIE) and was stacked again into MPIE
        assertEquals(MSTATUS_MPIE, reg("mstatus") & (MSTATUS_MIE | MSTATUS_MPIE));
        assertEquals(0, reg("mstatus") & MSTATUS_MPRV, "MRET to a lower mode clears MPRV");
    }

    @Test
    void mretToMachineModeKeepsMprvAndSetsMppToUser() {
        run(program().li(T0, (3L << 11) | MSTATUS_MPRV).csrs(MSTATUS, T0)
                .la(T0, "next").csrw(MEPC, T0).mret()
                .label("next").csrr(A0, MSTATUS).wfi());
        assertEquals(MSTATUS_MPRV | MSTATUS_MPIE, x(A0) & (MSTATUS_MPRV | MSTATUS_MPP | MSTATUS_MPIE));
        assertEquals(PRIV_M, reg("priv"));
    }

    @Test
    void sretReturnsToSppWithSpie() {
        Asm a = program();
        dropTo(a, PRIV_S)
                .li(T0, MSTATUS_SPIE).csrs(SSTATUS, T0)            // SPP = 0 (U), SPIE = 1
                .la(T0, "u_code").csrw(SEPC, T0).sret()
                .label("u_code").ecall();
        runToTrap(a, TrapCause.ECALL_FROM_U);
        assertEquals(a.address("u_code"), reg("mepc"));
        assertEquals(MSTATUS_SIE | MSTATUS_SPIE, reg("mstatus") & (MSTATUS_SIE | MSTATUS_SPIE | MSTATUS_SPP));
    }

    @Test
    void sretFromMachineModeUsesSpp() {
        run(program().li(T0, MSTATUS_SPP).csrs(MSTATUS, T0).la(T0, "s_code").csrw(SEPC, T0).sret()
                .label("s_code").wfi());
        assertEquals(PRIV_S, reg("priv"));
    }

    @Test
    void xretIsIllegalFromTooLowAPrivilege() {
        Asm mretInS = program();
        runToTrap(dropTo(mretInS, PRIV_S).label("bad").mret(), TrapCause.ILLEGAL_INSTRUCTION);
        assertEquals(0x30200073L, reg("mtval"));

        Asm sretInU = program();
        runToTrap(dropTo(sretInU, PRIV_U).sret(), TrapCause.ILLEGAL_INSTRUCTION);
        assertEquals(0x10200073L, reg("mtval"));
    }

    @Test
    void tsrMakesSretIllegalInSupervisorMode() {
        Asm a = program().li(T0, MSTATUS_TSR).csrs(MSTATUS, T0);
        runToTrap(dropTo(a, PRIV_S).sret(), TrapCause.ILLEGAL_INSTRUCTION);
        assertEquals(PRIV_S, (reg("mstatus") & MSTATUS_MPP) >>> 11);
    }

    @Test
    void sfenceVmaRules() {
        run(program().sfence_vma(ZERO, ZERO).wfi());
        Asm s = program();
        run(dropTo(s, PRIV_S).sfence_vma(A0, A1).wfi());
        Asm u = program();
        runToTrap(dropTo(u, PRIV_U).sfence_vma(ZERO, ZERO), TrapCause.ILLEGAL_INSTRUCTION);
        Asm tvm = program().li(T0, MSTATUS_TVM).csrs(MSTATUS, T0);
        runToTrap(dropTo(tvm, PRIV_S).sfence_vma(ZERO, ZERO), TrapCause.ILLEGAL_INSTRUCTION);
        assertEquals(0x12000073L, reg("mtval"));
    }
}
