package org.osgemu.shell.commands;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.osgemu.api.command.CommandException;
import org.osgemu.api.command.ErrorClass;
import org.osgemu.api.machine.RunState;

/** The shell as a front end of the command registry: the same commands QMP runs, with monitor syntax. */
class SchemaFrontEndTest {

    private final MonitorCommands commands = new MonitorCommands("0.1.0 (osgemu test)");
    private final FakeMachine machine = new FakeMachine("vm0");
    private final FakeRegistry registry = new FakeRegistry();

    SchemaFrontEndTest() {
        commands.addMachine(machine);
        commands.bindRegistry(registry);
    }

    @Test
    void monitorCommandsRunThroughTheRegistryNotAroundIt() {
        assertNull(commands.stop());
        assertEquals(RunState.RUNNING, machine.state(), "the registry's stop ran, not the machine's directly");
        assertEquals(new FakeRegistry.Call("stop", Map.of(), "shell"), registry.calls.getFirst());
        commands.q();
        assertEquals("quit", registry.calls.get(1).command());
        assertEquals(List.of("stop", "quit"), registry.afterResponse, "what QMP does after answering, the shell does after the command");
    }

    @Test
    void deviceAddTakesQemusOptionList() {
        commands.device_add("virtio-rng-device,id=rng0,max-bytes=1024");
        assertEquals(Map.of("driver", "virtio-rng-device", "id", "rng0", "max-bytes", "1024"), registry.calls.getFirst().arguments());
        commands.device_del("rng0");
        assertEquals(new FakeRegistry.Call("device_del", Map.of("id", "rng0"), "shell"), registry.calls.get(1));
    }

    @Test
    void registryRefusalsBecomeOneErrorLine() {
        registry.nextFailure = new CommandException(ErrorClass.DEVICE_NOT_FOUND, "Device 'x' not found");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> commands.device_del("x"));
        assertEquals("device_del: Device 'x' not found (DeviceNotFound)", e.getMessage());
        registry.nextFailure = new CommandException("'frob' is not a valid device model name");
        assertEquals("device_add: 'frob' is not a valid device model name",
                assertThrows(IllegalArgumentException.class, () -> commands.device_add("frob")).getMessage());
    }

    @Test
    void infoStatusVersionAndChardevComeFromTheSchemaCommands() {
        registry.commands.put("query-version", null);
        registry.nextResult = Map.of("status", "paused", "running", false, "singlestep", false);
        assertEquals("VM status: paused", commands.info("status"));
        registry.nextResult = Map.of("qemu", Map.of("major", 8L, "minor", 2L, "micro", 0L), "package", "osgemu 0.1.0");
        assertEquals("8.2.0 (osgemu 0.1.0)", commands.info("version"));
        registry.commands.put("query-chardev", null);
        registry.nextResult = List.of(Map.of("label", "serial0", "filename", "stdio", "frontend-open", true));
        assertEquals("serial0: filename=stdio", commands.info("chardev"));
    }

    @Test
    void schemaCommandTakesPositionalAndNamedWordsConvertedByTheSchemaType() throws Exception {
        SchemaFunction qomGet = new SchemaFunction(registry, "qom-get");
        registry.nextResult = "ns16550a";
        assertEquals("ns16550a", qomGet.execute(null, List.of("/machine/peripheral/uart0", "type")));
        assertEquals(Map.of("path", "/machine/peripheral/uart0", "property", "type"), registry.calls.getFirst().arguments());
        SchemaFunction hmp = new SchemaFunction(registry, "human-monitor-command");
        registry.nextResult = "VM status: running\r\n";
        assertEquals("VM status: running", hmp.execute(null, List.of("cpu-index=0", "command-line=info status")));
        assertEquals(Map.of("cpu-index", 0L, "command-line", "info status"), registry.calls.get(1).arguments());
        assertTrue(String.valueOf(new SchemaFunction(registry, "qom-get").execute(null, List.of("--help")))
                .startsWith("qom-get path=str property=str"));
        IllegalArgumentException extra = assertThrows(IllegalArgumentException.class,
                () -> qomGet.execute(null, List.of("/machine", "type", "more")));
        assertTrue(extra.getMessage().contains("does not know what 'more' is"), extra.getMessage());
    }

    @Test
    void resultsReadAsText() {
        assertNull(ResultText.format(Map.of()));
        Map<String, Object> status = new java.util.LinkedHashMap<>();
        status.put("status", "running");
        status.put("running", true);
        assertEquals("status: running\nrunning: true", ResultText.format(status));
        assertEquals("-\n  name: a\n-\n  name: b", ResultText.format(List.of(Map.of("name", "a"), Map.of("name", "b"))));
    }
}
