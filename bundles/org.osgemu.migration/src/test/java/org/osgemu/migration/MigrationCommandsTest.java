package org.osgemu.migration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgemu.api.command.CommandContext;
import org.osgemu.api.command.CommandException;
import org.osgemu.api.machine.RunState;
import org.osgemu.migration.command.MigrationCommands;
import org.osgemu.migration.service.PrecopyMigrationService;
import org.osgemu.qmp.registry.CommandSet;

/**
 * The migration commands through the real command registry, as QMP and the shell run them: the
 * schema is accepted, capabilities and parameters behave as QEMU's, query-migrate reports a
 * migration, and MIGRATION / MIGRATION_PASS come only with capability events.
 */
class MigrationCommandsTest {

    /** A front end addressing one machine. */
    record Context(String machine, String frontEnd) implements CommandContext {
        @Override
        public void afterResponse(Runnable action) {
            action.run();
        }
    }

    private final CommandSet registry = new CommandSet();
    private final PrecopyMigrationService service = new PrecopyMigrationService();
    private final MigrationCommands commands = new MigrationCommands(service, registry);
    private final List<String> events = new CopyOnWriteArrayList<>();
    private final TestMachine source = TestMachine.named("src").build();
    private final TestMachine destination = TestMachine.named("dst").build();
    private final Context qmpSource = new Context("src", CommandContext.QMP);
    private final Context qmpDestination = new Context("dst", CommandContext.QMP);

    @TempDir
    Path dir;

    MigrationCommandsTest() {
        registry.addProvider(commands);
        commands.addMachine(source.control());
        commands.addMachine(destination.control());
        registry.addEventListener((machine, event, data, time) -> events.add(machine + " " + event + " " + data));
    }

    @AfterEach
    void close() {
        service.deactivate();
        source.close();
        destination.close();
    }

    @Test
    void theSchemaIsAcceptedWithEveryCommandAndEvent() {
        assertTrue(registry.commands().containsAll(List.of("migrate", "migrate-incoming", "migrate_incoming", "migrate_cancel",
                "migrate-continue", "migrate-set-capabilities", "query-migrate-capabilities", "migrate_set_capability",
                "migrate-set-parameters", "query-migrate-parameters", "migrate_set_parameter", "query-migrate")),
                "commands: " + registry.commands());
        assertTrue(registry.events().containsAll(List.of("MIGRATION", "MIGRATION_PASS")));
    }

    @Test
    void beforeAnyMigrationQueryMigrateIsEmptyAndTheDefaultsAreQemus() throws Exception {
        assertEquals(Map.of(), run(qmpSource, "query-migrate", Map.of()));
        Map<?, ?> parameters = (Map<?, ?>) run(qmpSource, "query-migrate-parameters", Map.of());
        assertEquals(134217728L, parameters.get("max-bandwidth"));
        assertEquals(300L, parameters.get("downtime-limit"));
        List<?> capabilities = (List<?>) run(qmpSource, "query-migrate-capabilities", Map.of());
        assertEquals(6, capabilities.size());
        assertTrue(capabilities.stream().allMatch(c -> Boolean.FALSE.equals(((Map<?, ?>) c).get("state"))));
    }

    @Test
    void capabilitiesAreCheckedAsQemuChecksThem() throws Exception {
        CommandException e = assertThrows(CommandException.class, () -> run(qmpSource, "migrate-set-capabilities",
                Map.of("capabilities", List.of(Map.of("capability", "switchover-ack", "state", true)))));
        assertEquals("Capability 'switchover-ack' requires capability 'return-path'", e.getMessage());

        run(qmpSource, "migrate-set-capabilities", Map.of("capabilities", List.of(
                Map.of("capability", "return-path", "state", true), Map.of("capability", "switchover-ack", "state", true))));
        run(qmpSource, "migrate_set_capability", Map.of("capability", "events", "state", true));

        List<?> capabilities = (List<?>) run(qmpSource, "query-migrate-capabilities", Map.of());
        assertTrue(capabilities.contains(Map.of("capability", "switchover-ack", "state", true)), capabilities.toString());
        assertTrue(capabilities.contains(Map.of("capability", "events", "state", true)));
        assertTrue(capabilities.contains(Map.of("capability", "auto-converge", "state", false)));
    }

    @Test
    void parametersAreCheckedAsQemuChecksThemAndTheMonitorTakesSizes() throws Exception {
        CommandException e = assertThrows(CommandException.class,
                () -> run(qmpSource, "migrate-set-parameters", Map.of("downtime-limit", 2_000_001L)));
        assertEquals("Parameter 'downtime_limit' expects an integer in the range of 0 to 2000000 milliseconds", e.getMessage());

        run(qmpSource, "migrate-set-parameters", Map.of("downtime-limit", 100L, "avail-switchover-bandwidth", 1000L));
        run(qmpSource, "migrate_set_parameter", Map.of("parameter", "max-bandwidth", "value", "1G"));

        Map<?, ?> parameters = (Map<?, ?>) run(qmpSource, "query-migrate-parameters", Map.of());
        assertEquals(1L << 30, parameters.get("max-bandwidth"));
        assertEquals(100L, parameters.get("downtime-limit"));
        assertEquals(1000L, parameters.get("avail-switchover-bandwidth"));
        assertEquals("Invalid parameter 'speed'; try: max-bandwidth, downtime-limit, avail-switchover-bandwidth, "
                        + "max-postcopy-bandwidth, cpu-throttle-initial, cpu-throttle-increment, max-cpu-throttle, throttle-trigger-threshold",
                assertThrows(CommandException.class,
                        () -> run(qmpSource, "migrate_set_parameter", Map.of("parameter", "speed", "value", "1"))).getMessage());
    }

    @Test
    void aMigrationThroughQmpReportsItsProgressAndEmitsEventsWhenAskedTo() throws Exception {
        source.runtime.cont();
        run(qmpSource, "migrate_set_capability", Map.of("capability", "events", "state", true));
        run(qmpDestination, "migrate-incoming", Map.of("uri", "tcp:127.0.0.1:0"));
        int port = service.of(destination.control()).incomingPort();

        run(qmpSource, "migrate", Map.of("uri", "tcp:127.0.0.1:" + port));
        Await.until("completion", 10, () -> "completed".equals(status(qmpSource)), () -> "status " + status(qmpSource));

        Map<?, ?> info = (Map<?, ?>) run(qmpSource, "query-migrate", Map.of());
        assertTrue(info.containsKey("downtime") && info.containsKey("total-time") && info.containsKey("setup-time"), info.toString());
        Map<?, ?> ram = (Map<?, ?>) info.get("ram");
        assertEquals(TestMachine.ROM_SIZE + (1 << 20), ram.get("total"));
        assertEquals(4096L, ram.get("page-size"));
        assertTrue((Long) ram.get("duplicate") > 0);
        assertEquals(List.of("src MIGRATION {status=setup}", "src MIGRATION_PASS {pass=1}", "src MIGRATION {status=active}"),
                events.subList(0, 3));
        assertTrue(events.containsAll(List.of("src MIGRATION {status=device}", "src MIGRATION {status=completed}")), events.toString());
        assertFalse(events.stream().anyMatch(e -> e.startsWith("dst")), "the destination has no events capability: " + events);
        Await.until("the destination to load", 10, () -> "completed".equals(status(qmpDestination)));
    }

    @Test
    void noEventsWithoutTheCapability() throws Exception {
        Path file = dir.resolve("vm.snapshot");
        source.runtime.cont();
        run(qmpSource, "migrate", Map.of("uri", "file:" + file));
        Await.until("completion", 10, () -> "completed".equals(status(qmpSource)));
        assertEquals(List.of(), events);
    }

    @Test
    void aSecondMigrateAndCapabilityChangesAreRefusedWhileOneRuns() throws Exception {
        source.runtime.cont();
        run(qmpSource, "migrate-set-capabilities", Map.of("capabilities", List.of(Map.of("capability", "pause-before-switchover", "state", true))));
        run(qmpDestination, "migrate-incoming", Map.of("uri", "tcp:127.0.0.1:0", "exit-on-error", false));
        run(qmpSource, "migrate", Map.of("uri", "tcp:127.0.0.1:" + service.of(destination.control()).incomingPort()));
        Await.until("pre-switchover", 10, () -> "pre-switchover".equals(status(qmpSource)));

        assertEquals("There's a migration process in progress",
                assertThrows(CommandException.class, () -> run(qmpSource, "migrate", Map.of("uri", "tcp:127.0.0.1:1"))).getMessage());
        assertEquals("There's a migration process in progress", assertThrows(CommandException.class,
                () -> run(qmpSource, "migrate_set_capability", Map.of("capability", "events", "state", true))).getMessage());
        assertEquals("Migration not in expected state: pre-switchover", assertThrows(CommandException.class,
                () -> run(qmpSource, "migrate-continue", Map.of("state", "device"))).getMessage());

        run(qmpSource, "migrate-continue", Map.of("state", "pre-switchover"));
        Await.until("completion", 10, () -> "completed".equals(status(qmpSource)));
        assertEquals(RunState.POSTMIGRATE, source.runtime.state());
    }

    @Test
    void theShellsMigrateWaitsForTheEndAndMigrateIncomingLoadsAFile() throws Exception {
        Path file = dir.resolve("vm.snapshot");
        source.runtime.memory().write(TestMachine.RAM_BASE + 0x40, 0xFEED_F00DL, 8);
        source.runtime.stop();
        Context shell = new Context("src", CommandContext.SHELL);

        run(shell, "migrate", Map.of("uri", "file:" + file));

        assertEquals(RunState.POSTMIGRATE, source.runtime.state(), "the shell's migrate returned when it was done");
        assertTrue(Files.size(file) > 0);
        run(new Context("dst", CommandContext.SHELL), "migrate_incoming", Map.of("uri", "file:" + file));
        assertEquals(RunState.PAUSED, destination.runtime.state());
        assertEquals(0xFEED_F00DL, destination.runtime.memory().read(TestMachine.RAM_BASE + 0x40, 8));
        CommandException bad = assertThrows(CommandException.class,
                () -> run(shell, "migrate", Map.of("uri", "file:" + dir.resolve("no/such/dir/f"))));
        assertTrue(bad.getMessage().startsWith("Failed to connect to 'file:"), bad.getMessage());
    }

    private Object run(Context context, String command, Map<String, Object> arguments) throws CommandException {
        return registry.execute(command, arguments, context);
    }

    private String status(Context context) {
        try {
            return (String) ((Map<?, ?>) run(context, "query-migrate", Map.of())).get("status");
        } catch (CommandException e) {
            return e.getMessage();
        }
    }
}
