package org.osgemu.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.osgemu.api.machine.MachineActions;

/** {@code -no-reboot}, {@code -no-shutdown}, {@code -cpu} and {@code -accel}, as QEMU scripts give them. */
class QemuCommonOptionsTest {

    private static LaunchPlan parse(String... args) throws CommandLineException {
        return CommandLine.parse(List.of(args));
    }

    private static String error(String... args) {
        return assertThrows(CommandLineException.class, () -> parse(args)).getMessage();
    }

    @Test
    void noRebootAndNoShutdownReachTheMachineActions() throws Exception {
        assertEquals(MachineActions.DEFAULT, parse().actions());
        assertEquals(new MachineActions(true, false), parse("-no-reboot").actions());
        assertEquals(new MachineActions(false, true), parse("-no-shutdown").actions());
        assertEquals(new MachineActions(true, true), parse("--no-shutdown", "-no-reboot").actions());
    }

    @Test
    void acceptsQemusDefaultCpuModelAndTcg() throws Exception {
        LaunchPlan p = parse("-cpu", "rv64", "-accel", "tcg", "-M", "virt,accel=tcg");
        assertEquals(LaunchPlan.Action.RUN, p.action());
        assertEquals("virt", p.machineType());
        assertEquals(LaunchPlan.Action.RUN, parse("-machine", "virt,accel=kvm:tcg").action(), "QEMU falls back to tcg");
    }

    @Test
    void helpListsTheCpuModelsAndAccelerators() throws Exception {
        assertEquals(LaunchPlan.Action.LIST_CPUS, parse("-cpu", "help").action());
        assertEquals(LaunchPlan.Action.LIST_ACCELERATORS, parse("-accel", "help").action());
        assertEquals("Available CPUs:\n  rv64\n", CpuAndAccel.CPU_HELP);
        assertTrue(CpuAndAccel.ACCEL_HELP.endsWith("\ntcg\n"), CpuAndAccel.ACCEL_HELP);
    }

    @Test
    void refusesCpuModelsItDoesNotImplement() {
        assertEquals("-cpu nosuch: unknown CPU model (try -cpu help)", error("-cpu", "nosuch"));
        String max = error("-cpu", "max");
        assertTrue(max.startsWith("-cpu max: QEMU's max model is not what osgemu's hart implements"), max);
        assertTrue(max.endsWith("use -cpu rv64"), max);
    }

    @Test
    void refusesCpuProperties() {
        String message = error("-cpu", "rv64,sstc=off");
        assertTrue(message.startsWith("-cpu rv64,sstc=off: CPU properties are not supported"), message);
    }

    @Test
    void refusesHardwareAcceleratorsByName() {
        assertEquals("osgemu has no kvm accelerator; -accel tcg or none of it", error("-accel", "kvm"));
        assertEquals("osgemu has no hvf accelerator; -accel tcg or none of it", error("-accel", "hvf"));
        assertEquals("osgemu has no whpx accelerator; -accel tcg or none of it", error("-accel", "whpx"));
        assertEquals("osgemu has no kvm accelerator; -accel tcg or none of it", error("-M", "virt,accel=kvm"));
        assertEquals("-accel warp: unknown accelerator 'warp' (try -accel help)", error("-accel", "warp"));
        String props = error("-accel", "tcg,thread=single");
        assertTrue(props.startsWith("-accel tcg,thread=single: accelerator properties are not supported"), props);
    }

    @Test
    void cpuAndAccelNeedAnArgument() {
        assertEquals("-cpu: requires an argument", error("-cpu"));
        assertEquals("-accel: requires an argument", error("-accel"));
    }
}
