package org.osgemu.virtio.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.osgemu.virtio.testing.DriverQueue.Buffer.readable;
import static org.osgemu.virtio.testing.DriverQueue.Buffer.writable;

import java.lang.annotation.Annotation;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.osgemu.api.device.Device;
import org.osgemu.virtio.testing.DriverQueue;
import org.osgemu.virtio.testing.FakeDeviceContext;
import org.osgemu.virtio.testing.GuestRam;
import org.osgemu.virtio.testing.VirtioDriver;

/** QEMU's spelling of a console, {@code -device virtio-serial-device -device virtconsole,chardev=X}. */
class VirtconsolePortTest {

    private final GuestRam ram = new GuestRam(1 << 20);
    private final List<VirtioConsoleComponent> realized = new ArrayList<>();

    @AfterEach
    void tearDown() {
        realized.forEach(VirtioConsoleComponent::unrealize);
        ram.close();
    }

    private VirtioConsoleComponent serial(String id, String chardevTarget) {
        VirtioConsoleComponent device = new VirtioConsoleComponent(new VirtioConsoleConfig() {
            @Override public Class<? extends Annotation> annotationType() { return VirtioConsoleConfig.class; }
            @Override public String id() { return id; }
            @Override public String machine() { return "m"; }
            @Override public String chardev_target() { return chardevTarget; }
        });
        device.realize(new FakeDeviceContext(ram.space()));
        realized.add(device);
        return device;
    }

    /** The virtio-serial-device ids machine "m" is configured to have (ConfigAdmin's view). */
    private final Set<String> configured = new TreeSet<>();

    private VirtconsolePort port(String id, String bus) {
        return new VirtconsolePort(new VirtconsolePortConfig() {
            @Override public Class<? extends Annotation> annotationType() { return VirtconsolePortConfig.class; }
            @Override public String id() { return id; }
            @Override public String machine() { return "m"; }
            @Override public String bus() { return bus; }
            @Override public String chardev_target() { return "(id=c0)"; }
        }, machine -> machine.equals("m") ? Set.copyOf(configured) : Set.of());
    }

    private static Map<String, Object> on(String machine) {
        return Map.of(Device.MACHINE, machine, Device.TYPE, VirtioConsole.TYPE);
    }

    /** The guest writes {@code text} to the device's port, as Linux does for {@code echo > /dev/hvc0}. */
    private void guestWrites(VirtioConsoleComponent device, String text) {
        List<DriverQueue> queues = new VirtioDriver(device, ram).start(0, 16, 16);
        byte[] bytes = text.getBytes(StandardCharsets.US_ASCII);
        queues.get(1).add(readable(ram.put(bytes), bytes.length));
        queues.get(1).kick();
        assertEquals(1, queues.get(1).takeUsed().size());
    }

    @Test
    void thePortGivesTheDeviceItsChardevBothWays() {
        VirtioConsoleComponent device = serial("virtio-serial-device.0", null);
        VirtconsolePort port = port("virtconsole.1", null);
        FakeChardev chardev = new FakeChardev();
        port.bindChardev(chardev);
        port.bindDevice(device, on("m"));
        assertEquals("virtio-serial-device.0", port.pluggedInto());

        List<DriverQueue> queues = new VirtioDriver(device, ram).start(0, 16, 16);
        byte[] hello = "hello\n".getBytes(StandardCharsets.US_ASCII);
        queues.get(1).add(readable(ram.put(hello), hello.length));
        queues.get(1).kick();
        assertEquals("hello\n", chardev.output());

        long buffer = ram.alloc(16, 8);
        queues.get(0).add(writable(buffer, 16));
        queues.get(0).kick();
        chardev.type("ls\n");
        assertEquals("ls\n", new String(ram.read(buffer, (int) queues.get(0).takeUsed().get(0).length()), StandardCharsets.US_ASCII));
    }

    @Test
    void theChardevMayComeAfterThePortIsPluggedIn() {
        VirtconsolePort port = port("p", null);
        VirtioConsoleComponent device = serial("vser0", VirtioConsoleComponent.NO_CHARDEV);
        port.bindDevice(device, on("m")); // DS binds the devices present, then activates
        port.refuseIfUnplugged();
        FakeChardev chardev = new FakeChardev();
        port.bindChardev(chardev);
        guestWrites(device, "late");
        assertEquals("late", chardev.output());
    }

    @Test
    void busNamesTheDeviceAndOtherMachinesDoNotCount() {
        VirtioConsoleComponent first = serial("vser0", null);
        VirtioConsoleComponent second = serial("vser1", null);
        VirtioConsoleComponent elsewhere = serial("vser1", null);
        VirtconsolePort port = port("p", "vser1.0");
        port.bindDevice(elsewhere, on("other-machine"));
        assertNull(port.pluggedInto(), "a device of another machine");
        port.bindDevice(first, on("m"));
        assertNull(port.pluggedInto(), "not the device the bus names");
        port.bindDevice(second, on("m"));
        assertEquals("vser1", port.pluggedInto());
    }

    @Test
    void aBusThatIsNotADeviceIdWithDotZeroIsRefusedNamingIt() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> port("p", "vser0"));
        assertEquals("virtconsole p: bus=vser0: expected the id of a virtio-serial-device followed by .0 (e.g. bus=vser0.0)",
                e.getMessage());
    }

    @Test
    void withoutAVirtioSerialDeviceInItsMachineThePortIsRefusedAsQemuDoes() {
        VirtconsolePort port = port("p", null);
        port.bindDevice(serial("vser0", null), on("other-machine"));
        IllegalStateException e = assertThrows(IllegalStateException.class, port::refuseIfUnplugged);
        assertEquals("No 'virtio-serial-bus' bus found for device 'virtconsole'", e.getMessage());
    }

    @Test
    void aBusThatNamesNoDeviceIsRefusedNamingTheBus() {
        VirtconsolePort port = port("p", "nosuch.0");
        port.bindDevice(serial("vser0", null), on("m"));
        IllegalStateException e = assertThrows(IllegalStateException.class, port::refuseIfUnplugged);
        assertEquals("Bus 'nosuch.0' not found", e.getMessage());
    }

    @Test
    void aPortThatIsTakenIsRefusedNamingWhoHasIt() {
        VirtioConsoleComponent device = serial("vser0", null);
        VirtconsolePort first = port("p1", null);
        first.bindDevice(device, on("m"));
        first.refuseIfUnplugged();
        VirtconsolePort second = port("p2", "vser0.0");
        second.bindDevice(device, on("m"));
        IllegalStateException e = assertThrows(IllegalStateException.class, second::refuseIfUnplugged);
        assertEquals("virtio-serial-bus: Maximum port limit for this device reached (virtio-serial-device 'vser0'"
                + " has one console port, taken by virtconsole 'p1')", e.getMessage());

        VirtconsolePort third = port("p3", null);
        third.bindDevice(serial("vser1", "(id=serial1)"), on("m"));
        e = assertThrows(IllegalStateException.class, third::refuseIfUnplugged);
        assertEquals("virtio-serial-bus: Maximum port limit for this device reached (virtio-serial-device 'vser1'"
                + " has one console port, taken by its own chardev)", e.getMessage());
    }

    @Test
    void oneConsolePortPerDevice() {
        VirtioConsoleComponent device = serial("vser0", null);
        VirtconsolePort first = port("p1", null);
        VirtconsolePort second = port("p2", null);
        first.bindDevice(device, on("m"));
        second.bindDevice(device, on("m"));
        assertEquals("vser0", first.pluggedInto());
        assertNull(second.pluggedInto(), "the device has no second port (no MULTIPORT)");

        first.deactivate();
        VirtconsolePort third = port("p3", null);
        third.bindDevice(device, on("m"));
        assertEquals("vser0", third.pluggedInto(), "the port is free again once its virtconsole is gone");
    }

    @Test
    void aDeviceWithAChardevOfItsOwnTakesNoPort() {
        VirtioConsoleComponent oldSpelling = serial("vser0", "(id=serial1)");
        VirtconsolePort port = port("p", null);
        port.bindDevice(oldSpelling, on("m"));
        assertNull(port.pluggedInto());
    }

    @Test
    void whenItsDeviceGoesThePortLetsItsChardevGoAndMovesOn() {
        VirtioConsoleComponent first = serial("vser0", null);
        VirtioConsoleComponent second = serial("vser1", null);
        VirtconsolePort port = port("p", null);
        FakeChardev chardev = new FakeChardev();
        port.bindChardev(chardev);
        port.bindDevice(first, on("m"));
        port.bindDevice(second, on("m"));
        assertEquals("vser0", port.pluggedInto());

        port.unbindDevice(first);
        assertNull(first.model() instanceof VirtioConsole c ? c.chardev() : null, "the old device has no chardev left");
        assertEquals("vser1", port.pluggedInto());
        assertNotNull(chardev.receiver);
        guestWrites(second, "moved");
        assertEquals("moved", chardev.output());

        port.deactivate();
        assertNull(chardev.receiver, "a port that stops leaves nothing connected");
        assertNull(((VirtioConsole) second.model()).chardev());
    }

    @Test
    void afterABundleRestartThePortActivatedBeforeItsDeviceWaitsAndPlugsInWhenItComes() {
        configured.add("vser0"); // the configurations survive the restart of the bundle
        VirtconsolePort port = port("p", "vser0.0");
        FakeChardev chardev = new FakeChardev();
        port.bindChardev(chardev);
        port.refuseIfUnplugged(); // SCR activated the port first: no device bound yet
        assertEquals("Bus 'vser0.0' not found", port.waitingFor());

        VirtioConsoleComponent device = serial("vser0", null);
        port.bindDevice(device, on("m"));
        assertEquals("vser0", port.pluggedInto());
        assertNull(port.waitingFor());
        guestWrites(device, "back");
        assertEquals("back", chardev.output());
    }

    @Test
    void aConfiguredDeviceOtherThanTheOneTheBusNamesDoesNotMakeThePortWait() {
        configured.add("vser0");
        VirtconsolePort named = port("p", "vser1.0");
        IllegalStateException e = assertThrows(IllegalStateException.class, named::refuseIfUnplugged);
        assertEquals("Bus 'vser1.0' not found", e.getMessage());

        VirtconsolePort any = port("q", null);
        any.refuseIfUnplugged(); // without a bus any configured device fits: it waits
        assertEquals("No 'virtio-serial-bus' bus found for device 'virtconsole'", any.waitingFor());
    }

    @Test
    void aConfiguredDeviceThatIsActiveAndTakenIsNoReasonToWait() {
        configured.add("vser0");
        VirtioConsoleComponent device = serial("vser0", null);
        VirtconsolePort first = port("p1", null);
        first.bindDevice(device, on("m"));
        first.refuseIfUnplugged();
        VirtconsolePort second = port("p2", null);
        second.bindDevice(device, on("m"));
        assertThrows(IllegalStateException.class, second::refuseIfUnplugged);
    }
}
