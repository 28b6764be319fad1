package org.osgemu.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.Test;

/**
 * {@code device_add virtconsole} over QMP on a running bare-metal guest: the port plugs into the
 * {@code virtio-serial-device} the command line made (by its bus or as the first that fits),
 * shows in the QOM tree although the board never places it, leaves with DEVICE_DELETED, and a
 * bus that names no device is refused with QEMU's words.
 */
public class VirtconsoleHotplugIT {

    private static final String PERIPHERAL = "{\"execute\": \"qom-list\", \"arguments\": {\"path\": \"/machine/peripheral\"}}";

    @Test
    public void virtconsoleIsHotPluggedIntoItsVirtioSerialDeviceAndUnplugged() throws Exception {
        Path dir = Files.createTempDirectory("osgemu-virtconsole");
        Path sock = dir.resolve("qmp.sock");
        Path console = dir.resolve("console.out");
        try (Osgemu vm = Osgemu.start("-nographic", "-bios", "none", "-kernel", Osgemu.baremetal("spin.elf").toString(),
                "-chardev", "file,id=c0,path=" + console, "-device", "virtio-serial-device,id=vs0",
                "-qmp", "unix:" + sock + ",server=on,wait=off")) {
            assertTrue("guest did not start; stderr:\n" + vm.stderr(), vm.awaitOutput("osgemu spin: running until stopped", 120));
            try (MigrationQmp qmp = MigrationQmp.connect(sock, vm)) {
                qmp.ok("{\"execute\": \"device_add\", \"arguments\": {\"driver\": \"virtconsole\", \"id\": \"con0\","
                        + " \"chardev\": \"c0\", \"bus\": \"vs0.0\"}}");
                String peripheral = qmp.execute(PERIPHERAL);
                assertTrue(peripheral, peripheral.contains("{\"name\": \"con0\", \"type\": \"child<virtconsole>\"}"));
                assertEquals("{\"return\": \"vs0.0\"}",
                        qmp.execute("{\"execute\": \"qom-get\", \"arguments\": {\"path\": \"/machine/peripheral/con0\", \"property\": \"bus\"}}"));

                String taken = qmp.execute("{\"execute\": \"device_add\", \"arguments\": {\"driver\": \"virtconsole\", \"id\": \"con1\","
                        + " \"chardev\": \"c0\"}}");
                assertTrue(taken, taken.contains("\"class\": \"GenericError\"") && taken.contains("Maximum port limit")
                        && taken.contains("taken by virtconsole 'con0'"));

                qmp.ok("{\"execute\": \"device_del\", \"arguments\": {\"id\": \"con0\"}}");
                String deleted = awaitEvent(qmp, "DEVICE_DELETED");
                assertTrue(deleted, deleted.contains("\"data\": {\"device\": \"con0\", \"path\": \"/machine/peripheral/con0\"}"));
                assertTrue(qmp.execute(PERIPHERAL).indexOf("con0") < 0);

                String badBus = qmp.execute("{\"execute\": \"device_add\", \"arguments\": {\"driver\": \"virtconsole\", \"id\": \"con2\","
                        + " \"chardev\": \"c0\", \"bus\": \"vs9.0\"}}");
                assertTrue(badBus, badBus.contains("\"class\": \"GenericError\"") && badBus.contains("Bus 'vs9.0' not found"));
                assertTrue("a refused port is taken back", qmp.execute(PERIPHERAL).indexOf("con2") < 0);

                // the port is free again: a virtconsole without a bus takes the first device that fits
                qmp.ok("{\"execute\": \"device_add\", \"arguments\": {\"driver\": \"virtconsole\", \"id\": \"con3\", \"chardev\": \"c0\"}}");
                qmp.ok("{\"execute\": \"quit\"}");
            }
            assertEquals(vm.stderr(), 0, vm.awaitExit(60));
        }
    }

    /** QMP sends events between answers: asks harmless questions until {@code name} has come. */
    private static String awaitEvent(MigrationQmp qmp, String name) throws Exception {
        for (int i = 0; i < 300; i++) {
            for (String event : qmp.events()) {
                if (event.contains("\"event\": \"" + name + "\"")) {
                    return event;
                }
            }
            qmp.execute("{\"execute\": \"query-status\"}");
            Thread.sleep(100);
        }
        throw new AssertionError("no " + name + " event within 30 s; events: " + qmp.events());
    }
}
