package org.osgemu.qmp.commands;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.osgemu.api.command.CommandContext;
import org.osgemu.api.command.CommandException;
import org.osgemu.api.command.ErrorClass;
import org.osgemu.qmp.testing.TestCommandSet;

/** device_add, device_del and the QOM tree over fake device configurations. */
class DeviceCommandsTest {

    private static final CommandContext CONTEXT = new CommandContext() {
        @Override public String machine() { return ""; }
        @Override public String frontEnd() { return QMP; }
        @Override public void afterResponse(Runnable action) { action.run(); }
    };

    private final TestCommandSet set = new TestCommandSet();

    private Object run(String command, Map<String, Object> arguments) throws CommandException {
        return set.commands.execute(command, arguments, CONTEXT);
    }

    private String failure(String command, Map<String, Object> arguments) {
        return assertThrows(CommandException.class, () -> run(command, arguments)).getMessage();
    }

    @Test
    void deviceAddCreatesTheConfigurationTheLauncherWouldWithBackendTargets() throws Exception {
        run("device_add", Map.of("driver", "virtio-blk-device", "id", "disk1", "drive", "hd0", "num-queues", 2L));
        assertEquals(Map.of("id", "disk1", "machine", "vm0", "drive", "hd0", "drive.target", "(id=hd0)", "num-queues", "2"),
                set.configurations.configuration("disk1"));
        assertEquals("virtio-blk-device", run("qom-get", Map.of("path", "/machine/peripheral/disk1", "property", "type")));
        assertEquals("hd0", run("qom-get", Map.of("path", "/machine/peripheral/disk1", "property", "drive")));
        assertEquals(true, run("qom-get", Map.of("path", "/machine/peripheral/disk1", "property", "realized")));
    }

    @Test
    void deviceWithoutIdGetsTheLaunchersKindOfId() throws Exception {
        run("device_add", Map.of("driver", "virtio-rng-device"));
        run("device_add", Map.of("driver", "virtio-rng-device"));
        assertTrue(set.machine.devices().stream().anyMatch(d -> d.id().equals("virtio-rng-device.1")));
    }

    @Test
    void refusalsAreWordedAsQemuWordsThem() throws Exception {
        assertEquals("'frob' is not a valid device model name", failure("device_add", Map.of("driver", "frob")));
        assertEquals("Duplicate device ID 'uart0'", failure("device_add", Map.of("driver", "ns16550a", "id", "uart0")));
        assertEquals("Bus 'pci.0' not found", failure("device_add", Map.of("driver", "virtio-rng-device", "bus", "pci.0")));
        assertEquals("Parameter 'driver' is missing", failure("device_add", Map.of("id", "x")));
        CommandException missing = assertThrows(CommandException.class, () -> run("device_del", Map.of("id", "nope")));
        assertEquals(ErrorClass.DEVICE_NOT_FOUND, missing.errorClass());
        assertEquals("Device 'nope' not found", missing.getMessage());
    }

    @Test
    void aBackendThatDoesNotExistIsNamedAndTheConfigurationTakenBack() {
        set.configurations.problem = (driver, props) -> props.containsKey("drive") ? "reference 'drive' has no target (id=nope)" : null;
        assertEquals("Property 'virtio-blk-device.drive' can't find value 'nope'",
                failure("device_add", Map.of("driver", "virtio-blk-device", "id", "d", "drive", "nope")));
        assertEquals(1, set.configurations.deleted.size());
        set.configurations.problem = (driver, props) -> "num-queues must be 1 to 8, not 0";
        assertEquals("Device 'd' (virtio-blk-device) cannot be added: num-queues must be 1 to 8, not 0",
                failure("device_add", Map.of("driver", "virtio-blk-device", "id", "d", "num-queues", 0L)));
    }

    @Test
    void aDeviceTheBoardDoesNotPlaceIsTakenBack() {
        set.configurations.boardPlaces = false;
        assertEquals("Device 'u1' (ns16550a) was not placed: machine 'vm0' (virt) has no free place for it",
                failure("device_add", Map.of("driver", "ns16550a", "id", "u1")));
        assertEquals(1, set.configurations.deleted.size());
    }

    @Test
    void deviceDelEmitsDeviceDeletedOnceTheDeviceHasLeft() throws Exception {
        List<String> events = new ArrayList<>();
        set.commands.addEventListener((machine, event, data, time) -> events.add(event + " " + data));
        run("device_add", Map.of("driver", "virtio-rng-device", "id", "rng0"));
        run("device_del", Map.of("id", "rng0"));
        for (int i = 0; i < 100 && events.isEmpty(); i++) {
            Thread.sleep(20);
        }
        assertEquals(List.of("DEVICE_DELETED {device=rng0, path=/machine/peripheral/rng0}"), events);
        assertTrue(set.machine.devices().stream().noneMatch(d -> d.id().equals("rng0")));
    }

    @Test
    @SuppressWarnings("unchecked")
    void qomTreeListsTheMachineAndRefusesWritesAsQemu() throws Exception {
        List<Map<String, Object>> root = (List<Map<String, Object>>) run("qom-list", Map.of("path", "/"));
        assertEquals(List.of("type", "machine", "chardevs", "objects"), root.stream().map(p -> p.get("name")).toList());
        List<Map<String, Object>> peripheral = (List<Map<String, Object>>) run("qom-list", Map.of("path", "/machine/peripheral/"));
        assertTrue(peripheral.contains(Map.of("name", "uart0", "type", "child<ns16550a>")), peripheral.toString());
        assertEquals("virt-machine", run("qom-get", Map.of("path", "/machine", "property", "type")));
        assertEquals("/machine/peripheral", run("qom-get", Map.of("path", "/machine", "property", "peripheral")));
        assertEquals("Device '/machine/nowhere' not found", failure("qom-list", Map.of("path", "/machine/nowhere")));
        assertEquals("Property 'ns16550a.baud' not found",
                failure("qom-get", Map.of("path", "/machine/peripheral/uart0", "property", "baud")));
        run("device_add", Map.of("driver", "virtio-rng-device", "id", "rng0", "period", "1000"));
        assertEquals("Attempt to set property 'period' on device 'rng0' (type 'virtio-rng-device') after it was realized",
                failure("qom-set", Map.of("path", "/machine/peripheral/rng0", "property", "period", "value", "5")));
        assertEquals("Insufficient permission to perform this operation",
                failure("qom-set", Map.of("path", "/machine", "property", "type", "value", "x")));
    }

    @Test
    @SuppressWarnings("unchecked")
    void aPortThatPlugsIntoAnotherDevicesBusIsAddedListedAndDeletedWithoutBeingPlaced() throws Exception {
        List<String> events = new ArrayList<>();
        set.commands.addEventListener((machine, event, data, time) -> events.add(event + " " + data));
        run("device_add", Map.of("driver", "virtconsole", "id", "con0", "chardev", "c0", "bus", "vs0.0"));
        assertEquals(Map.of("id", "con0", "machine", "vm0", "chardev", "c0", "chardev.target", "(id=c0)", "bus", "vs0.0"),
                set.configurations.configuration("con0"));
        List<Map<String, Object>> peripheral = (List<Map<String, Object>>) run("qom-list", Map.of("path", "/machine/peripheral"));
        assertTrue(peripheral.contains(Map.of("name", "con0", "type", "child<virtconsole>")), peripheral.toString());
        assertEquals("vs0.0", run("qom-get", Map.of("path", "/machine/peripheral/con0", "property", "bus")));
        assertEquals("Duplicate device ID 'con0'", failure("device_add", Map.of("driver", "virtconsole", "id", "con0")));
        run("device_del", Map.of("id", "con0"));
        for (int i = 0; i < 100 && events.isEmpty(); i++) {
            Thread.sleep(20);
        }
        assertEquals(List.of("DEVICE_DELETED {device=con0, path=/machine/peripheral/con0}"), events);
        assertEquals("Device 'con0' not found", failure("device_del", Map.of("id", "con0")));
    }

    @Test
    void aPortThatFindsNoBusIsTakenBackWithItsComponentsReason() {
        set.configurations.problem = (driver, props) -> "vs9.0".equals(props.get("bus")) ? "Bus 'vs9.0' not found" : null;
        assertEquals("Device 'con1' (virtconsole) cannot be added: Bus 'vs9.0' not found",
                failure("device_add", Map.of("driver", "virtconsole", "id", "con1", "bus", "vs9.0")));
        assertEquals(1, set.configurations.deleted.size());
        assertEquals(null, set.configurations.configuration("con1"));
    }
}
