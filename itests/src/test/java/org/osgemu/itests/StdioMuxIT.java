package org.osgemu.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

import org.junit.Test;

/**
 * {@code -nographic} as a QEMU user knows it: the serial console and the human monitor share
 * stdio through the mux, switched with Ctrl-A c, with Ctrl-A h for help and Ctrl-A x to leave.
 * The guest is guests/baremetal/resettable.c: it prints {@code tick N} every 100 ms and asks for
 * a reset when it reads an {@code r} on its console, so input that reaches it shows.
 */
public class StdioMuxIT {

    private static final String CTRL_A = "\u0001";
    private static final String BANNER = ConsoleReports.RESETTABLE_BANNER;
    private static final String RESET_REQUESTED = "resettable: reset requested\r\n";

    @Test
    public void ctrlAEscapesGiveHelpTheMonitorTheConsoleAgainAndExit() throws Exception {
        try (Osgemu vm = Osgemu.start("-M", "virt", "-m", "128M", "-nographic", "-bios", "none",
                "-kernel", Osgemu.baremetal("resettable.elf").toString())) {
            assertTrue("the program starts; stderr:\n" + vm.stderr(), vm.awaitOutput("tick 3\r\n", 60));
            assertFalse("the monitor keeps quiet until it gets the terminal:\n" + vm.stdout(), vm.stdout().contains("(osgemu)"));

            int beforeHelp = vm.mark();
            send(vm, CTRL_A + "h");
            assertNotNull("Ctrl-A h lists the escapes; console:\n" + ConsoleReports.tail(vm.stdout()),
                    vm.awaitOutputAfter(beforeHelp, "C-a x    exit the emulator\r\n", 30));

            int beforeMonitor = vm.mark();
            send(vm, CTRL_A + "c");
            assertNotNull("Ctrl-A c shows the monitor's greeting and prompt; console:\n" + ConsoleReports.tail(vm.stdout()),
                    vm.awaitOutputAfter(beforeMonitor, "osgemu monitor - type 'help' for more information\r\n(osgemu) ", 30));
            int beforeStatus = vm.mark();
            send(vm, "info status\r");
            assertNotNull("the monitor answers; console:\n" + ConsoleReports.tail(vm.stdout()),
                    vm.awaitOutputAfter(beforeStatus, "VM status: running\r\n", 30));
            send(vm, "r\r"); // for the monitor, not the guest: an unknown command, and no reset
            assertNotNull(vm.awaitOutputAfter(beforeStatus, "error: ", 30));
            Thread.sleep(500);
            assertFalse("what is typed in the monitor does not reach the guest:\n" + vm.stdout(),
                    vm.stdout().contains(RESET_REQUESTED));

            int beforeConsole = vm.mark();
            send(vm, CTRL_A + "c");
            send(vm, "r");
            String console = vm.awaitOutputAfter(beforeConsole, RESET_REQUESTED + BANNER, 60);
            assertNotNull("after Ctrl-A c again the guest reads its console; console:\n" + ConsoleReports.tail(vm.stdout()), console);
            assertNotNull("and prints again", vm.awaitOutputAfter(vm.mark(), "tick 2\r\n", 60));

            int beforeExit = vm.mark();
            send(vm, CTRL_A + "x");
            assertEquals("Ctrl-A x ends osgemu with status 0; stderr:\n" + vm.stderr(), 0, vm.awaitExit(60));
            assertTrue("it says so:\n" + vm.stdout().substring(beforeExit), vm.stdout().substring(beforeExit).contains("osgemu: Terminated\r\n"));
        }
    }

    private static void send(Osgemu vm, String keys) throws IOException {
        OutputStream stdin = vm.process().getOutputStream();
        stdin.write(keys.getBytes(StandardCharsets.UTF_8));
        stdin.flush();
    }
}
