package org.osgemu.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.Test;

/**
 * The human monitor ({@code -monitor unix:...}) of the real launcher, on the bare-metal program
 * guests/baremetal/resettable.c: it prints a start banner (with the device tree's magic, which it
 * then wipes from RAM), keeps {@link #MARKER} in s11, prints {@code tick N} every 100 ms of guest
 * time counting from 1 in its loaded image, and on an {@code r} typed on the console asks the
 * SiFive test finisher for a reset. So a real restart shows as a second banner with the magic
 * back (the device tree was rebuilt) followed by {@code tick 1} (the image was reloaded).
 */
public class MonitorIT {

    /** What the program keeps in s11, as {@code info registers} prints it. */
    private static final String MARKER = "05eed0cafe5eed11";
    private static final String BANNER = ConsoleReports.RESETTABLE_BANNER;
    private static final Pattern TICK = Pattern.compile("tick (\\d+)\r\n");
    /** A start: the banner with the device tree's magic back, then the ticks from 1 again. */
    private static final String FRESH_START = BANNER + "tick 1\r\n";
    private static final Pattern PC = Pattern.compile("^ pc +([0-9a-f]{16})$", Pattern.MULTILINE);
    /** The program is linked at the start of RAM and is a few KiB long. */
    private static final long PROGRAM_START = 0x8000_0000L;
    private static final long PROGRAM_END = 0x8001_0000L;

    private static Osgemu start(Path socket) throws Exception {
        return Osgemu.start("-M", "virt", "-m", "128M", "-nographic", "-bios", "none",
                "-kernel", Osgemu.baremetal("resettable.elf").toString(), "-monitor", "unix:" + socket + ",server=on,wait=off");
    }

    @Test
    public void qtreeAndRegistersShowTheMachineAndStopHoldsItUntilCont() throws Exception {
        Path socket = Files.createTempDirectory("osgemu-monitor").resolve("monitor.sock");
        try (Osgemu vm = start(socket)) {
            awaitTicks(vm, 3);
            try (Monitor monitor = Monitor.connect(socket)) {
                String qtree = monitor.command("info qtree");
                for (String device : new String[] {
                        "dev: ns16550a, id \"uart0\"\n    mmio 0000000010000000/0000000000000100",
                        "dev: sifive_test, id \"test0\"\n    mmio 0000000000100000/0000000000001000",
                        "dev: clint, id \"clint0\"\n    mmio 0000000002000000/0000000000010000",
                        "dev: plic, id \"plic0\"\n    mmio 000000000c000000/0000000000600000"}) {
                    assertTrue("info qtree lists " + device + ":\n" + qtree, qtree.replace("\r", "").contains(device));
                }

                assertEquals("", monitor.command("stop").trim());
                assertEquals("VM status: paused", monitor.command("info status").trim());
                Thread.sleep(300); // what the UART sent before the stop may still be on its way to us
                int stoppedAt = vm.mark();
                String registers = monitor.command("info registers");
                long pc = pc(registers);
                assertTrue("pc " + Long.toHexString(pc) + " is in the program:\n" + registers, pc >= PROGRAM_START && pc < PROGRAM_END);
                assertTrue("s11 holds the program's marker:\n" + registers, registers.contains(" x27/s11  " + MARKER));
                Thread.sleep(1500); // 15 ticks' worth
                assertEquals("no output while stopped", "", vm.stdout().substring(stoppedAt));
                assertEquals("the stopped hart does not move", pc, pc(monitor.command("info registers")));
                long lastTick = ConsoleReports.last(TICK, 1, vm.stdout());

                assertEquals("", monitor.command("cont").trim());
                assertEquals("VM status: running", monitor.command("info status").trim());
                ConsoleReports.awaitBeyond(vm, () -> ConsoleReports.last(TICK, 1, vm.stdout()), lastTick + 2,
                        ConsoleReports.deadline(60), "the ticks after cont");
                assertEquals("cont resumes the count where it stopped, not from a restart", 1, ConsoleReports.count(vm.stdout(), BANNER));
            }
        }
    }

    @Test
    public void systemResetAndTheGuestsResetStartTheProgramOverAndQuitEndsTheProcess() throws Exception {
        Path socket = Files.createTempDirectory("osgemu-monitor").resolve("monitor.sock");
        try (Osgemu vm = start(socket)) {
            awaitTicks(vm, 3);
            try (Monitor monitor = Monitor.connect(socket)) {
                int beforeReset = vm.mark();
                assertEquals("", monitor.command("system_reset").trim());
                assertNotNull("after system_reset the program starts over with a fresh device tree and image; console:\n"
                        + ConsoleReports.tail(vm.stdout()), vm.awaitOutputAfter(beforeReset, FRESH_START, 60));
                assertEquals("VM status: running", monitor.command("info status").trim());

                int beforeGuestReset = vm.mark();
                vm.type("r"); // the program writes 0x7777 to the test finisher at 0x100000
                String afterGuestReset = vm.awaitOutputAfter(beforeGuestReset, FRESH_START, 60);
                assertNotNull("after the finisher's reset the program starts over; console:\n" + ConsoleReports.tail(vm.stdout()),
                        afterGuestReset);
                assertTrue(afterGuestReset, afterGuestReset.indexOf("resettable: reset requested") < afterGuestReset.indexOf(BANNER));
                assertEquals("three starts: boot, system_reset, guest reset", 3, ConsoleReports.count(vm.stdout(), BANNER));
                assertTrue("the process lives on through resets", vm.process().isAlive());

                monitor.command("quit");
            }
            assertEquals("quit ends osgemu with status 0; stderr:\n" + vm.stderr(), 0, vm.awaitExit(60));
            assertFalse(vm.process().isAlive());
        }
    }

    private static void awaitTicks(Osgemu vm, long ticks) throws InterruptedException {
        ConsoleReports.awaitBeyond(vm, () -> ConsoleReports.last(TICK, 1, vm.stdout()), ticks - 1,
                ConsoleReports.deadline(120), "the program's ticks");
        assertTrue(vm.stdout(), vm.stdout().startsWith(BANNER));
    }

    private static long pc(String registers) {
        Matcher m = PC.matcher(registers.replace("\r", ""));
        assertTrue("no pc line in:\n" + registers, m.find());
        return Long.parseUnsignedLong(m.group(1), 16);
    }
}
