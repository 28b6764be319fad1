package org.osgemu.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The bare-metal {@code dirty.c} program (guests/baremetal) as a migration guest: it rewrites a
 * working set pass after pass, verifies each page against the generation it wrote, and prints
 * {@code dirty: pass N sum S mismatches M}. S depends on N alone; this class computes it, so a
 * page lost or mixed up by a migration shows as a wrong sum even where the program could not
 * notice.
 */
final class DirtyProgramGuest implements MigrationGuest {

    private static final Pattern PASS = Pattern.compile("dirty: pass (\\d+) sum 0x([0-9a-f]{16}) mismatches (\\d+)([^\r\n]*)\r\n");
    private static final long STEP = 0x9E37_79B9_7F4A_7C15L;
    private static final long PAGE_WORDS = 512;

    private final String program;
    private final int workingSetMib;
    private final List<String> options;

    /**
     * @param program the ELF from guests/build-baremetal.sh: dirty.elf (64 MiB), dirty16.elf or dirty-bigstate.elf (16 MiB)
     * @param options further machine options, e.g. {@code -m 512M} or a {@code -device}
     */
    DirtyProgramGuest(String program, int workingSetMib, String... options) {
        this.program = program;
        this.workingSetMib = workingSetMib;
        this.options = List.of(options);
    }

    @Override
    public List<String> machine(String... extra) {
        List<String> args = new ArrayList<>(List.of("-M", "virt", "-nographic", "-bios", "none",
                "-kernel", Osgemu.baremetal(program).toString()));
        args.addAll(options);
        args.addAll(List.of(extra));
        return args;
    }

    @Override
    public void awaitWorking(Osgemu vm, long seconds) throws InterruptedException {
        assertTrue("the guest never finished a pass; stdout:\n" + vm.stdout() + "\nstderr:\n" + vm.stderr(),
                vm.awaitOutput("dirty: pass 1 ", seconds));
    }

    @Override
    public long progress(Osgemu vm) {
        return ConsoleReports.last(PASS, 1, vm.stdout());
    }

    @Override
    public void awaitProgressBeyond(Osgemu vm, long progress, long seconds) throws InterruptedException {
        ConsoleReports.awaitBeyond(vm, () -> progress(vm), progress, ConsoleReports.deadline(seconds), "the guest's pass");
    }

    @Override
    public void check(String before, Osgemu vm) {
        String output = before + vm.stdout();
        assertFalse("corruption reported:\n" + ConsoleReports.tail(output), output.contains("MISMATCH"));
        int ready = output.split("dirty: ready", -1).length - 1;
        assertEquals("the program started " + ready + " times:\n" + ConsoleReports.tail(output), 1, ready);
        Matcher m = PASS.matcher(output);
        long expected = 1;
        while (m.find()) {
            long pass = Long.parseLong(m.group(1));
            assertEquals("passes must follow each other:\n" + ConsoleReports.tail(output), expected, pass);
            assertEquals("pass " + pass + ": mismatches", "0", m.group(3));
            assertEquals("pass " + pass + ": the checksum of the working set", Long.toHexString(sum(pass)),
                    Long.toHexString(Long.parseUnsignedLong(m.group(2), 16)));
            assertFalse("pass " + pass + ": " + m.group(4), m.group(4).contains("BAD"));
            expected++;
        }
        assertTrue("no pass at all:\n" + ConsoleReports.tail(output), expected > 1);
    }

    /** What pass {@code pass} sums: every word of generation {@code pass}, as dirty.c writes them. */
    long sum(long pass) {
        long pages = (long) workingSetMib << 20 >> 12;
        long sum = 0;
        for (long page = 0; page < pages; page++) {
            sum += PAGE_WORDS * base(pass, page);
        }
        return sum + pages * STEP * (PAGE_WORDS * (PAGE_WORDS - 1) / 2);
    }

    private static long base(long generation, long page) {
        long z = (generation << 32) ^ page;
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }
}
