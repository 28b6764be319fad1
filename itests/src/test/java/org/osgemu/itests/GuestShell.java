package org.osgemu.itests;

import java.io.IOException;

/** Test helper: drives the busybox shell of the Linux test guest on an osgemu serial console. */
final class GuestShell {

    /** The prompt the test initramfs sets (guests/initramfs/init). */
    static final String PROMPT = "~ # ";

    private final Osgemu vm;

    GuestShell(Osgemu vm) {
        this.vm = vm;
    }

    /** Waits for the first prompt after boot. */
    void awaitPrompt(long seconds) throws InterruptedException {
        if (!vm.awaitOutput(PROMPT, seconds)) {
            throw new AssertionError("no shell prompt within " + seconds + " s; console:\n" + tail(vm.stdout())
                    + "\nstderr:\n" + vm.stderr());
        }
    }

    /**
     * Runs {@code command} and returns what it printed, between the echoed command line and the
     * next prompt. A unique end marker makes the match independent of what the command prints.
     */
    String run(String command, long seconds) throws IOException, InterruptedException {
        String marker = "__osgemu_done_" + System.nanoTime() + "__";
        int mark = vm.mark();
        vm.type(command + "; echo " + marker.substring(0, 8) + "'" + marker.substring(8) + "'");
        // Wait for the prompt after the marker too, so the next command is typed when the shell
        // reads again (a line typed earlier is echoed by the tty before the shell's prompt).
        String out = vm.awaitOutputAfter(mark, "\n" + marker, seconds);
        if (out == null) {
            throw new AssertionError("'" + command + "' did not finish within " + seconds + " s; console:\n" + tail(vm.stdout()));
        }
        vm.awaitOutputAfter(mark + out.indexOf("\n" + marker), PROMPT, 10);
        // The echoed command line is the one with the quoted marker; the output follows it.
        int echo = out.indexOf(marker.substring(8) + "'");
        int start = echo < 0 ? 0 : out.indexOf('\n', echo) + 1;
        int end = out.indexOf("\n" + marker, Math.max(0, start - 1));
        String result = out.substring(start, Math.max(start, end)).replace("\r", "");
        return result.startsWith(PROMPT) ? result.substring(PROMPT.length()) : result;
    }

    private static String tail(String s) {
        return s.length() > 4000 ? s.substring(s.length() - 4000) : s;
    }
}
