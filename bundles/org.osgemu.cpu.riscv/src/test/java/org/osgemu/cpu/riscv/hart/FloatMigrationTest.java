package org.osgemu.cpu.riscv.hart;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.osgemu.cpu.riscv.hart.Csr.*;
import static org.osgemu.cpu.riscv.testing.Asm.*;

import java.util.Arrays;

import org.junit.jupiter.api.Test;
import org.osgemu.api.cpu.Cpu.ExitReason;
import org.osgemu.api.vmstate.VMStateException;
import org.osgemu.cpu.riscv.testing.Asm;
import org.osgemu.cpu.riscv.testing.FloatHartTest;

/** The F/D part of the riscv-cpu VMState: registers and fcsr migrate; older streams load; bad values are refused. */
class FloatMigrationTest extends FloatHartTest {

    /** Bytes the fields added in versions 2 (stimecmp) and 3 (f, fcsr) take at the end of a stream. */
    private static final int VERSION_2_BYTES = 8;
    private static final int VERSION_3_BYTES = 32 * 8 + 4;

    private static RiscvCpuState with(RiscvCpuState s, long mstatus, long misa, long[] f, int fcsr) {
        return new RiscvCpuState(s.pc(), s.priv(), s.x(), mstatus, misa, s.medeleg(), s.mideleg(), s.mie(),
                s.mip(), s.interruptLines(), s.mtvec(), s.mscratch(), s.mepc(), s.mcause(), s.mtval(),
                s.mcounteren(), s.mcountinhibit(), s.menvcfg(), s.stvec(), s.sscratch(), s.sepc(), s.scause(),
                s.stval(), s.scounteren(), s.senvcfg(), s.satp(), s.mcycle(), s.minstret(), s.pmpcfg(),
                s.pmpaddr(), s.waitingForInterrupt(), s.stimecmp(), f, fcsr);
    }

    @Test
    void fpRegistersAndFcsrTravelAndTheGuestCarriesOnIdentically() throws VMStateException {
        Asm a = fpProgram();
        loadDouble(a, 1, 1.0);
        loadDouble(a, 2, 0x1p-60);
        loadSingle(a, 3, 3.0f);
        a.csrwi(FRM, RUP).fdiv_s(4, 3, 3, RNE).fadd_d(5, 1, 2)
                .label("pause").fadd_d(6, 1, 2).fsub_d(7, 1, 2, DYN).csrr(A0, FCSR).wfi();
        appendHandler(a);
        hart = machine.load(a);
        while (hart.pc() != a.address("pause")) {
            assertEquals(ExitReason.BUDGET, hart.execute(1));
        }
        byte[] wire = RiscvCpuState.VMSTATE.save(hart.saveState());
        RiscvHart target = new RiscvHart(0, machine);
        target.loadState(RiscvCpuState.VMSTATE.load(wire, RiscvCpuState.VMSTATE.version()));
        assertArrayEquals(wire, RiscvCpuState.VMSTATE.save(target.saveState()));
        assertEquals(hart.registers(), target.registers());

        hart.execute(100);
        target.execute(100);
        assertEquals(hart.registers(), target.registers());
        assertEquals(Math.nextUp(1.0), fd(6), "frm = RUP came along");
        assertEquals((long) RUP << 5 | 1, x(A0), "and so did NX");
        assertEquals(3L, mstatusFs());
    }

    @Test
    void streamsFromHartsWithoutFAndDStillLoad() throws VMStateException {
        loadProgram(program().wfi());
        RiscvCpuState current = hart.saveState();
        RiscvCpuState old = with(current, current.mstatus(), MISA_RV64IMACSU, new long[32], 0);
        byte[] wire = RiscvCpuState.VMSTATE.save(old);
        for (int version = 1; version <= 2; version++) {
            int drop = VERSION_3_BYTES + (version == 1 ? VERSION_2_BYTES : 0);
            byte[] older = Arrays.copyOf(wire, wire.length - drop);
            RiscvCpuState loaded = RiscvCpuState.VMSTATE.load(older, version);
            assertArrayEquals(new long[32], loaded.f());
            assertEquals(0, loaded.fcsr());
            RiscvHart target = new RiscvHart(0, machine);
            target.loadState(loaded);
            assertEquals(MISA_RV64IMAFDCSU, target.registers().get("misa"), "the extensions are there after loading");
            assertEquals(0L, target.registers().get("mstatus") & MSTATUS_FS, "but off until the guest enables them");
        }
    }

    @Test
    void badFpStateIsRefusedWithTheFieldNamed() {
        loadProgram(program().wfi());
        RiscvCpuState s = hart.saveState();
        assertRefused("fcsr", with(s, s.mstatus(), s.misa(), s.f(), 0x100));
        assertRefused("fcsr", with(s, s.mstatus(), s.misa(), s.f(), -1));
        assertRefused("f", with(s, s.mstatus(), s.misa(), new long[31], 0));
        assertRefused("f", with(s, s.mstatus(), s.misa(), null, 0));
        assertRefused("mstatus", with(s, s.mstatus() | MSTATUS_SD, s.misa(), s.f(), 0));
        assertRefused("mstatus", with(s, s.mstatus() | MSTATUS_FS, s.misa(), s.f(), 0));
        assertRefused("misa", with(s, s.mstatus(), s.misa() & ~MISA_D, s.f(), 0));
    }

    private void assertRefused(String field, RiscvCpuState bad) {
        RiscvHart target = new RiscvHart(0, machine);
        VMStateException e = assertThrows(VMStateException.class, () -> target.loadState(bad));
        assertTrue(e.getMessage().startsWith("riscv-cpu." + field + ":"), e.getMessage());
    }

    @Test
    void dirtyStateAndReservedFrmAreLegalStates() throws VMStateException {
        loadProgram(program().wfi());
        RiscvCpuState s = hart.saveState();
        long[] f = new long[32];
        f[31] = 0x7FF0_0000_0000_0001L;
        RiscvHart target = new RiscvHart(0, machine);
        target.loadState(with(s, s.mstatus() | MSTATUS_FS | MSTATUS_SD, s.misa(), f, 7 << 5 | 0x1F));
        assertEquals(0xFFL, target.registers().get("fcsr"));
        assertEquals(0x7FF0_0000_0000_0001L, target.registers().get("ft11"));
    }
}
