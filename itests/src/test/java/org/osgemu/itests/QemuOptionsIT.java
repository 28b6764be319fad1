package org.osgemu.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.Test;

/**
 * QEMU options that scripts give all the time, on the bare-metal programs: {@code -no-reboot}
 * and {@code -no-shutdown} (what a guest's reset and power-off do), {@code -cpu} and {@code -accel}.
 * resettable.elf prints a start banner and asks the SiFive test finisher for a reset on an
 * {@code r} typed on the console; hello.elf and exit42.elf end through the finisher.
 */
public class QemuOptionsIT {

    private static final String BANNER = ConsoleReports.RESETTABLE_BANNER;

    @Test
    public void noRebootEndsTheProcessWhenTheGuestResets() throws Exception {
        try (Osgemu vm = Osgemu.start("-M", "virt", "-nographic", "-bios", "none", "-no-reboot",
                "-kernel", Osgemu.baremetal("resettable.elf").toString(), "-monitor", "none")) {
            assertTrue("the program starts; console:\n" + vm.stdout(), vm.awaitOutput("tick 2", 120));
            vm.type("r");
            assertEquals("a guest reset under -no-reboot exits with 0; stderr:\n" + vm.stderr(), 0, vm.awaitExit(60));
            assertTrue(vm.stdout(), vm.stdout().contains("resettable: reset requested"));
            assertEquals("no second start:\n" + vm.stdout(), vm.stdout().indexOf(BANNER), vm.stdout().lastIndexOf(BANNER));
        }
    }

    @Test
    public void noShutdownKeepsThePoweredOffMachineUntilQuit() throws Exception {
        Path socket = Files.createTempDirectory("osgemu-monitor").resolve("monitor.sock");
        try (Osgemu vm = Osgemu.start("-nographic", "-bios", "none", "-no-shutdown",
                "-kernel", Osgemu.baremetal("hello.elf").toString(), "-monitor", "unix:" + socket + ",server=on,wait=off")) {
            assertTrue("the program runs; console:\n" + vm.stdout(), vm.awaitOutput("arithmetic ok", 120));
            try (Monitor monitor = Monitor.connect(socket)) {
                String status = awaitStatus(monitor, "VM status: paused (shutdown)");
                assertEquals(status, "VM status: paused (shutdown)", status);
                assertTrue("the process stays after the guest's power-off", vm.process().isAlive());
                monitor.command("quit");
            }
            assertEquals("quit ends it with 0; stderr:\n" + vm.stderr(), 0, vm.awaitExit(60));
        }
    }

    @Test
    public void noShutdownKeepsTheFinishersFailureCodeForQuitAsQemuDoes() throws Exception {
        Path socket = Files.createTempDirectory("osgemu-monitor").resolve("monitor.sock");
        try (Osgemu vm = Osgemu.start("-nographic", "-bios", "none", "-no-shutdown",
                "-kernel", Osgemu.baremetal("exit42.elf").toString(), "-monitor", "unix:" + socket + ",server=on,wait=off")) {
            try (Monitor monitor = Monitor.connect(socket)) {
                awaitStatus(monitor, "VM status: paused (shutdown)");
                assertTrue(vm.process().isAlive());
                monitor.command("quit");
            }
            assertEquals("stderr:\n" + vm.stderr(), 42, vm.awaitExit(60));
        }
    }

    @Test
    public void cpuRv64AndAccelTcgBoot() throws Exception {
        try (Osgemu vm = Osgemu.start("-nographic", "-bios", "none", "-cpu", "rv64", "-accel", "tcg",
                "-kernel", Osgemu.baremetal("hello.elf").toString())) {
            assertEquals(vm.stderr(), 0, vm.awaitExit(60));
            assertTrue(vm.stdout(), vm.stdout().contains("Hello from osgemu bare metal"));
        }
    }

    @Test
    public void unknownCpuModelsAndHardwareAcceleratorsAreOneLineAndStatus1() throws Exception {
        assertRefused("osgemu: -cpu nosuch: unknown CPU model (try -cpu help)\n", "-cpu", "nosuch");
        assertRefused("osgemu: osgemu has no kvm accelerator; -accel tcg or none of it\n", "-accel", "kvm");
    }

    private static void assertRefused(String expected, String... options) throws Exception {
        String[] args = new String[options.length + 5];
        System.arraycopy(options, 0, args, 0, options.length);
        System.arraycopy(new String[] {"-nographic", "-bios", "none", "-kernel", Osgemu.baremetal("hello.elf").toString()},
                0, args, options.length, 5);
        try (Osgemu vm = Osgemu.start(args)) {
            assertEquals(vm.stderr(), 1, vm.awaitExit(60));
            assertEquals(expected, vm.stderrWithoutJvmWarnings());
            assertFalse(vm.stdout(), vm.stdout().contains("Hello from osgemu"));
        }
    }

    /** Asks {@code info status} until it says {@code expected} (the guest powers off on its own time); the last answer. */
    private static String awaitStatus(Monitor monitor, String expected) throws Exception {
        long deadline = ConsoleReports.deadline(60);
        String status = monitor.command("info status").trim();
        while (!status.equals(expected) && System.nanoTime() < deadline) {
            Thread.sleep(200);
            status = monitor.command("info status").trim();
        }
        assertEquals(expected, status);
        return status;
    }
}
