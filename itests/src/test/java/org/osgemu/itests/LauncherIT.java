package org.osgemu.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.Test;

/**
 * System tests through the real launcher: OpenSBI from Debian's package boots to its banner,
 * our bare-metal programs print and end with their own exit status, the monitor answers, and
 * bad input gets one clear line and status 1.
 */
public class LauncherIT {

    @Test
    public void openSbiPrintsItsBannerAndPlatformSummary() throws Exception {
        try (Osgemu vm = Osgemu.start("-M", "virt", "-m", "128M", "-nographic", "-bios", Osgemu.OPENSBI.toString())) {
            assertTrue("no OpenSBI banner; stdout:\n" + vm.stdout() + "\nstderr:\n" + vm.stderr(),
                    vm.awaitOutput("Boot HART ID", 120));
            String out = vm.stdout();
            assertTrue(out, out.contains("OpenSBI v"));
            assertTrue(out, out.contains("Platform Name             : riscv-virtio,qemu"));
            assertTrue(out, out.matches("(?s).*Platform HART Count\\s+: 1\\b.*"));
            assertTrue(out, out.contains("Platform Console Device   : uart8250"));
        }
    }

    @Test
    public void openSbiReportsTwoHartsWithSmp2() throws Exception {
        try (Osgemu vm = Osgemu.start("-M", "virt", "-m", "128M", "-smp", "2", "-nographic", "-bios", Osgemu.OPENSBI.toString())) {
            assertTrue("no OpenSBI banner; stdout:\n" + vm.stdout() + "\nstderr:\n" + vm.stderr(),
                    vm.awaitOutput("Boot HART ID", 120));
            assertTrue(vm.stdout(), vm.stdout().matches("(?s).*Platform HART Count\\s+: 2\\b.*"));
            assertTrue(vm.stdout(), vm.stdout().matches("(?s).*Domain0 HARTs\\s+: 0\\*,1\\*.*"));
        }
    }

    @Test
    public void bareMetalProgramPrintsAndExitsWithItsStatus() throws Exception {
        try (Osgemu vm = Osgemu.start("-M", "virt", "-nographic", "-bios", "none", "-kernel",
                Osgemu.baremetal("hello.elf").toString())) {
            assertEquals(vm.stderr(), 0, vm.awaitExit(60));
            assertTrue(vm.stdout(), vm.stdout().contains("Hello from osgemu bare metal"));
            assertTrue(vm.stdout(), vm.stdout().contains("arithmetic ok"));
            assertTrue(vm.stdout(), vm.stdout().contains("misa = 0x8000000000141105") || vm.stdout().contains("misa = 0x80000000001411"));
        }
        try (Osgemu vm = Osgemu.start("-nographic", "-bios", "none", "-kernel", Osgemu.baremetal("exit42.elf").toString())) {
            assertEquals(vm.stderr(), 42, vm.awaitExit(60));
            assertTrue(vm.stdout(), vm.stdout().contains("Hello from osgemu bare metal"));
        }
    }

    @Test
    public void badOptionIsOneLineAndStatus1() throws Exception {
        try (Osgemu vm = Osgemu.start("-M", "virt", "-frobnicate", "x")) {
            assertEquals(1, vm.awaitExit(60));
            assertEquals("osgemu: -frobnicate: invalid option\n", onlyOurLines(vm.stderr()));
        }
    }

    @Test
    public void missingFirmwareIsOneLineAndStatus1() throws Exception {
        try (Osgemu vm = Osgemu.start("-nographic", "-bios", "/nonexistent/fw.bin")) {
            assertEquals(1, vm.awaitExit(60));
            assertEquals("osgemu: -bios /nonexistent/fw.bin: no such file\n", onlyOurLines(vm.stderr()));
        }
    }

    @Test
    public void elfForAnotherArchitectureIsOneLineAndStatus1() throws Exception {
        Path hostElf = Path.of("/bin/true").toRealPath();
        try (Osgemu vm = Osgemu.start("-nographic", "-bios", "none", "-kernel", hostElf.toString())) {
            assertEquals(1, vm.awaitExit(60));
            assertEquals("osgemu: -kernel " + hostElf + ": ELF for x86-64 (e_machine 62), not RISC-V; this is a riscv64 machine\n",
                    onlyOurLines(vm.stderr()));
        }
    }

    @Test
    public void monitorShowsMtreeAndControlsTheMachine() throws Exception {
        Path dir = Files.createTempDirectory("osgemu-mon");
        Path sock = dir.resolve("mon.sock");
        try (Osgemu vm = Osgemu.start("-nographic", "-S", "-bios", "none", "-kernel", Osgemu.baremetal("hello.elf").toString(),
                "-monitor", "unix:" + sock + ",server=on,wait=off")) {
            for (int i = 0; i < 600 && !Files.exists(sock); i++) {
                Thread.sleep(100);
            }
            assertTrue("monitor socket never appeared; stderr:\n" + vm.stderr(), Files.exists(sock));
            try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
                ch.connect(UnixDomainSocketAddress.of(sock));
                BufferedReader in = new BufferedReader(new InputStreamReader(Channels.newInputStream(ch), StandardCharsets.UTF_8));
                OutputStream out = Channels.newOutputStream(ch);
                assertTrue(readUntilPrompt(in).contains("osgemu monitor"));
                String mtree = command(in, out, "info mtree");
                assertTrue(mtree, mtree.contains("address-space: memory"));
                assertTrue(mtree, mtree.contains("0000000080000000-0000000087ffffff (prio 0, ram): riscv.virt.ram"));
                assertTrue(mtree, mtree.contains("0000000010000000-00000000100000ff"));
                assertTrue(mtree, mtree.contains("0000000000001000-000000000000ffff (prio 0, rom): riscv.virt.mrom"));
                assertEquals("VM status: paused", command(in, out, "info status").trim());
                command(in, out, "cont");
            }
            // the program runs once continued, and ends through the test finisher
            assertEquals(vm.stderr(), 0, vm.awaitExit(60));
            assertTrue(vm.stdout(), vm.stdout().contains("Hello from osgemu bare metal"));
        }
    }

    /** Sends one monitor command and returns what came back before the next prompt. */
    private static String command(BufferedReader in, OutputStream out, String cmd) throws Exception {
        out.write((cmd + "\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
        return readUntilPrompt(in);
    }

    private static String readUntilPrompt(BufferedReader in) throws Exception {
        StringBuilder sb = new StringBuilder();
        int c;
        while ((c = in.read()) >= 0) {
            sb.append((char) c);
            if (sb.toString().endsWith("(osgemu) ")) {
                return sb.substring(0, sb.length() - "(osgemu) ".length());
            }
        }
        return sb.toString();
    }

    /** Stderr without the JVM's own warnings (lines starting with WARNING:). */
    private static String onlyOurLines(String stderr) {
        StringBuilder sb = new StringBuilder();
        for (String line : stderr.split("\n")) {
            if (!line.startsWith("WARNING:") && !line.isBlank()) {
                sb.append(line).append('\n');
            }
        }
        return sb.toString();
    }
}
