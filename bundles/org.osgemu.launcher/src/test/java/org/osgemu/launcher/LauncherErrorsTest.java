package org.osgemu.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

/** What reaches a person when something goes wrong past the command line. */
class LauncherErrorsTest {

    private static String run(RuntimeException e, boolean debug, int[] status) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        status[0] = Launcher.lastResort(e, new PrintStream(bytes, true, StandardCharsets.UTF_8), debug);
        return bytes.toString(StandardCharsets.UTF_8);
    }

    @Test
    void anUnforeseenExceptionIsOneLineAndStatus1() {
        int[] status = new int[1];
        String err = run(new IllegalStateException("device tree of 70000 bytes exceeds the 65536 reserved\nsecond line"), false, status);
        assertEquals(1, status[0]);
        assertEquals("osgemu: internal error: IllegalStateException: device tree of 70000 bytes exceeds the 65536 reserved"
                + " (run with OSGEMU_JAVA_OPTS=-Dosgemu.debug=true for the stack trace)\n", err);
        assertEquals("osgemu: internal error: NullPointerException (run with OSGEMU_JAVA_OPTS=-Dosgemu.debug=true for the stack trace)\n",
                run(new NullPointerException(), false, status));
    }

    @Test
    void withTheDebugPropertyTheStackTraceFollows() {
        int[] status = new int[1];
        String err = run(new IllegalArgumentException("bad"), true, status);
        assertEquals(1, status[0]);
        assertTrue(err.startsWith("osgemu: internal error: IllegalArgumentException: bad\njava.lang.IllegalArgumentException: bad\n"), err);
        assertTrue(err.contains("\tat org.osgemu.launcher.LauncherErrorsTest"), err);
    }

    @Test
    void aMissingBackendPropertyIsSaidAsQemuSaysIt() {
        assertEquals("drive property not set", Launcher.explain("reference 'drive' has no target"));
        assertEquals("netdev property not set", Launcher.explain("reference 'netdev' has no target"));
        // a reference with a target names a backend that is there: the reason stays
        assertEquals("reference 'drive' has no target (id=hd0)", Launcher.explain("reference 'drive' has no target (id=hd0)"));
        assertEquals("mac='zz' is not six hex bytes", Launcher.explain("mac='zz' is not six hex bytes"));
    }
}
