package org.osgemu.itests;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.Test;

/**
 * The Linux test guest (guests/build-all.sh: Linux 6.1 from Debian's linux-source, busybox
 * initramfs, ext4 disk) on the real launcher. With the command line of the issue (two harts,
 * 512 MiB, a virtio disk and a virtio NIC) it reaches a shell, uses the Sstc timer, gets the
 * host's date from the RTC, reads virtio-rng, computes and rounds floating point as IEEE 754 says,
 * survives misaligned accesses, keeps what it wrote to the disk, reboots into a second boot in the
 * same process and powers off with status 0. QEMU's device options reach it (a disk's
 * {@code serial=}, a {@code readonly=on} drive, {@code -device virtconsole}); a snapshot taken while
 * a program counts restores in a new process with the disk intact; guests ping each other and a
 * QEMU guest over socket netdevs.
 */
public class LinuxIT {

    static final long BOOT_SECONDS = 600;
    private static final String READY = "osgemu-init: ready";
    private static final Pattern KERNEL_BANNER = Pattern.compile("Linux version 6\\.1");

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
    public void theIssuesCommandLineBootsAShellThatComputesKeepsItsDiskRebootsAndPowersOff() throws Exception {
        Path disk = diskCopy();
        Path socket = Files.createTempDirectory("osgemu-linux").resolve("monitor.sock");
        // The shape of the issue: -M virt -smp 2 -m 512M -kernel -initrd -append -drive -device
        // virtio-blk-device -netdev -device virtio-net-device; plus the RNG and a monitor to look inside.
        List<String> commandLine = new ArrayList<>(machine(disk));
        commandLine.addAll(List.of("-netdev", "socket,id=n0,listen=127.0.0.1:" + freePort(),
                "-device", "virtio-net-device,netdev=n0,mac=52:54:00:12:34:56",
                "-monitor", "unix:" + socket + ",server=on,wait=off"));
        try (Osgemu vm = Osgemu.start(commandLine.toArray(String[]::new))) {
            GuestShell sh = new GuestShell(vm);
            sh.awaitPrompt(BOOT_SECONDS);
            assertEquals("2", sh.run("grep -c ^processor /proc/cpuinfo", 60).trim());
            // Linux 6.1 prints the multi-letter extensions it found in the device tree and uses
            // (arch/riscv/kernel/cpu.c); with Sstc its timer writes stimecmp itself.
            String isa = sh.run("grep ^isa /proc/cpuinfo", 60);
            assertEquals("both harts' isa lines: " + isa, 2, isa.lines().filter(l -> l.matches("isa\\s+: rv64imafdc\\S*_sstc\\S*")).count());
            try (Monitor monitor = Monitor.connect(socket)) {
                assertSstcTimerArmed(monitor.command("info registers -a"));
            }
            long guestNow = Long.parseLong(sh.run("date +%s", 60).trim());
            long hostNow = System.currentTimeMillis() / 1000;
            assertTrue("guest date " + guestNow + " vs host " + hostNow, Math.abs(guestNow - hostNow) < 30);
            assertEquals("16", sh.run("head -c 16 /dev/hwrng | od -An -tx1 | wc -w", 60).trim());
            assertEquals("52:54:00:12:34:56", sh.run("cat /sys/class/net/eth0/address", 60).trim());
            String fp = sh.run("fpcheck", 300);
            assertTrue("fpcheck (3 processes: fma/sqrt/div in every rounding mode, misaligned accesses):\n" + fp,
                    fp.contains("fpcheck: ok") && !fp.contains("FAIL"));
            sh.run("mount /dev/vda /mnt && cat /mnt/hello.txt && echo osgemu-was-here > /mnt/proof.txt && sync && umount /mnt", 120);

            int beforeReboot = vm.mark();
            vm.type("reboot");
            assertNotNull("a second boot after reboot; console:\n" + ConsoleReports.tail(vm.stdout()) + "\nstderr:\n" + vm.stderr(),
                    vm.awaitOutputAfter(beforeReboot, READY, BOOT_SECONDS));
            String secondBoot = vm.awaitOutputAfter(beforeReboot, GuestShell.PROMPT, 60);
            assertNotNull("a shell after the reboot", secondBoot);
            assertTrue("the kernel booted again:\n" + ConsoleReports.tail(secondBoot), KERNEL_BANNER.matcher(secondBoot).find());
            assertTrue("the same process runs the second boot", vm.process().isAlive());
            String proof = sh.run("mount /dev/vda /mnt && cat /mnt/proof.txt && umount /mnt", 120);
            assertTrue("the file written before the reboot: " + proof, proof.contains("osgemu-was-here"));

            vm.type("poweroff");
            assertEquals("poweroff ends the emulator with status 0; stderr:\n" + vm.stderr(), 0, vm.awaitExit(120));
        }
        assertTrue("file in the image after poweroff", debugfsCat(disk, "/proof.txt").contains("osgemu-was-here"));
        Files.deleteIfExists(disk);
    }

    @Test
    public void qemusDeviceOptionsReachTheGuestSerialReadOnlyDriveAndVirtconsole() throws Exception {
        Path disk = diskCopy();
        Path readOnly = diskCopy();
        byte[] readOnlyBefore = sha256(readOnly);
        Path hvc = Files.createTempDirectory("osgemu-hvc").resolve("hvc0.out");
        List<String> commandLine = machine(disk, "-drive", "file=" + readOnly + ",format=raw,if=none,id=hd1,readonly=on",
                "-device", "virtio-blk-device,drive=hd1,serial=osgemu-ro-disk",
                "-chardev", "file,id=c0,path=" + hvc, "-device", "virtio-serial-device", "-device", "virtconsole,chardev=c0");
        // the boot disk gets a serial too
        commandLine.set(commandLine.indexOf("virtio-blk-device,drive=hd0"), "virtio-blk-device,drive=hd0,serial=osgemu-disk0");
        try (Osgemu vm = Osgemu.start(commandLine.toArray(String[]::new))) {
            GuestShell sh = new GuestShell(vm);
            sh.awaitPrompt(BOOT_SECONDS);
            // Linux 6.1's virtio_blk shows GET_ID's answer as /sys/block/vdX/serial, and the RO feature as ro=1
            Map<String, String[]> bySerial = new HashMap<>();
            for (String line : sh.run("for d in /sys/block/vd*; do echo ${d##*/} $(cat $d/serial) $(cat $d/ro); done", 60).split("\n")) {
                String[] f = line.trim().split(" ");
                if (f.length == 3) {
                    bySerial.put(f[1], f);
                }
            }
            assertTrue("serials in /sys/block: " + bySerial.keySet(), bySerial.containsKey("osgemu-disk0") && bySerial.containsKey("osgemu-ro-disk"));
            assertEquals("the boot disk is writable", "0", bySerial.get("osgemu-disk0")[2]);
            assertEquals("the readonly=on disk is read-only to the guest", "1", bySerial.get("osgemu-ro-disk")[2]);
            String ro = "/dev/" + bySerial.get("osgemu-ro-disk")[0];
            String write = sh.run("mount " + ro + " /mnt; echo x > /mnt/written.txt; echo write=$?; umount /mnt", 120);
            assertTrue("a file write on the read-only disk fails:\n" + write, write.contains("Read-only file system") && write.contains("write=1"));
            String dd = sh.run("dd if=/dev/zero of=" + ro + " bs=4096 count=1 conv=fsync; echo dd=$?", 120);
            assertTrue("a raw write to the read-only disk fails:\n" + dd, dd.contains("dd=1"));

            sh.run("echo hello-from-hvc0 > /dev/hvc0", 60);
            long deadline = ConsoleReports.deadline(30);
            while (!(Files.exists(hvc) && Files.readString(hvc).contains("hello-from-hvc0")) && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            assertTrue("/dev/hvc0 lands in the virtconsole's chardev file: " + (Files.exists(hvc) ? Files.readString(hvc) : "(none)"),
                    Files.exists(hvc) && Files.readString(hvc).contains("hello-from-hvc0"));
            vm.type("poweroff");
            assertEquals("stderr:\n" + vm.stderr(), 0, vm.awaitExit(120));
        }
        assertArrayEquals("the readonly=on image is unchanged, byte for byte", readOnlyBefore, sha256(readOnly));
        Files.deleteIfExists(disk);
        Files.deleteIfExists(readOnly);
    }

    @Test
    public void fourGibibytesOfRamReachTheGuestAndItsHighHalfHoldsData() throws Exception {
        Path disk = diskCopy();
        List<String> args = machine(disk);
        args.set(args.indexOf("512M"), "4G");
        try (Osgemu vm = Osgemu.start(args.toArray(String[]::new))) {
            GuestShell sh = new GuestShell(vm);
            sh.awaitPrompt(BOOT_SECONDS);
            long totalKib = Long.parseLong(sh.run("awk '/^MemTotal/ {print $2}' /proc/meminfo", 60).trim());
            assertTrue("MemTotal " + totalKib + " KiB of -m 4G", totalKib > 3_900L * 1024 && totalKib <= 4L << 20);
            // RAM runs from 0x80000000 to 0x17fffffff: the half above 4 GiB is Linux's Normal zone.
            String normal = sh.run("awk '/^Node 0, zone/ {z=$4} z==\"Normal\" && $1==\"present\" {print $2}' /proc/zoneinfo", 60).trim();
            assertTrue("pages present above 4 GiB: " + normal, Long.parseLong(normal) >= (2L << 30) / 4096 - 1024);
            // The page cache fills the highest zone first: a file in the RAM-backed root lands there.
            String sum = sh.run("head -c 16777216 /dev/zero > /big && md5sum /big", 300);
            assertTrue(sum, sum.contains("2c7ab85a893283e98c931e9511add182"));
            vm.type("poweroff");
            assertEquals(0, vm.awaitExit(120));
        }
        Files.deleteIfExists(disk);
    }

    @Test
    public void snapshotOfACountingGuestRestoresInANewProcessWithItsDiskIntact() throws Exception {
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
            // The page cache came back with RAM: drop it, so the file is read from the restored disk.
            String file = sh.run("sync && echo 3 > /proc/sys/vm/drop_caches && cat /mnt/before.txt", 60);
            assertTrue("the disk written before the snapshot, read back from the device: " + file, file.contains("before-snapshot"));
            sh.run("echo after-restore > /mnt/after.txt && sync", 120);
            vm.type("poweroff");
            assertEquals(0, vm.awaitExit(120));
        }
        assertTrue("the file written before the snapshot is in the image", debugfsCat(disk, "/before.txt").contains("before-snapshot"));
        assertTrue("the file written after the restore is in the image", debugfsCat(disk, "/after.txt").contains("after-restore"));
        Files.deleteIfExists(disk);
    }

    @Test
    public void twoOsgemuGuestsAndAQemuGuestPingOverSocketNetdevs() throws Exception {
        int port = freePort();
        Path diskA = diskCopy();
        Path diskB = diskCopy();
        try (Osgemu a = Osgemu.start(net(diskA, "listen=127.0.0.1:" + port, "52:54:00:00:00:0a"))) {
            // connect= is refused when nobody listens (as in QEMU); the listening netdev is bound
            // before the machine runs, so once A's firmware prints, B may connect
            assertTrue("A's firmware did not start:\n" + a.stderr(), a.awaitOutput("OpenSBI", 120));
            try (Osgemu b = Osgemu.start(net(diskB, "connect=127.0.0.1:" + port, "52:54:00:00:00:0b"))) {
                GuestShell shA = new GuestShell(a);
                GuestShell shB = new GuestShell(b);
                shA.awaitPrompt(BOOT_SECONDS);
                shB.awaitPrompt(BOOT_SECONDS);
                shA.run("ip addr add 10.0.2.1/24 dev eth0 && ip link set eth0 up", 60);
                shB.run("ip addr add 10.0.2.2/24 dev eth0 && ip link set eth0 up", 60);
                String ping = shB.run("ping -c 3 -W 5 10.0.2.1", 120);
                assertTrue(ping, ping.contains("3 packets received"));
            }
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

    /**
     * Each hart's registers after boot: OpenSBI set menvcfg.STCE (bit 63), so supervisor mode may
     * use stimecmp, and a timer is armed there (stimecmp not 0, its reset value).
     */
    private static void assertSstcTimerArmed(String registers) {
        String[] harts = registers.replace("\r", "").split("\nCPU#");
        int seen = 0;
        for (String hart : harts) {
            Matcher menvcfg = Pattern.compile(" menvcfg +([0-9a-f]{16})").matcher(hart);
            Matcher stimecmp = Pattern.compile(" stimecmp +([0-9a-f]{16})").matcher(hart);
            if (!menvcfg.find() || !stimecmp.find()) {
                continue;
            }
            seen++;
            assertTrue("menvcfg.STCE on every hart:\n" + registers, Long.parseUnsignedLong(menvcfg.group(1), 16) < 0);
            assertTrue("stimecmp armed on every hart:\n" + registers, Long.parseUnsignedLong(stimecmp.group(1), 16) != 0);
        }
        assertEquals("two harts in info registers -a:\n" + registers, 2, seen);
    }

    /** The file {@code path} of the ext4 image, as debugfs reads it on the host. */
    private static String debugfsCat(Path image, String path) throws IOException, InterruptedException {
        Process debugfs = new ProcessBuilder("debugfs", "-R", "cat " + path, image.toString()).redirectErrorStream(true).start();
        String out = new String(debugfs.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        debugfs.waitFor(60, TimeUnit.SECONDS);
        return out;
    }

    private static byte[] sha256(Path file) throws Exception {
        return MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file));
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
