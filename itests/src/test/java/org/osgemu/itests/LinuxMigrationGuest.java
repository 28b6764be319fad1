package org.osgemu.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Linux test guest (guests/build-all.sh) as a migration guest: it boots to its shell, then
 * runs two programs of the initramfs in the background, both reporting on the console.
 * {@code dirtymem} rewrites a 64 MiB working set and checks it against a running checksum;
 * {@code diskwriter} writes numbered, checksummed 4 KiB blocks to a virtio-blk disk with
 * O_DIRECT and reads them back. The disk is a raw file of this guest's own, which source and
 * destination share, as a migration between hosts shares its storage: the host checks it too,
 * while the guest runs and once every emulator ended ({@link #afterwards()}).
 *
 * <p>One instance per test: it creates the disk file.
 */
final class LinuxMigrationGuest implements MigrationGuest {

    static final int WORKING_SET_MIB = 64;
    /** The whole 16 MiB disk. */
    static final int DISK_BLOCKS = 4096;
    /** Blocks per second the disk writer writes: a pass over the disk in about 20 s. */
    static final int DISK_WRITES_PER_SECOND = 200;

    private static final Pattern DIRTYMEM = Pattern.compile("dirtymem: pass=(\\d+) checksum=[0-9a-f]{16} (ok|MISMATCH)");
    private static final Pattern DISKWRITER = Pattern.compile("diskwriter: pass=(\\d+) seq=(\\d+) (verified=\\d+ ok|block=\\d+ MISMATCH)");
    /** What the kernel or the shell print when something went wrong that the programs cannot see. */
    private static final List<String> TROUBLE = List.of("Kernel panic", "Oops", "BUG: ", "WARNING: CPU", "detected stall",
            "soft lockup", "Unable to handle", "Segmentation fault", "Illegal instruction", "segfault", " ERROR");

    private final int dirtyMibPerSecond;
    private final List<String> options;
    /** The directory of the shared disk file. */
    private final Path dir;
    private final Path disk;
    private long highestReportedSeq;

    /**
     * @param dirtyMibPerSecond how fast dirtymem rewrites its working set (0: as fast as it can,
     *                          which precopy does not catch up with at the default bandwidth)
     * @param options further machine options, e.g. a {@code -device}
     */
    LinuxMigrationGuest(int dirtyMibPerSecond, String... options) {
        this.dirtyMibPerSecond = dirtyMibPerSecond;
        this.options = List.of(options);
        try {
            dir = Files.createTempDirectory("osgemu-linux-migration");
            disk = dir.resolve("shared.raw");
            try (FileChannel f = FileChannel.open(disk, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                f.truncate(0);
                f.position((long) DISK_BLOCKS * DiskWriterImage.BLOCK_SIZE - 1).write(ByteBuffer.wrap(new byte[1]));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the shared disk of a Linux migration guest", e);
        }
    }

    /**
     * Dirtying at 32 MiB/s (a pass over the working set every 2 s, which precopy converges with),
     * with the shared disk.
     */
    LinuxMigrationGuest(String... options) {
        this(32, options);
    }

    @Override
    public List<String> machine(String... extra) {
        List<String> args = new ArrayList<>(List.of("-M", "virt", "-smp", "1", "-m", "512M", "-nographic",
                "-kernel", Osgemu.guest("KERNEL").toString(), "-initrd", Osgemu.guest("INITRD").toString(),
                "-append", "console=ttyS0"));
        args.addAll(List.of("-drive", "file=" + disk + ",format=raw,if=none,id=d0", "-device", "virtio-blk-device,drive=d0"));
        args.addAll(options);
        args.addAll(List.of(extra)); // last: a later -m replaces ours
        return args;
    }

    @Override
    public void awaitWorking(Osgemu vm, long seconds) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        new GuestShell(vm).awaitPrompt(seconds);
        try {
            // reports every 2 s (dirtymem) and 3 s (diskwriter), to the console
            vm.type("dirtymem " + WORKING_SET_MIB + " " + dirtyMibPerSecond + " 2 &");
            vm.type("diskwriter /dev/vda " + DISK_BLOCKS + " " + DISK_WRITES_PER_SECOND + " 3 &");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        for (String report : List.of("dirtymem: pass=", "diskwriter: pass=")) {
            long left = Math.max(1, TimeUnit.NANOSECONDS.toSeconds(deadline - System.nanoTime()));
            assertTrue("no '" + report + "' report; console:\n" + ConsoleReports.tail(vm.stdout()) + "\nstderr:\n" + vm.stderr(),
                    vm.awaitOutput(report, left));
        }
    }

    /** The pass dirtymem's last report names. */
    @Override
    public long progress(Osgemu vm) {
        return ConsoleReports.last(DIRTYMEM, 1, vm.stdout());
    }

    /**
     * Waits for dirtymem to get beyond pass {@code progress} and for diskwriter to
     * report writes beyond those it reported so far: a machine that lost its disk (a source whose
     * drive stayed inactive after a failed migration) fails here.
     */
    @Override
    public void awaitProgressBeyond(Osgemu vm, long progress, long seconds) throws InterruptedException {
        long deadline = ConsoleReports.deadline(seconds);
        long writes = diskWrites(vm);
        ConsoleReports.awaitBeyond(vm, () -> progress(vm), progress, deadline, "dirtymem's pass");
        ConsoleReports.awaitBeyond(vm, () -> diskWrites(vm), writes, deadline, "diskwriter's write count");
    }

    /** The write count diskwriter's last report on {@code vm}'s console names (0 before any). */
    private static long diskWrites(Osgemu vm) {
        return ConsoleReports.last(DISKWRITER, 2, vm.stdout());
    }

    @Override
    public void check(String before, Osgemu vm) {
        String output = before + vm.stdout();
        for (String trouble : TROUBLE) {
            assertFalse("the console says '" + trouble + "':\n" + ConsoleReports.tail(output), output.contains(trouble));
        }
        assertFalse("corruption reported:\n" + ConsoleReports.tail(output), output.contains("MISMATCH"));
        assertEquals("Linux booted more than once:\n" + ConsoleReports.tail(output), 1, ConsoleReports.count(output, "osgemu-init: ready"));
        assertEquals("dirtymem started more than once:\n" + ConsoleReports.tail(output), 1, ConsoleReports.count(output, "dirtymem: pid="));

        Matcher memory = DIRTYMEM.matcher(output);
        long pass = 0;
        int memoryReports = 0;
        while (memory.find()) {
            long next = Long.parseLong(memory.group(1));
            assertTrue("dirtymem's pass went back from " + pass + " to " + next + ":\n" + ConsoleReports.tail(output), next >= pass);
            pass = next;
            memoryReports++;
        }
        assertTrue("no dirtymem report:\n" + ConsoleReports.tail(output), memoryReports > 0);
        checkDiskReports(output);
    }

    /** diskwriter started once, its write count only grows, and the disk file holds every write it reported. */
    private void checkDiskReports(String output) {
        assertEquals("diskwriter started more than once:\n" + ConsoleReports.tail(output), 1, ConsoleReports.count(output, "diskwriter: pid="));

        Matcher writes = DISKWRITER.matcher(output);
        long seq = 0;
        while (writes.find()) {
            long next = Long.parseLong(writes.group(2));
            assertTrue("diskwriter's write count went back from " + seq + " to " + next + ":\n" + ConsoleReports.tail(output), next > seq);
            assertEquals("diskwriter's pass at write " + next, next / DISK_BLOCKS, Long.parseLong(writes.group(1)));
            seq = next;
        }
        assertTrue("no diskwriter report:\n" + ConsoleReports.tail(output), seq > 0);
        highestReportedSeq = Math.max(highestReportedSeq, seq);
        checkDisk(false);
    }

    /** The disk file, read by the host, holds every write the guest reported done. */
    private void checkDisk(boolean quiet) {
        try {
            DiskWriterImage.Contents contents = DiskWriterImage.check(disk, DISK_BLOCKS, quiet);
            // a report's seq is the number of writes done: the last of them is seq - 1
            assertTrue("the disk file's last write is " + contents.lastSeq() + ", but the guest reported "
                    + highestReportedSeq + " writes done", contents.lastSeq() >= highestReportedSeq - 1);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the shared disk " + disk, e);
        }
    }

    /** Checks the disk file now that nothing writes it: one unbroken run of writes; then deletes it. */
    @Override
    public void afterwards() throws IOException {
        try {
            checkDisk(true);
        } finally {
            Files.deleteIfExists(disk);
            Files.deleteIfExists(dir);
        }
    }
}
