package org.osgemu.shell.commands;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgemu.api.machine.RunState;
import org.osgi.framework.Version;

class MonitorCommandsTest {

    private final MonitorCommands commands = new MonitorCommands("0.1.0 (osgemu test)");
    private final FakeMachine machine = new FakeMachine("vm0");

    @Test
    void unknownInfoTopicNamesTheTopicAndListsTheRealOnes() {
        commands.addMachine(machine);

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> commands.info("foo"));

        assertEquals("info: unknown topic 'foo'; try: mtree, qtree, registers, status, cpus, version, chardev, migrate", e.getMessage());
    }

    @Test
    void withoutMachineCommandsSayNoMachineIsRunningButVersionStillAnswers() {
        assertEquals("no machine is running", commands.info("status"));
        assertEquals("no machine is running", commands.info("registers", "-a"));
        assertEquals("no machine is running", commands.stop());
        assertEquals("no machine is running", commands.quit());
        assertEquals("no machine is running", commands.dumpdtb("x.dtb"));
        assertEquals("0.1.0 (osgemu test)", commands.info("version"));
    }

    @Test
    void machineGoingAwayLeavesNoMachine() {
        commands.addMachine(machine);
        commands.removeMachine(machine);

        assertEquals("no machine is running", commands.info("status"));
    }

    @Test
    void infoTopicsReachTheMachine() {
        machine.cpus.add(new FakeCpu(0, 0x80000000L, Map.of("x1", 1L)));
        machine.cpus.add(new FakeCpu(1, 0x80000010L, Map.of()));
        commands.addMachine(machine);

        assertEquals("address-space: memory", commands.info("mtree"));
        assertEquals("FlatView #0", commands.info("mtree", "-f"));
        assertEquals("VM status: running", commands.info("status"));
        assertEquals("* CPU #0: thread_id=100\n  CPU #1: thread_id=101", commands.info("cpus"));
        assertTrue(commands.info("registers").startsWith(" pc       0000000080000000\n x1/ra"));
        assertTrue(commands.info("registers", "1").startsWith(" pc       0000000080000010"));
        assertTrue(commands.info("registers", "-a").contains("\nCPU#1\n pc       0000000080000010"));
        assertTrue(commands.info().contains("info registers [-a|cpu]"));
    }

    @Test
    void badInfoOptionsAreRefusedWithWhatWouldWork() {
        machine.cpus.add(new FakeCpu(0, 0, Map.of()));
        commands.addMachine(machine);

        assertEquals("info mtree: unknown option '-x'; try: -f",
                assertThrows(IllegalArgumentException.class, () -> commands.info("mtree", "-x")).getMessage());
        assertEquals("info registers: no CPU #7; the machine has 1 CPU(s)",
                assertThrows(IllegalArgumentException.class, () -> commands.info("registers", "7")).getMessage());
        assertEquals("info status: takes no options, got -v",
                assertThrows(IllegalArgumentException.class, () -> commands.info("status", "-v")).getMessage());
    }

    @Test
    void runControlCommandsPrintNothingAndDriveTheMachine() {
        commands.addMachine(machine);

        assertNull(commands.stop());
        assertEquals("VM status: paused", commands.info("status"));
        assertNull(commands.c());
        assertNull(commands.system_reset());
        assertNull(commands.quit());

        assertEquals(List.of("stop", "cont", "reset host-qmp-system-reset", "shutdown host-qmp-quit 0"), machine.calls);
        assertEquals(RunState.SHUTDOWN, machine.state());
        assertEquals("VM status: paused (shutdown)", commands.info("status"));
    }

    @Test
    void dumpdtbWritesTheMachinesBlob(@TempDir Path dir) throws Exception {
        machine.deviceTree = new byte[] {(byte) 0xd0, 0x0d, (byte) 0xfe, (byte) 0xed};
        commands.addMachine(machine);
        Path file = dir.resolve("virt.dtb");

        assertEquals("wrote 4 bytes of device tree to " + file, commands.dumpdtb(file.toString()));
        assertArrayEquals(machine.deviceTree, Files.readAllBytes(file));
    }

    @Test
    void dumpdtbExplainsWhatIsMissing(@TempDir Path dir) {
        commands.addMachine(machine);

        assertEquals("dumpdtb: give the one file to write, e.g. dumpdtb virt.dtb",
                assertThrows(IllegalArgumentException.class, () -> commands.dumpdtb()).getMessage());
        assertEquals("dumpdtb: machine 'vm0' has no device tree",
                assertThrows(IllegalStateException.class, () -> commands.dumpdtb(dir.resolve("a.dtb").toString()))
                        .getMessage());
        machine.deviceTree = new byte[] {1};
        String missingDir = dir.resolve("no/such/dir/a.dtb").toString();
        assertTrue(assertThrows(IllegalStateException.class, () -> commands.dumpdtb(missingDir)).getMessage()
                .startsWith("dumpdtb: cannot write " + missingDir));
    }

    @Test
    void helpListsEveryCommandAndDescribesOne() {
        String help = commands.help();
        for (String function : CommandHelp.FUNCTIONS) {
            assertTrue(help.contains(function), function + " missing from help:\n" + help);
        }
        assertEquals("cont|c -- let the vCPUs run again", commands.help("c"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> commands.help("migrate")).getMessage()
                .startsWith("help: unknown command 'migrate'; try: cont, c, "));
    }

    @Test
    void versionNamesTheBundleVersion() {
        assertEquals("0.1.0 (osgemu 0.1.0.SNAPSHOT)", MonitorCommands.versionText(new Version("0.1.0.SNAPSHOT")));
    }
}
