package org.osgemu.qmp.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgemu.api.command.CommandContext;
import org.osgemu.api.command.CommandException;
import org.osgemu.api.command.CommandHandler;
import org.osgemu.api.command.CommandProvider;
import org.osgemu.api.command.ErrorClass;

class CommandSetTest {

    @TempDir
    Path dir;

    static final CommandContext CONTEXT = new CommandContext() {
        @Override public String machine() { return ""; }
        @Override public String frontEnd() { return SHELL; }
        @Override public void afterResponse(Runnable action) { action.run(); }
    };

    private CommandProvider provider(String name, String schema, Map<String, CommandHandler> handlers) throws Exception {
        Path file = dir.resolve(name + ".json");
        Files.writeString(file, schema);
        URL url = file.toUri().toURL();
        return new CommandProvider() {
            @Override public URL schema() { return url; }
            @Override public Map<String, CommandHandler> handlers() { return handlers; }
        };
    }

    @Test
    void aProvidersCommandRunsWithCheckedArguments() throws Exception {
        CommandSet set = new CommandSet();
        List<Map<String, Object>> seen = new ArrayList<>();
        set.addProvider(provider("echo", "[{\"command\": \"echo\", \"doc\": \"E.\", \"data\": {\"n\": \"int\"}, \"returns\": \"int\"}]",
                Map.of("echo", (c, a) -> {
                    seen.add(a);
                    return a.get("n");
                })));
        assertEquals(5L, set.execute("echo", Map.of("n", 5), CONTEXT));
        CommandException e = assertThrows(CommandException.class, () -> set.execute("echo", Map.of("n", "5"), CONTEXT));
        assertEquals("Invalid parameter type for 'n', expected: integer", e.getMessage());
        assertEquals(1, seen.size(), "the handler must not run with refused arguments");
        assertTrue(set.commands().contains("echo"));
        assertTrue(set.commands().contains("query-qmp-schema"));
    }

    @Test
    void unknownCommandIsCommandNotFound() {
        CommandException e = assertThrows(CommandException.class, () -> new CommandSet().execute("frob", Map.of(), CONTEXT));
        assertEquals(ErrorClass.COMMAND_NOT_FOUND, e.errorClass());
        assertEquals("The command frob has not been found", e.getMessage());
    }

    @Test
    void providerWhoseHandlersDoNotMatchItsSchemaIsRefused() throws Exception {
        CommandSet set = new CommandSet();
        set.addProvider(provider("bad", "[{\"command\": \"a\", \"doc\": \"A.\"}, {\"command\": \"b\", \"doc\": \"B.\"}]",
                Map.of("a", (c, x) -> null, "c", (c, x) -> null)));
        assertFalse(set.commands().contains("a"));
        assertFalse(set.commands().contains("b"));
    }

    @Test
    void providerWaitsForTheProviderOfTheTypesItUses() throws Exception {
        CommandSet set = new CommandSet();
        CommandProvider user = provider("user", "[{\"command\": \"paint\", \"doc\": \"P.\", \"data\": {\"c\": \"Color\"}}]",
                Map.of("paint", (c, a) -> null));
        CommandProvider types = provider("types", "[{\"enum\": \"Color\", \"doc\": \"C.\", \"data\": [\"red\"]}]", Map.of());
        set.addProvider(user);
        assertFalse(set.commands().contains("paint"));
        set.addProvider(types);
        assertTrue(set.commands().contains("paint"));
        assertEquals("Parameter 'c' does not accept value 'blue'",
                assertThrows(CommandException.class, () -> set.execute("paint", Map.of("c", "blue"), CONTEXT)).getMessage());
        set.removeProvider(types);
        assertFalse(set.commands().contains("paint"), "without its types the command goes too");
    }

    @Test
    void handlerExceptionsBecomeGenericErrors() throws Exception {
        CommandSet set = new CommandSet();
        set.addProvider(provider("boom", "[{\"command\": \"boom\", \"doc\": \"B.\"}]",
                Map.of("boom", (c, a) -> { throw new IllegalStateException("it broke"); })));
        CommandException e = assertThrows(CommandException.class, () -> set.execute("boom", Map.of(), CONTEXT));
        assertEquals(ErrorClass.GENERIC_ERROR, e.errorClass());
        assertEquals("it broke", e.getMessage());
    }

    @Test
    void emittedEventsAreCheckedAgainstTheSchema() throws Exception {
        CommandSet set = new CommandSet();
        set.addProvider(provider("ev", "[{\"event\": \"BEEP\", \"doc\": \"B.\", \"data\": {\"times\": \"int\"}}]", Map.of()));
        List<String> heard = new ArrayList<>();
        set.addEventListener((machine, event, data, time) -> heard.add(machine + ":" + event + ":" + data));
        set.emit("vm", "BEEP", Map.of("times", 2));
        assertEquals(List.of("vm:BEEP:{times=2}"), heard);
        assertThrows(IllegalArgumentException.class, () -> set.emit("vm", "BEEP", Map.of("times", "two")));
        assertThrows(IllegalArgumentException.class, () -> set.emit("vm", "BOOP", Map.of()));
    }

    @Test
    void qmpCapabilitiesAfterNegotiationIsRefusedAsQemuDoes() {
        CommandException e = assertThrows(CommandException.class, () -> new CommandSet().execute("qmp_capabilities", Map.of(), CONTEXT));
        assertEquals(ErrorClass.COMMAND_NOT_FOUND, e.errorClass());
        assertEquals("Capabilities negotiation is already complete, command ignored", e.getMessage());
    }
}
