package org.osgemu.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** How {@code -nographic}, {@code -serial mon:stdio} and {@code -chardev ...,mux=on} become a mux shared by console and monitor. */
class StdioMuxOptionsTest {

    private static LaunchPlan parse(String... args) throws CommandLineException {
        return CommandLine.parse(List.of(args));
    }

    private static String error(String... args) {
        return assertThrows(CommandLineException.class, () -> parse(args)).getMessage();
    }

    /** The console (serial0) and one monitor on a mux over stdio, as QEMU's -serial mon:stdio. */
    private static void assertConsoleAndMonitorShareStdio(LaunchPlan p, String mux) {
        LaunchPlan.Backend base = p.chardevs().get(mux + "-base");
        assertEquals("osgemu.chardev.stdio", base.pid());
        assertEquals(Map.of("id", mux + "-base"), base.properties());
        LaunchPlan.Backend m = p.chardevs().get(mux);
        assertEquals(Map.of("id", mux, "chardev.target", "(id=" + mux + "-base)", "frontends", "serial0," + mux + ".monitor0"),
                m.properties());
        assertEquals("osgemu.chardev.mux", m.pid());
        assertFalse(p.chardevs().containsKey("serial0"), "the UART's chardev serial0 is the mux's first front end");
        LaunchPlan.Backend monitor = p.servers().get(0);
        assertEquals("osgemu.monitor.chardev", monitor.pid());
        assertEquals("(id=" + mux + ".monitor0)", monitor.properties().get("chardev.target"));
    }

    @Test
    void nographicSharesStdioBetweenTheConsoleAndTheMonitor() throws Exception {
        LaunchPlan p = parse("-nographic");
        assertConsoleAndMonitorShareStdio(p, "compat_monitor0");
        assertEquals("-nographic", p.chardevs().get("compat_monitor0").option());
        assertEquals(1, p.servers().size());
    }

    @Test
    void serialMonStdioIsTheSameExplicitly() throws Exception {
        LaunchPlan p = parse("-serial", "mon:stdio");
        assertConsoleAndMonitorShareStdio(p, "compat_monitor0");
        assertEquals("-serial mon:stdio", p.servers().get(0).option());
    }

    @Test
    void chardevMuxOnWithSerialAndMonIsTheLongSpelling() throws Exception {
        LaunchPlan p = parse("-chardev", "stdio,mux=on,id=c0", "-mon", "chardev=c0", "-serial", "chardev:c0");
        assertConsoleAndMonitorShareStdio(p, "c0");
        assertEquals("-mon chardev=c0", p.servers().get(0).option());
    }

    @Test
    void nographicWithAnExplicitSerialOrMonitorKeepsThePlainBackends() throws Exception {
        LaunchPlan serial = parse("-nographic", "-serial", "stdio");
        assertEquals("osgemu.chardev.stdio", serial.chardevs().get("serial0").pid());
        assertTrue(serial.servers().isEmpty());

        LaunchPlan monitor = parse("-nographic", "-serial", "none", "-monitor", "stdio");
        assertEquals("osgemu.chardev.null", monitor.chardevs().get("serial0").pid());
        assertEquals("stdio", monitor.servers().get(0).properties().get("transport"));

        LaunchPlan socket = parse("-nographic", "-monitor", "unix:/tmp/m.sock,server=on,wait=off");
        assertEquals("osgemu.chardev.stdio", socket.chardevs().get("serial0").pid(), "as QEMU: -monitor leaves the console alone on stdio");

        LaunchPlan qmp = parse("-nographic", "-qmp", "unix:/tmp/q.sock,server=on,wait=off");
        assertEquals("osgemu.chardev.stdio", qmp.chardevs().get("serial0").pid());
    }

    @Test
    void withoutNographicTheConsoleStaysPlainStdio() throws Exception {
        assertEquals("osgemu.chardev.stdio", parse().chardevs().get("serial0").pid());
    }

    @Test
    void aMuxNobodySharesStaysAPlainBackend() throws Exception {
        LaunchPlan p = parse("-chardev", "null,mux=on,id=c1", "-serial", "none");
        assertEquals(Map.of("id", "c1"), p.chardevs().get("c1").properties());
        assertEquals("osgemu.chardev.null", p.chardevs().get("c1").pid());
    }

    @Test
    void mistakesNameTheOptionAndTheValue() {
        assertEquals("-mon chardev=c0,mode=control: QMP cannot share a multiplexed chardev; give it a socket chardev",
                error("-chardev", "stdio,mux=on,id=c0", "-mon", "chardev=c0,mode=control", "-serial", "chardev:c0"));
        assertEquals("-serial mon:unix:/x: only mon:stdio is supported for a serial port shared with the monitor",
                error("-serial", "mon:unix:/x"));
        assertTrue(error("-serial", "mon:stdio", "-monitor", "stdio").startsWith("-monitor stdio: stdio is already used by chardev 'compat_monitor0'"));
        assertEquals("-device virtconsole,chardev=c0: a multiplexed chardev serves -serial and -mon only",
                error("-chardev", "stdio,mux=on,id=c0", "-serial", "chardev:c0", "-device", "virtconsole,chardev=c0"));
    }
}
