package org.osgemu.shell.commands;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class RegisterDumpTest {

    private static Map<String, Long> numberedRegisters() {
        Map<String, Long> registers = new LinkedHashMap<>();
        registers.put("mhartid", 0L);
        registers.put("mstatus", 0xa00000000L);
        for (int i = 0; i < 32; i++) {
            registers.put("x" + i, (long) i);
        }
        return registers;
    }

    @Test
    void pcThenCsrsThenIntegerRegistersFourPerLineAsQemuPrintsThem() {
        String text = RegisterDump.format(new FakeCpu(0, 0x80000000L, numberedRegisters()));
        List<String> lines = text.lines().toList();

        assertEquals(" pc       0000000080000000", lines.get(0));
        assertEquals(" mhartid  0000000000000000", lines.get(1));
        assertEquals(" mstatus  0000000a00000000", lines.get(2));
        assertEquals(" x0/zero  0000000000000000 x1/ra    0000000000000001 x2/sp    0000000000000002"
                + " x3/gp    0000000000000003", lines.get(3));
        assertEquals(" x8/s0    0000000000000008 x9/s1    0000000000000009 x10/a0   000000000000000a"
                + " x11/a1   000000000000000b", lines.get(5));
        assertEquals(" x28/t3   000000000000001c x29/t4   000000000000001d x30/t5   000000000000001e"
                + " x31/t6   000000000000001f", lines.get(10));
        assertEquals(11, lines.size(), text);
    }

    @Test
    void abiAndCombinedNamesLandInTheirNumberedSlotInIndexOrder() {
        Map<String, Long> registers = new LinkedHashMap<>();
        registers.put("t0", 5L);
        registers.put("fp", 8L);
        registers.put("x2/sp", 2L);
        registers.put("zero", 0L);
        String text = RegisterDump.format(new FakeCpu(0, 0x1000, registers));

        assertEquals(" pc       0000000000001000\n"
                + " x0/zero  0000000000000000 x2/sp    0000000000000002 x5/t0    0000000000000005"
                + " x8/s0    0000000000000008", text);
    }

    @Test
    void floatRegistersFollowTheIntegerOnesAndFloatCsrsStayCsrs() {
        Map<String, Long> registers = new LinkedHashMap<>();
        registers.put("f1", 0x3ff0000000000000L);
        registers.put("fcsr", 0L);
        registers.put("fa0", -1L);
        registers.put("x1", 1L);
        List<String> lines = RegisterDump.format(new FakeCpu(0, 0, registers)).lines().toList();

        assertEquals(" fcsr     0000000000000000", lines.get(1));
        assertEquals(" x1/ra    0000000000000001", lines.get(2));
        assertEquals(" f1/ft1   3ff0000000000000 f10/fa0  ffffffffffffffff", lines.get(3));
    }

    @Test
    void everyCpuGetsAHeaderAfterABlankLine() {
        String text = RegisterDump.formatAll(List.of(
                new FakeCpu(0, 0x80000000L, Map.of()), new FakeCpu(1, 0x80000004L, Map.of())));

        assertEquals("\nCPU#0\n pc       0000000080000000\n\nCPU#1\n pc       0000000080000004", text);
        assertTrue(text.startsWith("\n"));
    }
}
