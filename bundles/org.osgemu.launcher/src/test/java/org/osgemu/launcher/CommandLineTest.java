package org.osgemu.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;

class CommandLineTest {

    private static LaunchPlan parse(String... args) throws CommandLineException {
        return CommandLine.parse(List.of(args));
    }

    private static String error(String... args) {
        return assertThrows(CommandLineException.class, () -> parse(args)).getMessage();
    }

    @Test
    void parsesTheOpenSbiCommandLine() throws Exception {
        LaunchPlan p = parse("-M", "virt", "-m", "128M", "-smp", "2", "-nographic", "-bios", "/fw.bin");
        assertEquals("virt", p.machineType());
        assertEquals(128L << 20, p.ramSize());
        assertEquals(2, p.cpus());
        assertEquals(Optional.of(Path.of("/fw.bin")), p.bios());
        assertEquals("osgemu.chardev.mux", p.chardevs().get("compat_monitor0").pid()); // -nographic: see StdioMuxOptionsTest
        assertEquals(LaunchPlan.Action.RUN, p.action());
    }

    @Test
    void defaultsFollowQemu() throws Exception {
        LaunchPlan p = parse();
        assertEquals(Optional.of(CommandLine.DEFAULT_BIOS), p.bios());
        assertEquals(128L << 20, p.ramSize());
        assertEquals(1, p.cpus());
        assertEquals("machine0", p.name());
    }

    @Test
    void biosNoneAndKernel() throws Exception {
        LaunchPlan p = parse("-bios", "none", "-kernel", "prog.elf", "-S");
        assertEquals(Optional.empty(), p.bios());
        assertEquals(Optional.of(Path.of("prog.elf")), p.kernel());
        assertTrue(p.startPaused());
    }

    @Test
    void ramSizes() throws Exception {
        assertEquals(512L << 20, parse("-m", "512").ramSize());
        assertEquals(2L << 30, parse("-m", "2G").ramSize());
        assertEquals(4L << 30, parse("-m", "size=4g").ramSize());
        assertEquals(1536L << 20, parse("-m", "1.5G").ramSize());
    }

    @Test
    void devicesBecomeSpecsWithIdsAndProperties() throws Exception {
        LaunchPlan p = parse("-device", "ns16550a,id=uart1,chardev.target=(id=x)", "-device", "plic");
        assertEquals(2, p.devices().size());
        assertEquals(new LaunchPlan.DeviceSpec("ns16550a", "uart1", Map.of("chardev.target", "(id=x)"),
                "-device ns16550a,id=uart1,chardev.target=(id=x)"), p.devices().get(0));
        // a target the user typed is a given property; one the launcher adds for drive= is not
        assertEquals(java.util.Set.of("chardev.target"), p.devices().get(0).givenProperties());
        assertEquals("osgemu.device.plic", p.devices().get(1).factoryPid());
        assertEquals("plic.1", p.devices().get(1).id());
    }

    @Test
    void everyConfigurationKnowsTheOptionItCameFromForMessages() throws Exception {
        java.nio.file.Path disk = java.nio.file.Files.createTempFile("osgemu-cl", ".img");
        try {
            LaunchPlan p = parse("-drive", "file=" + disk + ",if=none,id=hd0", "-device", "virtio-blk-device,drive=hd0,serial=s1",
                    "-netdev", "socket,id=n0,listen=:5555", "-drive", "file=" + disk + ",if=virtio,readonly=on", "-serial", "null");
            assertEquals("-drive file=" + disk + ",if=none,id=hd0", p.backends().get(0).option());
            assertEquals("-netdev socket,id=n0,listen=:5555", p.backends().get(1).option());
            assertEquals("-serial null", p.chardevs().get("serial0").option());
            LaunchPlan.DeviceSpec blk = p.devices().get(0);
            assertEquals("-device virtio-blk-device,drive=hd0,serial=s1", blk.option());
            assertEquals(java.util.Set.of("drive", "serial"), blk.givenProperties());
            assertEquals("(id=hd0)", blk.properties().get("drive.target"));
            // the device an if=virtio drive implies answers for that -drive
            assertEquals("-drive file=" + disk + ",if=virtio,readonly=on", p.devices().get(1).option());
        } finally {
            java.nio.file.Files.delete(disk);
        }
    }

    @Test
    void doubledCommaIsALiteralComma() throws Exception {
        LaunchPlan p = parse("-device", "x,label=a,,b");
        assertEquals("a,b", p.devices().get(0).properties().get("label"));
    }

    @Test
    void monitorTransports() throws Exception {
        LaunchPlan p = parse("-monitor", "unix:/tmp/m.sock,server=on,wait=off", "-monitor", "tcp:127.0.0.1:4444,server=on,wait=off");
        assertEquals(Map.of("id", "monitor0", "transport", "unix", "path", "/tmp/m.sock"), p.servers().get(0).properties());
        assertEquals("4444", p.servers().get(1).properties().get("port"));
        LaunchPlan stdio = parse("-serial", "none", "-monitor", "stdio");
        assertEquals("stdio", stdio.servers().get(0).properties().get("transport"));
    }

    @Test
    void serialVariants() throws Exception {
        assertEquals("osgemu.chardev.null", parse("-serial", "none").chardevs().get("serial0").pid());
        LaunchPlan f = parse("-serial", "file:/tmp/out.txt");
        assertEquals("/tmp/out.txt", f.chardevs().get("serial0").properties().get("path"));
        LaunchPlan c = parse("-chardev", "ringbuf,id=rb,size=1024", "-serial", "chardev:rb");
        assertEquals("osgemu.chardev.ringbuf", c.chardevs().get("serial0").pid());
        assertEquals("1024", c.chardevs().get("serial0").properties().get("size"));
    }

    @Test
    void drivesNetdevsAndDevicesLinkByTarget(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        Path img = java.nio.file.Files.write(dir.resolve("disk.img"), new byte[4096]);
        LaunchPlan p = parse("-drive", "file=" + img + ",format=raw,if=none,id=hd0,readonly=on",
                "-device", "virtio-blk-device,drive=hd0,serial=abc",
                "-netdev", "socket,id=n0,listen=:5555", "-device", "virtio-net-device,netdev=n0,mac=52:54:00:12:34:56");
        LaunchPlan.Backend drive = p.backends().get(0);
        assertEquals("osgemu.block.raw", drive.pid());
        assertEquals("true", drive.properties().get("readonly"));
        assertEquals(img.toAbsolutePath().toString(), drive.properties().get("file"));
        assertEquals(Map.of("id", "n0", "listen", ":5555"), p.backends().get(1).properties());
        assertEquals("(id=hd0)", p.devices().get(0).properties().get("drive.target"));
        assertEquals("abc", p.devices().get(0).properties().get("serial"));
        assertEquals("(id=n0)", p.devices().get(1).properties().get("netdev.target"));
        assertEquals("machine0", drive.properties().get("machine"), "the migration finds the machine's drives by it");
        assertEquals(null, drive.properties().get("inactive"), "a machine that boots writes its disks at once");
        LaunchPlan v = parse("-drive", "file=" + img + ",if=virtio");
        assertEquals("virtio-blk-device", v.devices().get(0).driver());
        assertEquals("(id=drive0)", v.devices().get(0).properties().get("drive.target"));
        assertEquals("-device virtio-blk-device,drive=hd9: no -drive with id 'hd9'", error("-device", "virtio-blk-device,drive=hd9"));
        assertTrue(error("-drive", "file=/no/such.img,if=none,id=x").endsWith("/no/such.img: no such file"));
        assertTrue(error("-drive", "file=" + img + ",format=qcow2,id=x").contains("format 'qcow2' is not supported"));
        assertEquals("-netdev user,id=n0: netdev type 'user' is not supported (socket)", error("-netdev", "user,id=n0"));
        assertEquals("-netdev socket,id=n0: give exactly one of listen=[HOST]:PORT or connect=HOST:PORT", error("-netdev", "socket,id=n0"));
    }

    @Test
    void qmpServersFromQmpAndMon() throws Exception {
        LaunchPlan p = parse("-qmp", "unix:/tmp/q.sock,server=on,wait=off", "-qmp", "tcp:127.0.0.1:4445,server=on,wait=off",
                "-chardev", "socket,id=mon0,path=/tmp/m.sock,server=on,wait=off", "-mon", "chardev=mon0,mode=control");
        assertEquals("osgemu.qmp", p.servers().get(0).pid());
        assertEquals("/tmp/m.sock", p.servers().get(0).properties().get("path"));
        assertEquals("/tmp/q.sock", p.servers().get(1).properties().get("path"));
        assertEquals("4445", p.servers().get(2).properties().get("port"));
        assertTrue(!p.chardevs().containsKey("mon0"));
        assertEquals("-mon chardev=nope,mode=control: no -chardev with id 'nope'", error("-mon", "chardev=nope,mode=control"));
    }

    @Test
    void drivesOfAnIncomingMachineOpenInactiveWhateverTheUri(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        Path img = java.nio.file.Files.write(dir.resolve("disk.img"), new byte[512]);
        for (String uri : List.of("tcp:127.0.0.1:4444", "unix:/tmp/m.sock", "file:/tmp/snap", "defer")) {
            LaunchPlan p = parse("-name", "dst", "-drive", "file=" + img + ",if=virtio", "-incoming", uri);
            assertEquals("true", p.backends().get(0).properties().get("inactive"), uri);
            assertEquals("dst", p.backends().get(0).properties().get("machine"), uri);
        }
    }

    @Test
    void incomingTakesAUri() throws Exception {
        assertEquals(Optional.of("file:/tmp/snap"), parse("-incoming", "file:/tmp/snap").incoming());
        assertEquals(Optional.empty(), parse().incoming());
        assertEquals("-incoming snap: expected a URI such as file:PATH", error("-incoming", "snap"));
    }

    @Test
    void helpVersionAndLists() throws Exception {
        assertEquals(LaunchPlan.Action.HELP, parse("-h").action());
        assertEquals(LaunchPlan.Action.VERSION, parse("-version").action());
        assertEquals(LaunchPlan.Action.LIST_MACHINES, parse("-M", "help").action());
        assertEquals(LaunchPlan.Action.LIST_DEVICES, parse("-device", "help").action());
    }

    @Test
    void badOptionsAreOneLineErrorsNamingTheOption() {
        assertEquals("-frobnicate: invalid option", error("-frobnicate", "x"));
        assertEquals("-nonsense: invalid option", error("-nonsense"));
        assertEquals("-m: requires an argument", error("-m"));
        assertEquals("-m lots: not a size (use e.g. 512M or 2G)", error("-m", "lots"));
        assertEquals("-m 1M: at least 16M of RAM is needed", error("-m", "1M"));
        assertEquals("-smp zero: 'zero' is not a number of CPUs", error("-smp", "zero"));
        assertEquals("-smp 0: the number of CPUs must be 1 to 512", error("-smp", "0"));
        assertEquals("virt: not an option (options start with '-'; try -h)", error("virt"));
        assertEquals("-serial bogus: unknown serial device (stdio, null, none, file:PATH, chardev:ID)", error("-serial", "bogus"));
        assertEquals("-device x,id=a,id=b: 'id' is given twice", error("-device", "x,id=a,id=b"));
        assertEquals("-device a,id=d -device b,id=d".substring(0, 0) + "-device b,id=d: duplicate id 'd'",
                error("-device", "a,id=d", "-device", "b,id=d"));
        assertEquals("-M virt,foo=1: machine virt has no parameter 'foo'", error("-M", "virt,foo=1"));
        assertEquals("-chardev file,id=f: needs path=", error("-chardev", "file,id=f"));
        assertTrue(error("-monitor", "stdio").startsWith("-monitor stdio: stdio is already used by chardev 'serial0'"));
        assertEquals("-monitor unix:/x,wait=on: wait=on is not supported; use wait=off", error("-monitor", "unix:/x,wait=on"));
        assertEquals("-monitor tcp:h:99999,server=on,wait=off: '99999' is not a TCP port",
                error("-monitor", "tcp:h:99999,server=on,wait=off"));
        assertEquals("-kernel: empty file name", error("-kernel", ""));
    }
}
