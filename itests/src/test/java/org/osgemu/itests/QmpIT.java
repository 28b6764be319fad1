package org.osgemu.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.Test;

/**
 * QMP through the real launcher on a running guest ({@code spin.elf} prints a line and waits
 * for interrupts for ever): negotiation, run control with its events, hot-plug and unplug,
 * a power-down request the guest ignores, and quit with the process's exit status; and
 * {@code system_powerdown} on the Linux test guest, which powers itself off.
 */
public class QmpIT {

    @Test
    public void qmpDrivesARunningMachine() throws Exception {
        Path dir = Files.createTempDirectory("osgemu-qmp");
        Path sock = dir.resolve("qmp.sock");
        try (Osgemu vm = Osgemu.start("-nographic", "-bios", "none", "-kernel", Osgemu.baremetal("spin.elf").toString(),
                "-qmp", "unix:" + sock + ",server=on,wait=off")) {
            assertTrue("guest did not start; stdout:\n" + vm.stdout() + "\nstderr:\n" + vm.stderr(),
                    vm.awaitOutput("osgemu spin: running until stopped", 120));
            try (Client qmp = Client.connect(UnixDomainSocketAddress.of(awaitSocket(sock, vm)))) {
                String greeting = qmp.next();
                assertTrue(greeting, greeting.startsWith("{\"QMP\": {\"version\": {\"qemu\": {\"micro\": 0, \"minor\": 2, \"major\": 8}, "
                        + "\"package\": \"osgemu 0.1.0\"}, \"capabilities\": [\"oob\"]}}"));
                assertEquals("{\"error\": {\"class\": \"CommandNotFound\", \"desc\": \"Expecting capabilities negotiation with 'qmp_capabilities'\"}}",
                        qmp.execute("{\"execute\": \"query-status\"}"));
                assertEquals("{\"return\": {}}", qmp.execute("{\"execute\": \"qmp_capabilities\"}"));
                assertEquals("{\"return\": {\"status\": \"running\", \"singlestep\": false, \"running\": true}, \"id\": 1}",
                        qmp.execute("{\"execute\": \"query-status\", \"id\": 1}"));

                qmp.send("{\"execute\": \"stop\"}");
                assertTrue(qmp.next().contains("\"event\": \"STOP\""));
                assertEquals("{\"return\": {}}", qmp.next());
                assertTrue(qmp.execute("{\"execute\": \"query-status\"}").contains("\"status\": \"paused\""));
                qmp.send("{\"execute\": \"cont\"}");
                assertTrue(qmp.next().contains("\"event\": \"RESUME\""));
                assertEquals("{\"return\": {}}", qmp.next());

                hotplugAndUnplug(qmp);

                assertEquals("{\"return\": {}}", qmp.execute("{\"execute\": \"system_powerdown\"}"));
                assertTrue(qmp.nextEvent("POWERDOWN").contains("\"event\": \"POWERDOWN\""));
                // the power key is pressed, but this guest has no driver for it: it runs on
                assertTrue(qmp.execute("{\"execute\": \"query-status\"}").contains("\"status\": \"running\""));

                assertEquals("{\"return\": {}}", qmp.execute("{\"execute\": \"quit\"}"));
                String shutdown = qmp.nextEvent("SHUTDOWN");
                assertTrue(shutdown, shutdown.contains("\"data\": {\"guest\": false, \"reason\": \"host-qmp-quit\"}"));
            }
            assertEquals(vm.stderr(), 0, vm.awaitExit(60));
        }
    }

    /**
     * The whole session on the Linux guest: negotiate, query-status, stop and cont with
     * their events, hot-plug and unplug, then system_powerdown: the request reaches Linux as
     * KEY_POWER from the board's GPIO power key (gpio-keys), the test initramfs's acpid runs
     * poweroff, and the machine ends as a guest that powered itself off.
     */
    @Test
    public void systemPowerdownPowersOffALinuxGuest() throws Exception {
        Path dir = Files.createTempDirectory("osgemu-qmp");
        Path sock = dir.resolve("qmp.sock");
        try (Osgemu vm = Osgemu.start("-M", "virt", "-smp", "1", "-m", "256M", "-nographic",
                "-kernel", Osgemu.guest("KERNEL").toString(), "-initrd", Osgemu.guest("INITRD").toString(),
                "-append", "console=ttyS0", "-qmp", "unix:" + sock + ",server=on,wait=off")) {
            GuestShell sh = new GuestShell(vm);
            sh.awaitPrompt(LinuxIT.BOOT_SECONDS);
            String inputs = sh.run("cat /proc/bus/input/devices", 60);
            assertTrue("the guest has the power key: " + inputs, inputs.contains("Name=\"gpio-keys\""));
            try (Client qmp = Client.connect(UnixDomainSocketAddress.of(awaitSocket(sock, vm)))) {
                assertTrue(qmp.next().startsWith("{\"QMP\""));
                assertEquals("{\"return\": {}}", qmp.execute("{\"execute\": \"qmp_capabilities\"}"));
                assertTrue(qmp.execute("{\"execute\": \"query-status\"}").contains("\"status\": \"running\""));
                // QEMU sends the event before the reply: execute keeps it for nextEvent
                assertEquals("{\"return\": {}}", qmp.execute("{\"execute\": \"stop\"}"));
                assertTrue(qmp.nextEvent("STOP").contains("\"event\": \"STOP\""));
                assertTrue(qmp.execute("{\"execute\": \"query-status\"}").contains("\"status\": \"paused\""));
                assertEquals("{\"return\": {}}", qmp.execute("{\"execute\": \"cont\"}"));
                assertTrue(qmp.nextEvent("RESUME").contains("\"event\": \"RESUME\""));
                assertTrue(qmp.execute("{\"execute\": \"query-status\"}").contains("\"status\": \"running\""));
                hotplugAndUnplug(qmp);
                assertTrue("the guest runs on after stop, cont and the hot-plug", sh.run("echo alive-$((6*7))", 60).contains("alive-42"));

                assertEquals("{\"return\": {}}", qmp.execute("{\"execute\": \"system_powerdown\"}"));
                assertTrue(qmp.nextEvent("POWERDOWN").contains("\"event\": \"POWERDOWN\""));
                String shutdown = qmp.nextEvent("SHUTDOWN", 180);
                assertTrue(shutdown + "\nconsole:\n" + vm.stdout(),
                        shutdown.contains("\"data\": {\"guest\": true, \"reason\": \"guest-shutdown\"}"));
            }
            assertTrue(vm.stdout(), vm.stdout().contains("osgemu-init: power key pressed, powering off"));
            assertEquals(vm.stderr(), 0, vm.awaitExit(60));
        }
    }

    /**
     * A device that can come and go: a virtio-rng-device when the distribution has one; else
     * the board's goldfish RTC, whose slot is the one free place after it has been removed.
     */
    private static void hotplugAndUnplug(Client qmp) throws Exception {
        String driver = "virtio-rng-device";
        String added = qmp.execute("{\"execute\": \"device_add\", \"arguments\": {\"driver\": \"virtio-rng-device\", \"id\": \"hot0\"}}");
        if (added.contains("is not a valid device model name")) {
            driver = "goldfish_rtc";
            String rtc = onboardId(qmp.execute("{\"execute\": \"qom-list\", \"arguments\": {\"path\": \"/machine/peripheral\"}}"), driver);
            assertEquals("{\"return\": {}}", qmp.execute("{\"execute\": \"device_del\", \"arguments\": {\"id\": \"" + rtc + "\"}}"));
            assertTrue(qmp.nextEvent("DEVICE_DELETED").contains("\"device\": \"" + rtc + "\""));
            added = qmp.execute("{\"execute\": \"device_add\", \"arguments\": {\"driver\": \"goldfish_rtc\", \"id\": \"hot0\"}}");
        }
        assertEquals("{\"return\": {}}", added);
        assertEquals("{\"return\": \"" + driver + "\"}",
                qmp.execute("{\"execute\": \"qom-get\", \"arguments\": {\"path\": \"/machine/peripheral/hot0\", \"property\": \"type\"}}"));
        assertEquals("{\"return\": {}}", qmp.execute("{\"execute\": \"device_del\", \"arguments\": {\"id\": \"hot0\"}}"));
        String deleted = qmp.nextEvent("DEVICE_DELETED");
        assertTrue(deleted, deleted.contains("\"data\": {\"device\": \"hot0\", \"path\": \"/machine/peripheral/hot0\"}"));
        assertTrue(qmp.execute("{\"execute\": \"qom-get\", \"arguments\": {\"path\": \"/machine/peripheral/hot0\", \"property\": \"type\"}}")
                .contains("\"class\": \"DeviceNotFound\""));
    }

    private static String onboardId(String qomList, String type) {
        Matcher m = Pattern.compile("\"name\": \"([^\"]+)\", \"type\": \"child<" + Pattern.quote(type) + ">\"").matcher(qomList);
        assertTrue("no " + type + " in " + qomList, m.find());
        return m.group(1);
    }

    @Test
    public void monitorOnAChardevSocketAndQmpOnTcpServeClientsAtOnce() throws Exception {
        Path dir = Files.createTempDirectory("osgemu-qmp");
        Path sock = dir.resolve("mon.sock");
        int port;
        try (ServerSocket free = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = free.getLocalPort();
        }
        try (Osgemu vm = Osgemu.start("-nographic", "-bios", "none", "-kernel", Osgemu.baremetal("spin.elf").toString(),
                "-chardev", "socket,id=mon0,path=" + sock + ",server=on,wait=off", "-mon", "chardev=mon0,mode=control",
                "-qmp", "tcp:127.0.0.1:" + port + ",server=on,wait=off")) {
            assertTrue("guest did not start; stderr:\n" + vm.stderr(), vm.awaitOutput("osgemu spin: running until stopped", 120));
            try (Client unix = Client.connect(UnixDomainSocketAddress.of(awaitSocket(sock, vm)));
                 Client tcp = Client.connect(new InetSocketAddress("127.0.0.1", port))) {
                for (Client c : new Client[] {unix, tcp}) {
                    assertTrue(c.next().startsWith("{\"QMP\""));
                    assertEquals("{\"return\": {}}", c.execute("{\"execute\": \"qmp_capabilities\"}"));
                }
                tcp.send("{\"execute\": \"stop\"}");
                assertTrue(unix.nextEvent("STOP").contains("\"timestamp\": {\"seconds\": "));
                assertTrue(tcp.nextEvent("STOP").contains("\"event\": \"STOP\""));
                assertTrue(unix.execute("{\"execute\": \"human-monitor-command\", \"arguments\": {\"command-line\": \"info status\"}}")
                        .contains("VM status: paused"));
                unix.send("{\"execute\": \"quit\"}");
                assertTrue(tcp.nextEvent("SHUTDOWN").contains("host-qmp-quit"));
            }
            assertEquals(vm.stderr(), 0, vm.awaitExit(60));
        }
    }

    private static Path awaitSocket(Path sock, Osgemu vm) throws InterruptedException {
        for (int i = 0; i < 600 && !Files.exists(sock); i++) {
            Thread.sleep(100);
        }
        assertTrue("QMP socket never appeared; stderr:\n" + vm.stderr(), Files.exists(sock));
        return sock;
    }

    /** A line-oriented QMP client: every server message is one line ending in CR LF. */
    private static final class Client implements AutoCloseable {
        private final SocketChannel channel;
        private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        /** Events {@link #execute} read past while it looked for the reply, oldest first. */
        private final List<String> passedEvents = new ArrayList<>();

        private Client(SocketChannel channel) {
            this.channel = channel;
            Thread reader = new Thread(() -> {
                try (BufferedReader in = new BufferedReader(new InputStreamReader(Channels.newInputStream(channel), StandardCharsets.UTF_8))) {
                    String line;
                    while ((line = in.readLine()) != null) {
                        lines.add(line);
                    }
                } catch (IOException e) {
                    // closed
                }
            });
            reader.setDaemon(true);
            reader.start();
        }

        static Client connect(SocketAddress address) throws IOException {
            SocketChannel channel = address instanceof UnixDomainSocketAddress
                    ? SocketChannel.open(StandardProtocolFamily.UNIX) : SocketChannel.open();
            channel.connect(address);
            return new Client(channel);
        }

        void send(String request) throws IOException {
            ByteBuffer bytes = ByteBuffer.wrap(request.getBytes(StandardCharsets.UTF_8));
            while (bytes.hasRemaining()) {
                channel.write(bytes);
            }
        }

        /** The next line, without its line end. */
        String next() throws InterruptedException {
            String line = lines.poll(30, TimeUnit.SECONDS);
            if (line == null) {
                throw new AssertionError("no QMP message within 30 s");
            }
            return line;
        }

        /** Sends {@code request}; returns the next message that is not an event (events it passes are kept for {@link #nextEvent}). */
        String execute(String request) throws Exception {
            send(request);
            while (true) {
                String line = next();
                if (!line.contains("\"event\": ")) {
                    return line;
                }
                passedEvents.add(line);
            }
        }

        String nextEvent(String name) throws InterruptedException {
            return nextEvent(name, 30);
        }

        /** The next event {@code name}, skipping other messages; fails after {@code seconds} without it. */
        String nextEvent(String name, long seconds) throws InterruptedException {
            for (String passed : passedEvents) {
                if (passed.contains("\"event\": \"" + name + "\"")) {
                    passedEvents.remove(passed);
                    return passed;
                }
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
            while (true) {
                String line = lines.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                if (line == null) {
                    throw new AssertionError("no " + name + " event within " + seconds + " s");
                }
                if (line.contains("\"event\": \"" + name + "\"")) {
                    return line;
                }
            }
        }

        @Override
        public void close() throws IOException {
            channel.close();
        }
    }
}
