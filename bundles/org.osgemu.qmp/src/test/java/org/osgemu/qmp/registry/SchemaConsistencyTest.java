package org.osgemu.qmp.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import org.junit.jupiter.api.Test;
import org.osgemu.api.command.CommandException;
import org.osgemu.api.command.ErrorClass;
import org.osgemu.qmp.testing.TestCommandSet;

/**
 * The bundle's schema documents against its command implementations: every command registered
 * has a schema entry and every schema entry an implementation; query-qmp-schema lists every
 * command and event with argument types that resolve.
 */
class SchemaConsistencyTest {

    private static final Set<String> REQUIRED = Set.of("qmp_capabilities", "query-version", "query-commands",
            "query-qmp-schema", "query-status", "query-name", "query-cpus-fast", "query-machines", "query-target",
            "stop", "cont", "system_reset", "system_powerdown", "quit", "device_add", "device_del", "qom-list",
            "qom-get", "qom-set", "human-monitor-command", "query-chardev");
    private static final Set<String> EVENTS = Set.of("STOP", "RESUME", "RESET", "POWERDOWN", "SHUTDOWN", "DEVICE_DELETED");

    private final TestCommandSet set = new TestCommandSet();

    @Test
    void everyBuiltInProviderIsAcceptedAndTheRequiredCommandsAreThere() {
        assertEquals(new TreeSet<>(REQUIRED), new TreeSet<>(set.commands.commands()));
        assertEquals(new TreeSet<>(EVENTS), new TreeSet<>(set.commands.events()));
    }

    @Test
    void everyCommandOfTheSchemaHasAnImplementation() throws Exception {
        for (String command : set.commands.commands()) {
            try {
                set.commands.checkArguments(command, Map.of());
            } catch (CommandException e) {
                assertFalse(e.errorClass() == ErrorClass.COMMAND_NOT_FOUND, command + ": " + e.getMessage());
            }
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void introspectionListsEveryCommandAndEventAndEveryTypeItNames() {
        List<Map<String, Object>> schema = set.commands.introspection();
        Set<String> names = new HashSet<>();
        schema.forEach(info -> assertTrue(names.add((String) info.get("name")), "duplicate " + info.get("name")));
        for (String command : set.commands.commands()) {
            Map<String, Object> info = entity(schema, command);
            assertEquals("command", info.get("meta-type"));
            assertTrue(names.contains((String) info.get("arg-type")) && names.contains((String) info.get("ret-type")), command);
        }
        for (String event : set.commands.events()) {
            assertEquals("event", entity(schema, event).get("meta-type"));
            assertTrue(names.contains((String) entity(schema, event).get("arg-type")), event);
        }
        for (Map<String, Object> info : schema) {
            if ("object".equals(info.get("meta-type"))) {
                for (Map<String, Object> member : (List<Map<String, Object>>) info.get("members")) {
                    assertTrue(names.contains((String) member.get("type")), info.get("name") + "." + member.get("name"));
                }
            }
            if ("array".equals(info.get("meta-type"))) {
                assertTrue(names.contains((String) info.get("element-type")), (String) info.get("name"));
            }
        }
        Map<String, Object> deviceAdd = entity(schema, entity(schema, "device_add").get("arg-type").toString());
        assertEquals(List.of(Map.of("name", "driver", "type", "str"), member("bus", "str"), member("id", "str")),
                deviceAdd.get("members"));
        assertEquals("q_empty", entity(schema, "STOP").get("arg-type"));
        assertEquals(List.of("riscv32", "riscv64"), entity(schema, "SysEmuTarget").get("values"));
        assertEquals(Map.of("name", "int", "meta-type", "builtin", "json-type", "int"), entity(schema, "int"));
    }

    private static Map<String, Object> member(String name, String type) {
        Map<String, Object> member = new java.util.LinkedHashMap<>();
        member.put("name", name);
        member.put("type", type);
        member.put("default", null);
        return member;
    }

    private static Map<String, Object> entity(List<Map<String, Object>> schema, String name) {
        return schema.stream().filter(i -> name.equals(i.get("name"))).findFirst()
                .orElseThrow(() -> new AssertionError(name + " is not in query-qmp-schema"));
    }
}
