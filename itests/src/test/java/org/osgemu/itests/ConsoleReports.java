package org.osgemu.itests;

import static org.junit.Assert.fail;

import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reading the numbered reports test programs print on a guest's console, and waiting for them to grow. */
final class ConsoleReports {

    /** The start banner of guests/baremetal/resettable.c, with the device tree's magic it reads before wiping it. */
    static final String RESETTABLE_BANNER = "resettable: start hart 0 fdt d00dfeed\r\n";

    private ConsoleReports() {
    }

    /** The number in {@code group} of the last match of {@code report} in {@code console}, 0 before any. */
    static long last(Pattern report, int group, String console) {
        long last = 0;
        Matcher m = report.matcher(console);
        while (m.find()) {
            last = Long.parseLong(m.group(group));
        }
        return last;
    }

    /**
     * Waits until {@code value} exceeds {@code beyond}; fails, showing {@code vm}'s console and
     * stderr, when {@code deadlineNanos} (System.nanoTime) passes or the process ended.
     */
    static void awaitBeyond(Osgemu vm, LongSupplier value, long beyond, long deadlineNanos, String what)
            throws InterruptedException {
        while (value.getAsLong() <= beyond) {
            if (System.nanoTime() > deadlineNanos || !vm.process().isAlive()) {
                fail(what + " did not get beyond " + beyond + "; console:\n" + tail(vm.stdout()) + "\nstderr:\n" + vm.stderr());
            }
            Thread.sleep(100);
        }
    }

    /** The end of a long console text, for failure messages. */
    static String tail(String s) {
        return s.length() > 4000 ? "..." + s.substring(s.length() - 4000) : s;
    }

    /** How often {@code part} occurs in {@code text}, counting matches that do not overlap. */
    static int count(String text, String part) {
        int n = 0;
        for (int at = text.indexOf(part); at >= 0; at = text.indexOf(part, at + part.length())) {
            n++;
        }
        return n;
    }

    static long deadline(long seconds) {
        return System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    }
}
