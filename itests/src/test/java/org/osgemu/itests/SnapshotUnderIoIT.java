package org.osgemu.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Pattern;

import org.junit.Test;

/**
 * A snapshot of a Linux guest in the middle of disk and network I/O: {@code diskwriter} keeps
 * the virtio disk busy (O_DIRECT, O_DSYNC, as fast as it goes) while a peer on the socket netdev
 * floods the virtio NIC with frames. The machine is stopped and saved with the monitor's
 * {@code stop} and {@code migrate file:}, killed, and restored with {@code -incoming file:} in a
 * new process, which must go on as if nothing happened: the disk writer keeps reporting (a
 * request lost between the saved RAM and the saved device state would hang it), the network
 * still answers pings and takes frames, the guest reports no broken ring, and the disk image
 * holds every write the guest reported.
 *
 * <p>What it guards: a stopped machine whose devices still wrote guest RAM (frames arriving on
 * the socket, block requests completing) saved a used ring that did not match the device state
 * saved after it.
 */
public class SnapshotUnderIoIT {

    private static final int DISK_BLOCKS = 4096; // 16 MiB
    private static final String GUEST_MAC = "52:54:00:00:09:02";
    private static final byte[] PEER_MAC = {0x52, 0x54, 0x00, 0x00, 0x09, 0x01};
    private static final byte[] PEER_IP = {10, 0, 9, 1};
    /** Slow enough that the guest's receive buffers last through the save of a stopped machine. */
    private static final int FLOOD_FRAMES_PER_SECOND = 150;

    private static final Pattern DISKWRITER = Pattern.compile("diskwriter: pass=(\\d+) seq=(\\d+) (verified=\\d+ ok|block=\\d+ MISMATCH)");
    private static final Pattern NET_RX = Pattern.compile("netrx (\\d+)\r?\n");
    /** What the guest kernel says when a ring or a device went wrong, or the guest itself did. */
    private static final List<String> TROUBLE = List.of("is not a head", "out of range", "Kernel panic", "Oops",
            "BUG: ", "Unable to handle", "MISMATCH", "detected stall", "soft lockup", "blocked for more than",
            "I/O error", "Segmentation fault");

    @Test
    public void aSnapshotTakenUnderDiskAndNetworkLoadRestoresWithNothingLost() throws Exception {
        Path dir = Files.createTempDirectory("osgemu-snapshot-io");
        Path disk = blankDisk(dir.resolve("disk.raw"));
        Path monitorSocket = dir.resolve("monitor.sock");
        Path snapshot = dir.resolve("busy.snapshot");
        try (FramePeer peer = FramePeer.start(FLOOD_FRAMES_PER_SECOND)) {
            List<String> machine = machine(disk, peer.port());
            String before;
            long writesBefore;
            long framesBefore;
            try (Osgemu vm = Osgemu.start(with(machine, "-monitor", "unix:" + monitorSocket + ",server=on,wait=off"))) {
                GuestShell sh = new GuestShell(vm);
                sh.awaitPrompt(LinuxIT.BOOT_SECONDS);
                sh.run("ip addr add 10.0.9.2/24 dev eth0 && ip link set eth0 up", 60);
                assertPings(sh, vm, "before the snapshot");
                vm.type("diskwriter /dev/vda " + DISK_BLOCKS + " 0 2 &");
                vm.type("while true; do echo netrx $(cat /sys/class/net/eth0/statistics/rx_packets); sleep 2; done &");
                long deadline = ConsoleReports.deadline(300);
                ConsoleReports.awaitBeyond(vm, () -> diskWrites(vm), 0, deadline, "diskwriter's write count");
                long frames = netRx(vm);
                ConsoleReports.awaitBeyond(vm, () -> netRx(vm), frames + FLOOD_FRAMES_PER_SECOND, deadline,
                        "the frames the guest received");

                try (Monitor monitor = Monitor.connect(monitorSocket)) {
                    assertEquals("", monitor.command("stop").trim());
                    assertEquals("", monitor.command("migrate file:" + snapshot).trim());
                    assertEquals("VM status: paused (postmigrate)", monitor.command("info status").trim());
                }
                before = vm.stdout();
                writesBefore = diskWrites(vm);
                framesBefore = netRx(vm);
                MigrationPair.kill(vm);
            }
            assertTrue("no snapshot written", Files.size(snapshot) > 1 << 20);

            try (Osgemu vm = Osgemu.start(with(machine, "-incoming", "file:" + snapshot))) {
                long deadline = ConsoleReports.deadline(300);
                ConsoleReports.awaitBeyond(vm, () -> diskWrites(vm), writesBefore, deadline,
                        "diskwriter's write count after the restore");
                ConsoleReports.awaitBeyond(vm, () -> netRx(vm), framesBefore + FLOOD_FRAMES_PER_SECOND, deadline,
                        "the frames the guest received after the restore");
                GuestShell sh = new GuestShell(vm);
                assertTrue("the shell answers after the restore", sh.run("echo al''ive", 120).contains("alive"));
                assertPings(sh, vm, "after the restore");
                long writes = diskWrites(vm);
                ConsoleReports.awaitBeyond(vm, () -> diskWrites(vm), writes, ConsoleReports.deadline(120),
                        "diskwriter's write count after the pings");

                String console = before + vm.stdout();
                for (String trouble : TROUBLE) {
                    assertFalse("the console says '" + trouble + "':\n" + ConsoleReports.tail(console), console.contains(trouble));
                }
                assertFalse("a virtio device broke:\n" + vm.stderr(), vm.stderr().contains("needs a reset"));
                assertEquals("Linux booted more than once:\n" + ConsoleReports.tail(console), 1, ConsoleReports.count(console, "osgemu-init: ready"));
                assertEquals("diskwriter started more than once", 1, ConsoleReports.count(console, "diskwriter: pid="));
                MigrationPair.kill(vm);
            }
            long reported = ConsoleReports.last(DISKWRITER, 2, before);
            DiskWriterImage.Contents contents = DiskWriterImage.check(disk, DISK_BLOCKS, true);
            assertTrue("the image's last write is " + contents.lastSeq() + ", but the guest reported " + reported
                    + " writes done before the snapshot", contents.lastSeq() >= reported - 1);
            assertTrue("the peer flooded " + peer.flooded() + " frames", peer.flooded() > 0);
        } finally {
            Files.deleteIfExists(snapshot);
            Files.deleteIfExists(disk);
        }
    }

    private static List<String> machine(Path disk, int peerPort) {
        return List.of("-M", "virt", "-smp", "1", "-m", "256M", "-nographic",
                "-kernel", Osgemu.guest("KERNEL").toString(), "-initrd", Osgemu.guest("INITRD").toString(),
                "-append", "console=ttyS0",
                "-drive", "file=" + disk + ",format=raw,if=none,id=d0", "-device", "virtio-blk-device,drive=d0",
                "-netdev", "socket,id=n0,connect=127.0.0.1:" + peerPort,
                "-device", "virtio-net-device,netdev=n0,mac=" + GUEST_MAC);
    }

    private static String[] with(List<String> machine, String... extra) {
        List<String> args = new ArrayList<>(machine);
        args.addAll(List.of(extra));
        return args.toArray(String[]::new);
    }

    private static Path blankDisk(Path file) throws IOException {
        try (FileChannel f = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            f.position((long) DISK_BLOCKS * DiskWriterImage.BLOCK_SIZE - 1).write(ByteBuffer.wrap(new byte[1]));
        }
        return file;
    }

    private static void assertPings(GuestShell sh, Osgemu vm, String when) throws Exception {
        String ping = sh.run("ping -c 3 -W 5 10.0.9.1", 120);
        assertTrue("the peer does not answer pings " + when + ":\n" + ping + "\nconsole:\n" + ConsoleReports.tail(vm.stdout()),
                ping.contains("3 packets received"));
    }

    private static long diskWrites(Osgemu vm) {
        return ConsoleReports.last(DISKWRITER, 2, vm.stdout());
    }

    private static long netRx(Osgemu vm) {
        return ConsoleReports.last(NET_RX, 1, vm.stdout());
    }

    /**
     * The other end of the guest's socket netdev, in QEMU's framing (a 4-byte big-endian length,
     * then the Ethernet frame): it answers ARP and ping for 10.0.9.1 and sends the guest
     * {@code framesPerSecond} frames of an experimental EtherType, which the guest's stack counts
     * and drops. It accepts one connection after the other, so a restored emulator connects again.
     */
    static final class FramePeer implements AutoCloseable {
        private static final int ETHERTYPE_FLOOD = 0x88B5;

        private final ServerSocket server;
        private final long frameIntervalNanos;
        private final AtomicLong flooded = new AtomicLong();
        private final List<Socket> connections = new CopyOnWriteArrayList<>();
        private volatile boolean closed;

        private FramePeer(int framesPerSecond) throws IOException {
            this.server = new ServerSocket(0, 4, InetAddress.getLoopbackAddress());
            this.frameIntervalNanos = TimeUnit.SECONDS.toNanos(1) / framesPerSecond;
            Thread.ofPlatform().daemon().name("frame-peer-accept").start(this::acceptAll);
        }

        static FramePeer start(int framesPerSecond) throws IOException {
            return new FramePeer(framesPerSecond);
        }

        int port() {
            return server.getLocalPort();
        }

        long flooded() {
            return flooded.get();
        }

        private void acceptAll() {
            while (!closed) {
                try {
                    Socket s = server.accept();
                    connections.add(s);
                    DataOutputStream out = new DataOutputStream(new BufferedOutputStream(s.getOutputStream()));
                    Thread.ofPlatform().daemon().name("frame-peer-flood").start(() -> flood(s, out));
                    Thread.ofPlatform().daemon().name("frame-peer-answer").start(() -> answer(s, out));
                } catch (IOException e) {
                    return; // closed
                }
            }
        }

        /** Sends frames at the set rate until the connection ends; a full socket (backpressure) just slows it. */
        private void flood(Socket s, DataOutputStream out) {
            byte[] frame = new byte[60];
            System.arraycopy(mac(GUEST_MAC), 0, frame, 0, 6);
            System.arraycopy(PEER_MAC, 0, frame, 6, 6);
            frame[12] = (byte) (ETHERTYPE_FLOOD >>> 8);
            frame[13] = (byte) ETHERTYPE_FLOOD;
            long next = System.nanoTime();
            try {
                for (long seq = 0; !closed; seq++) {
                    ByteBuffer.wrap(frame, 14, 8).putLong(seq);
                    send(out, frame);
                    flooded.incrementAndGet();
                    next += frameIntervalNanos;
                    LockSupport.parkNanos(Math.max(0, next - System.nanoTime()));
                }
            } catch (IOException e) {
                closeQuietly(s); // the emulator went away: the next one connects anew
            }
        }

        /** Reads the guest's frames and answers ARP requests and pings for the peer's address. */
        private void answer(Socket s, DataOutputStream out) {
            try {
                DataInputStream in = new DataInputStream(s.getInputStream());
                while (!closed) {
                    byte[] frame = new byte[in.readInt()];
                    in.readFully(frame);
                    byte[] reply = replyTo(frame);
                    if (reply != null) {
                        send(out, reply);
                    }
                }
            } catch (IOException e) {
                closeQuietly(s);
            }
        }

        private static void send(DataOutputStream out, byte[] frame) throws IOException {
            synchronized (out) {
                out.writeInt(frame.length);
                out.write(frame);
                out.flush();
            }
        }

        private static byte[] replyTo(byte[] f) {
            int type = u16(f, 12);
            if (type == 0x0806 && f.length >= 42 && u16(f, 20) == 1 && Arrays.equals(f, 38, 42, PEER_IP, 0, 4)) {
                byte[] r = new byte[60];
                System.arraycopy(f, 6, r, 0, 6); // to the asker
                System.arraycopy(PEER_MAC, 0, r, 6, 6);
                System.arraycopy(f, 12, r, 12, 8); // ARP, Ethernet/IPv4, sizes
                r[21] = 2; // reply
                System.arraycopy(PEER_MAC, 0, r, 22, 6);
                System.arraycopy(PEER_IP, 0, r, 28, 4);
                System.arraycopy(f, 22, r, 32, 10); // the asker's MAC and IP
                return r;
            }
            if (type == 0x0800 && f.length >= 34 && f[23] == 1 && Arrays.equals(f, 30, 34, PEER_IP, 0, 4)) {
                int headerLength = (f[14] & 0xF) * 4;
                int icmp = 14 + headerLength;
                int icmpLength = u16(f, 16) - headerLength;
                if (f[icmp] != 8 || icmp + icmpLength > f.length) {
                    return null;
                }
                byte[] r = f.clone();
                System.arraycopy(f, 6, r, 0, 6);
                System.arraycopy(PEER_MAC, 0, r, 6, 6);
                System.arraycopy(f, 30, r, 26, 4); // swapped addresses keep the IP checksum right
                System.arraycopy(f, 26, r, 30, 4);
                r[icmp] = 0; // echo reply
                r[icmp + 2] = 0;
                r[icmp + 3] = 0;
                int sum = checksum(r, icmp, icmpLength);
                r[icmp + 2] = (byte) (sum >>> 8);
                r[icmp + 3] = (byte) sum;
                return r;
            }
            return null;
        }

        private static int checksum(byte[] b, int offset, int length) {
            long sum = 0;
            for (int i = 0; i < length; i += 2) {
                sum += ((b[offset + i] & 0xFF) << 8) | (i + 1 < length ? b[offset + i + 1] & 0xFF : 0);
            }
            while ((sum >>> 16) != 0) {
                sum = (sum & 0xFFFF) + (sum >>> 16);
            }
            return (int) (~sum & 0xFFFF);
        }

        private static int u16(byte[] b, int at) {
            return (b[at] & 0xFF) << 8 | (b[at + 1] & 0xFF);
        }

        private static byte[] mac(String text) {
            byte[] m = new byte[6];
            String[] parts = text.split(":");
            for (int i = 0; i < 6; i++) {
                m[i] = (byte) Integer.parseInt(parts[i], 16);
            }
            return m;
        }

        private static void closeQuietly(Socket s) {
            try {
                s.close();
            } catch (IOException e) {
                // closing is all we wanted
            }
        }

        @Override
        public void close() throws IOException {
            closed = true;
            server.close();
            connections.forEach(FramePeer::closeQuietly);
        }
    }
}
