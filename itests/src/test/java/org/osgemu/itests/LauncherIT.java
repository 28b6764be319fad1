package org.osgemu.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.Test;

/**
 * System tests through the real launcher: OpenSBI from Debian's package boots to its banner
 * (with 4 GiB of RAM too), our bare-metal programs print and end with their own exit status, the
 * monitor answers, and bad input (an option, a device property, a device its component refuses,
 * an image) gets one clear line and status 1, at once.
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
            assertTrue(vm.stdout(), vm.stdout().contains("misa = 0x" + Long.toHexString(misa("IMAFDCSU"))));
        }
        try (Osgemu vm = Osgemu.start("-nographic", "-bios", "none", "-kernel", Osgemu.baremetal("exit42.elf").toString())) {
            assertEquals(vm.stderr(), 42, vm.awaitExit(60));
            assertTrue(vm.stdout(), vm.stdout().contains("Hello from osgemu bare metal"));
        }
    }

    @Test
    public void openSbiBootsWithFourGibOfRamAndTwoHarts() throws Exception {
        Path dir = Files.createTempDirectory("osgemu-4g");
        Path sock = dir.resolve("mon.sock");
        try (Osgemu vm = Osgemu.start("-M", "virt", "-m", "4G", "-smp", "2", "-nographic", "-bios", Osgemu.OPENSBI.toString(),
                "-monitor", "unix:" + sock + ",server=on,wait=off")) {
            assertTrue("no OpenSBI banner; stdout:\n" + vm.stdout() + "\nstderr:\n" + vm.stderr(),
                    vm.awaitOutput("Boot HART ID", 120));
            String out = vm.stdout();
            assertTrue(out, out.contains("OpenSBI v"));
            assertTrue(out, out.matches("(?s).*Platform HART Count\\s+: 2\\b.*"));
            // the firmware got the device tree where QEMU 7.2 puts it: below 3 GiB, not at the top of the 4 GiB
            assertTrue(out, out.matches("(?s).*Domain0 Next Arg1\\s+: 0x00000000bfe00000\\b.*"));
            try (Monitor monitor = Monitor.connect(sock)) {
                String mtree = monitor.command("info mtree");
                assertTrue(mtree, mtree.contains("0000000080000000-000000017fffffff (prio 0, ram): riscv.virt.ram"));
            }
        }
    }

    @Test
    public void aDeviceItsComponentRefusesIsOneLineWithTheComponentsReason() throws Exception {
        try (Osgemu vm = Osgemu.start("-nographic", "-bios", "none", "-kernel", Osgemu.baremetal("hello.elf").toString(),
                "-netdev", "socket,id=n0,listen=127.0.0.1:0", "-device", "virtio-net-device,netdev=n0,mac=zz")) {
            assertEquals(vm.stderr(), 1, vm.awaitExit(60));
            String line = vm.stderrWithoutJvmWarnings();
            assertTrue(line, line.startsWith("osgemu: -device virtio-net-device,netdev=n0,mac=zz: "));
            assertTrue(line, line.contains("mac='zz'"));
            assertEquals(line, 1, line.lines().count());
        }
    }

    @Test
    public void aNetdevWhosePortIsTakenIsOneLineNamingTheNetdev() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            String netdev = "socket,id=n0,listen=127.0.0.1:" + taken.getLocalPort();
            try (Osgemu vm = Osgemu.start("-nographic", "-bios", "none", "-kernel", Osgemu.baremetal("hello.elf").toString(),
                    "-netdev", netdev, "-device", "virtio-net-device,netdev=n0")) {
                assertEquals(vm.stderr(), 1, vm.awaitExit(60));
                String line = vm.stderrWithoutJvmWarnings();
                assertTrue(line, line.startsWith("osgemu: -netdev " + netdev + ": "));
                assertTrue(line, line.contains("Address already in use"));
                assertEquals(line, 1, line.lines().count());
            }
        }
    }

    @Test
    public void aPropertyTheDeviceDoesNotDeclareIsRefusedAsQemuDoes() throws Exception {
        try (Osgemu vm = Osgemu.start("-nographic", "-bios", "none", "-kernel", Osgemu.baremetal("hello.elf").toString(),
                "-device", "virtio-rng-device,foo=1")) {
            assertEquals(vm.stderr(), 1, vm.awaitExit(60));
            assertEquals("osgemu: -device virtio-rng-device,foo=1: Property 'virtio-rng-device.foo' not found\n",
                    vm.stderrWithoutJvmWarnings());
        }
        Path disk = Files.write(Files.createTempFile("osgemu-disk", ".img"), new byte[64 * 1024]);
        try (Osgemu vm = Osgemu.start("-nographic", "-bios", "none", "-kernel", Osgemu.baremetal("hello.elf").toString(),
                "-drive", "file=" + disk + ",format=raw,if=none,id=hd0", "-device", "virtio-blk-device,drive=hd0,seriall=x")) {
            assertEquals(vm.stderr(), 1, vm.awaitExit(60));
            assertEquals("osgemu: -device virtio-blk-device,drive=hd0,seriall=x: Property 'virtio-blk-device.seriall' not found\n",
                    vm.stderrWithoutJvmWarnings());
        } finally {
            Files.delete(disk);
        }
    }

    @Test
    public void anUnknownMachineOrDeviceTypeIsOneLine() throws Exception {
        try (Osgemu vm = Osgemu.start("-M", "frob", "-nographic")) {
            assertEquals(vm.stderr(), 1, vm.awaitExit(60));
            assertEquals("osgemu: -M frob: unknown machine type (try -M help)\n", vm.stderrWithoutJvmWarnings());
        }
        try (Osgemu vm = Osgemu.start("-nographic", "-device", "frob,id=f0")) {
            assertEquals(vm.stderr(), 1, vm.awaitExit(60));
            assertEquals("osgemu: -device frob: unknown device type (try -device help)\n", vm.stderrWithoutJvmWarnings());
        }
    }

    @Test
    public void anElfWhoseSegmentRunsPastItsFileIsOneLineNamingTheField() throws Exception {
        // one PT_LOAD whose p_offset + p_filesz wraps around 2^63: a signed bounds check lets it through
        ByteBuffer b = ByteBuffer.allocate(64 + 56 + 16).order(ByteOrder.LITTLE_ENDIAN);
        b.put(new byte[] {0x7f, 'E', 'L', 'F', 2, 1, 1, 0});
        b.position(16);
        b.putShort((short) 2).putShort((short) 243).putInt(1).putLong(0x8000_0000L).putLong(64).putLong(0)
                .putInt(0).putShort((short) 64).putShort((short) 56).putShort((short) 1).putShort((short) 0)
                .putShort((short) 0).putShort((short) 0);
        b.putInt(1).putInt(5).putLong(0x7fff_ffff_ffff_fff8L).putLong(0x8000_0000L).putLong(0x8000_0000L)
                .putLong(16).putLong(16).putLong(8);
        Path elf = Files.write(Files.createTempFile("osgemu-bad", ".elf"), b.array());
        try (Osgemu vm = Osgemu.start("-nographic", "-bios", "none", "-kernel", elf.toString())) {
            assertEquals(vm.stderr(), 1, vm.awaitExit(60));
            assertEquals("osgemu: -kernel " + elf + ": program header 0: p_offset+p_filesz (0x7ffffffffffffff8 + 0x10)"
                    + " beyond the end of the file (136 bytes)\n", vm.stderrWithoutJvmWarnings());
        } finally {
            Files.delete(elf);
        }
    }

    @Test
    public void aKernelLinkedOverTheDefaultFirmwareIsRefusedNamingBoth() throws Exception {
        Path hello = Osgemu.baremetal("hello.elf");
        try (Osgemu vm = Osgemu.start("-nographic", "-kernel", hello.toString())) {
            assertEquals(vm.stderr(), 1, vm.awaitExit(60));
            String line = vm.stderrWithoutJvmWarnings();
            assertTrue(line, line.startsWith("osgemu: -bios " + Osgemu.OPENSBI + " [0x80000000, 0x"));
            assertTrue(line, line.contains(" overlaps -kernel " + hello + " [0x80000000, 0x"));
            assertEquals(line, 1, line.lines().count());
        }
    }

    @Test
    public void badOptionIsOneLineAndStatus1() throws Exception {
        try (Osgemu vm = Osgemu.start("-M", "virt", "-frobnicate", "x")) {
            assertEquals(1, vm.awaitExit(60));
            assertEquals("osgemu: -frobnicate: invalid option\n", vm.stderrWithoutJvmWarnings());
        }
    }

    @Test
    public void missingFirmwareIsOneLineAndStatus1() throws Exception {
        try (Osgemu vm = Osgemu.start("-nographic", "-bios", "/nonexistent/fw.bin")) {
            assertEquals(1, vm.awaitExit(60));
            assertEquals("osgemu: -bios /nonexistent/fw.bin: no such file\n", vm.stderrWithoutJvmWarnings());
        }
    }

    @Test
    public void elfForAnotherArchitectureIsOneLineAndStatus1() throws Exception {
        Path hostElf = Path.of("/bin/true").toRealPath();
        try (Osgemu vm = Osgemu.start("-nographic", "-bios", "none", "-kernel", hostElf.toString())) {
            assertEquals(1, vm.awaitExit(60));
            assertEquals("osgemu: -kernel " + hostElf + ": ELF for x86-64 (e_machine 62), not RISC-V; this is a riscv64 machine\n",
                    vm.stderrWithoutJvmWarnings());
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
            try (Monitor monitor = Monitor.connect(sock)) { // checks the greeting names the osgemu monitor
                String mtree = monitor.command("info mtree");
                assertTrue(mtree, mtree.contains("address-space: memory"));
                assertTrue(mtree, mtree.contains("0000000080000000-0000000087ffffff (prio 0, ram): riscv.virt.ram"));
                assertTrue(mtree, mtree.contains("0000000010000000-00000000100000ff"));
                assertTrue(mtree, mtree.contains("0000000000001000-000000000000ffff (prio 0, rom): riscv.virt.mrom"));
                assertEquals("VM status: paused", monitor.command("info status").trim());
                monitor.command("cont");
            }
            // the program runs once continued, and ends through the test finisher
            assertEquals(vm.stderr(), 0, vm.awaitExit(60));
            assertTrue(vm.stdout(), vm.stdout().contains("Hello from osgemu bare metal"));
        }
    }

    /** misa of an RV64 hart with the given extension letters: MXL = 2 in the top bits, bit n for letter 'A' + n. */
    private static long misa(String extensions) {
        long misa = 2L << 62;
        for (char c : extensions.toCharArray()) {
            misa |= 1L << (c - 'A');
        }
        return misa;
    }
}
