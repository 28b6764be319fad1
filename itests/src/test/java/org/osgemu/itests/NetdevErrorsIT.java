package org.osgemu.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.After;
import org.junit.Test;

/**
 * Backends and ports with nothing to attach to are refused at startup through the real launcher,
 * as QEMU 7.2 refuses them: one line naming the option, status 1, before the guest runs. A
 * {@code -netdev socket,connect=} where nobody listens, and a {@code -device virtconsole} with no
 * {@code virtio-serial-device} to plug into, with a {@code bus=} that names none, or whose
 * device's one console port is taken.
 */
public class NetdevErrorsIT {

    private final List<Path> files = new ArrayList<>();

    @After
    public void deleteFiles() throws Exception {
        for (Path f : files) {
            Files.deleteIfExists(f);
        }
    }

    @Test
    public void aSocketNetdevThatCannotConnectIsOneLineNamingTheNetdevAndAddress() throws Exception {
        int port;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort(); // closed again: nobody listens there
        }
        String netdev = "socket,id=n0,connect=127.0.0.1:" + port;
        String line = refusal("-netdev", netdev, "-device", "virtio-net-device,netdev=n0");
        assertTrue(line, line.startsWith("osgemu: -netdev " + netdev + ": "));
        assertTrue(line, line.contains("cannot connect to 127.0.0.1:" + port + ": Connection refused"));
    }

    @Test
    public void aVirtconsoleWithoutAVirtioSerialDeviceIsOneLine() throws Exception {
        assertEquals("osgemu: -device virtconsole,chardev=c0: No 'virtio-serial-bus' bus found for device 'virtconsole'\n",
                refusal("-chardev", chardevFile(), "-device", "virtconsole,chardev=c0"));
    }

    @Test
    public void aVirtconsoleWhoseBusNamesNoDeviceIsOneLine() throws Exception {
        assertEquals("osgemu: -device virtconsole,chardev=c0,bus=nosuch.0: Bus 'nosuch.0' not found\n",
                refusal("-chardev", chardevFile(), "-device", "virtio-serial-device,id=vser0",
                        "-device", "virtconsole,chardev=c0,bus=nosuch.0"));
    }

    @Test
    public void aSecondVirtconsoleOnTheSameDeviceIsOneLine() throws Exception {
        String line = refusal("-chardev", chardevFile(), "-device", "virtio-serial-device,id=vser0",
                "-device", "virtconsole,chardev=c0,id=con0", "-device", "virtconsole,id=con1");
        assertTrue(line, line.startsWith("osgemu: -device virtconsole,id=con1: virtio-serial-bus: Maximum port limit"));
        assertTrue(line, line.contains("taken by virtconsole 'con0'"));
    }

    /** A bare-metal machine with {@code extra}: it must end with status 1 and one line on stderr, returned. */
    private static String refusal(String... extra) throws Exception {
        List<String> args = new ArrayList<>(List.of("-nographic", "-bios", "none", "-kernel", Osgemu.baremetal("hello.elf").toString()));
        args.addAll(List.of(extra));
        try (Osgemu vm = Osgemu.start(args.toArray(String[]::new))) {
            assertEquals(vm.stderr(), 1, vm.awaitExit(60));
            assertTrue("the guest ran:\n" + vm.stdout(), !vm.stdout().contains("Hello from osgemu bare metal"));
            String line = vm.stderrWithoutJvmWarnings();
            assertEquals(line, 1, line.lines().count());
            return line;
        }
    }

    private String chardevFile() throws Exception {
        Path f = Files.createTempFile("osgemu-hvc", ".txt");
        files.add(f);
        return "file,id=c0,path=" + f;
    }
}
