package org.osgemu.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.Test;

/**
 * The Linux test guest (guests/build-all.sh: Linux 6.1 from Debian's linux-source, busybox
 * initramfs, ext4 disk) on the real launcher: it reaches a shell with two harts, the RTC gives the
 * host's date, virtio-rng reads, a file written to the virtio disk is in the image after
 * poweroff, and a snapshot taken while a program counts restores in a new process.
 */
public class LinuxIT {

    static final long BOOT_SECONDS = 600;

    private static List<String> machine(Path disk, String... extra) {
        List<String> args = new ArrayList<>(List.of("-M", "virt", "-smp", "2", "-m", "512M", "-nographic",
                "-kernel", Osgemu.guest("KERNEL").toString(), "-initrd", Osgemu.guest("INITRD").toString(),
                "-append", "console=ttyS0",
                "-drive", "file=" + disk + ",format=raw,if=none,id=hd0", "-device", "virtio-blk-device,drive=hd0",
                "-device", "virtio-rng-device"));
        args.addAll(List.of(extra));
        return args;
    }

    private static Path diskCopy() throws IOException {
        Path copy = Files.createTempFile("osgemu-disk", ".img");
        Files.copy(Osgemu.guest("DISK"), copy, StandardCopyOption.REPLACE_EXISTING);
        return copy;
    }

    @Test
    public void bootsToAShellWithTwoHartsRtcRngAndADiskThatKeepsItsData() throws Exception {
        Path disk = diskCopy();
        try (Osgemu vm = Osgemu.start(machine(disk).toArray(String[]::new))) {
            GuestShell sh = new GuestShell(vm);
            sh.awaitPrompt(BOOT_SECONDS);
            assertEquals("2", sh.run("grep -c ^processor /proc/cpuinfo", 60).trim());
            long guestNow = Long.parseLong(sh.run("date +%s", 60).trim());
            long hostNow = System.currentTimeMillis() / 1000;
            assertTrue("guest date " + guestNow + " vs host " + hostNow, Math.abs(guestNow - hostNow) < 30);
            String rng = sh.run("head -c 16 /dev/hwrng | od -An -tx1 | wc -w", 60).trim();
            assertEquals("16", rng);
            sh.run("mount /dev/vda /mnt && cat /mnt/hello.txt && echo osgemu-was-here > /mnt/proof.txt && sync && umount /mnt", 120);
            vm.type("poweroff");
            assertEquals("poweroff ends the emulator with status 0; stderr:\n" + vm.stderr(), 0, vm.awaitExit(120));
        }
        Process debugfs = new ProcessBuilder("debugfs", "-R", "cat /proof.txt", disk.toString()).redirectErrorStream(true).start();
        String proof = new String(debugfs.getInputStream().readAllBytes());
        debugfs.waitFor(60, TimeUnit.SECONDS);
        assertTrue("file in the image after poweroff: " + proof, proof.contains("osgemu-was-here"));
        Files.deleteIfExists(disk);
    }

    @Test
    public void snapshotOfACountingGuestRestoresInANewProcess() throws Exception {
        Path disk = diskCopy();
        Path dir = Files.createTempDirectory("osgemu-snap");
        Path sock = dir.resolve("mon.sock");
        Path snapshot = dir.resolve("linux.snap");
        int lastBefore;
        try (Osgemu vm = Osgemu.start(machine(disk, "-monitor", "unix:" + sock + ",server=on,wait=off").toArray(String[]::new))) {
            GuestShell sh = new GuestShell(vm);
            sh.awaitPrompt(BOOT_SECONDS);
            sh.run("mount /dev/vda /mnt && echo before-snapshot > /mnt/before.txt && sync", 120);
            vm.type("counter &");
            assertTrue("counter output", vm.awaitOutput("count 5", 120));
            Monitor mon = Monitor.connect(sock, 60);
            mon.command("stop");
            lastBefore = lastCount(vm.stdout());
            assertEquals("", mon.command("migrate file:" + snapshot).trim());
            mon.close();
            vm.process().destroyForcibly().waitFor();
        }
        assertTrue(Files.size(snapshot) > 1 << 20);
        try (Osgemu vm = Osgemu.start(machine(disk, "-incoming", "file:" + snapshot).toArray(String[]::new))) {
            assertTrue("counter continues after restore; stdout:\n" + vm.stdout() + "\nstderr:\n" + vm.stderr(),
                    vm.awaitOutput("count " + (lastBefore + 3), 120));
            Matcher m = Pattern.compile("count (\\d+)").matcher(vm.stdout());
            assertTrue(m.find());
            int first = Integer.parseInt(m.group(1));
            assertTrue("first count after restore " + first + " follows " + lastBefore, first > lastBefore && first <= lastBefore + 2);
            GuestShell sh = new GuestShell(vm);
            sh.run("kill %1", 60);
            String file = sh.run("cat /mnt/before.txt", 60);
            assertTrue("the disk written before the snapshot: " + file, file.contains("before-snapshot"));
            vm.type("poweroff");
            assertEquals(0, vm.awaitExit(120));
        }
    }

    @Test
    public void twoOsgemuGuestsAndAQemuGuestPingOverSocketNetdevs() throws Exception {
        int port = freePort();
        Path diskA = diskCopy();
        Path diskB = diskCopy();
        try (Osgemu a = Osgemu.start(net(diskA, "listen=127.0.0.1:" + port, "52:54:00:00:00:0a"));
             Osgemu b = Osgemu.start(net(diskB, "connect=127.0.0.1:" + port, "52:54:00:00:00:0b"))) {
            GuestShell shA = new GuestShell(a);
            GuestShell shB = new GuestShell(b);
            shA.awaitPrompt(BOOT_SECONDS);
            shB.awaitPrompt(BOOT_SECONDS);
            shA.run("ip addr add 10.0.2.1/24 dev eth0 && ip link set eth0 up", 60);
            shB.run("ip addr add 10.0.2.2/24 dev eth0 && ip link set eth0 up", 60);
            String ping = shB.run("ping -c 3 -W 5 10.0.2.1", 120);
            assertTrue(ping, ping.contains("3 packets received"));
        }
        int port2 = freePort();
        Path diskC = diskCopy();
        try (Osgemu a = Osgemu.start(net(diskC, "listen=127.0.0.1:" + port2, "52:54:00:00:00:0c"))) {
            GuestShell shA = new GuestShell(a);
            shA.awaitPrompt(BOOT_SECONDS);
            Process qemu = new ProcessBuilder("qemu-system-riscv64", "-M", "virt", "-smp", "1", "-m", "256M", "-nographic",
                    "-kernel", Osgemu.guest("KERNEL").toString(), "-initrd", Osgemu.guest("INITRD").toString(),
                    "-append", "console=ttyS0",
                    "-netdev", "socket,id=n0,connect=127.0.0.1:" + port2,
                    "-device", "virtio-net-device,netdev=n0,mac=52:54:00:00:00:0d").redirectErrorStream(true).start();
            try {
                QemuConsole q = new QemuConsole(qemu);
                q.awaitPrompt(120);
                shA.run("ip addr add 10.0.3.1/24 dev eth0 && ip link set eth0 up", 60);
                q.run("ip addr add 10.0.3.2/24 dev eth0 && ip link set eth0 up");
                String ping = shA.run("ping -c 3 -W 5 10.0.3.2", 120);
                assertTrue(ping, ping.contains("3 packets received"));
            } finally {
                qemu.destroyForcibly().waitFor();
            }
        }
    }

    private static String[] net(Path disk, String endpoint, String mac) {
        return machine(disk, "-netdev", "socket,id=n0," + endpoint, "-device", "virtio-net-device,netdev=n0,mac=" + mac)
                .toArray(String[]::new);
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static int lastCount(String out) {
        Matcher m = Pattern.compile("count (\\d+)").matcher(out);
        int last = -1;
        while (m.find()) {
            last = Integer.parseInt(m.group(1));
        }
        return last;
    }
}
