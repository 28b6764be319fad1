package org.osgemu.qmp.registry;

import java.io.IOException;
import java.io.InputStream;
import java.lang.System.Logger.Level;
import java.net.URL;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;

import org.osgemu.api.command.CommandContext;
import org.osgemu.api.command.CommandEventListener;
import org.osgemu.api.command.CommandException;
import org.osgemu.api.command.CommandHandler;
import org.osgemu.api.command.CommandInfo;
import org.osgemu.api.command.CommandProvider;
import org.osgemu.api.command.CommandRegistry;
import org.osgemu.api.command.ErrorClass;
import org.osgemu.qmp.schema.Definition;
import org.osgemu.qmp.schema.Introspection;
import org.osgemu.qmp.schema.Schema;
import org.osgemu.qmp.schema.SchemaException;
import org.osgemu.qmp.schema.SchemaParser;
import org.osgemu.qmp.schema.ValueChecker;
import org.osgi.service.component.ComponentServiceObjects;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;

/**
 * The one command set: a whiteboard of {@link CommandProvider} services whose schemas are
 * combined into one {@link Schema}. A provider is accepted when its schema parses, combines
 * with the accepted ones (no name defined twice, every type defined somewhere) and its handlers
 * implement exactly its commands; otherwise it waits (for a provider of the types it lacks) or
 * is refused, and the log says which and why. The control commands ({@code qmp_capabilities},
 * {@code query-version}, {@code query-commands}, {@code query-qmp-schema}) are built in.
 */
@Component(service = CommandRegistry.class)
public final class CommandSet implements CommandRegistry {

    private static final System.Logger LOG = System.getLogger(CommandSet.class.getName());

    /**
     * A provider, got from its service only when the command set is first used after it came:
     * the registry binds providers while it activates, and a provider that needs the registry
     * (to emit events) could not be activated then.
     */
    private static final class Entry {
        final Supplier<CommandProvider> service;
        final Object key;
        CommandProvider provider;
        String source = "";
        List<Definition> definitions;

        Entry(Object key, Supplier<CommandProvider> service) {
            this.key = key;
            this.service = service;
        }

        String name() {
            return provider == null ? String.valueOf(key) : provider.getClass().getName();
        }
    }

    /** Everything a command call needs, swapped whole when providers come or go. */
    private record Snapshot(Schema schema, ValueChecker checker, Map<String, CommandHandler> handlers,
                            List<Map<String, Object>> introspection) {}

    private final List<Entry> entries = new ArrayList<>();
    private final List<CommandEventListener> listeners = new CopyOnWriteArrayList<>();
    private final Map<ComponentServiceObjects<CommandProvider>, CommandProvider> services = new ConcurrentHashMap<>();
    private volatile Snapshot snapshot;
    private volatile boolean stale = true;

    @Activate
    public CommandSet() {
        addProvider(new ControlCommands(this));
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            unbind = "unbindProvider")
    void bindProvider(ComponentServiceObjects<CommandProvider> provider) {
        add(provider, () -> services.computeIfAbsent(provider, ComponentServiceObjects::getService));
    }

    void unbindProvider(ComponentServiceObjects<CommandProvider> provider) {
        remove(provider);
        CommandProvider instance = services.remove(provider);
        if (instance != null) {
            provider.ungetService(instance);
        }
    }

    /** Adds a provider object directly (tests, embedding). */
    public void addProvider(CommandProvider provider) {
        add(provider, () -> provider);
    }

    public void removeProvider(CommandProvider provider) {
        remove(provider);
    }

    private void add(Object key, Supplier<CommandProvider> service) {
        synchronized (entries) {
            entries.add(new Entry(key, service));
            stale = true;
        }
    }

    private void remove(Object key) {
        synchronized (entries) {
            if (entries.removeIf(e -> e.key == key)) {
                stale = true;
            }
        }
    }

    /** The snapshot, rebuilt first when providers came or went; providers are got outside the lock. */
    private Snapshot snapshot() {
        if (!stale) {
            return snapshot;
        }
        List<Entry> unresolved;
        synchronized (entries) {
            unresolved = entries.stream().filter(e -> e.definitions == null).toList();
        }
        for (Entry entry : unresolved) {
            resolve(entry);
        }
        synchronized (entries) {
            if (entries.stream().allMatch(e -> e.definitions != null)) {
                rebuild();
                stale = false;
            } else {
                rebuild(); // a provider came meanwhile; the next call gets it
            }
            return snapshot;
        }
    }

    private static void resolve(Entry entry) {
        List<Definition> definitions = List.of();
        try {
            CommandProvider provider = entry.service.get();
            if (provider == null) {
                // its component is going away (the framework stops, or its bundle does): nothing to refuse
                return;
            }
            entry.provider = provider;
            URL url = provider.schema();
            if (url == null) {
                throw new SchemaException("its schema() is null");
            }
            entry.source = url.getPath().substring(url.getPath().lastIndexOf('/') + 1);
            try (InputStream in = url.openStream()) {
                definitions = SchemaParser.parse(entry.source, in);
            }
        } catch (IOException | SchemaException | RuntimeException e) {
            LOG.log(Level.ERROR, "command provider " + entry.name() + " refused: " + e.getMessage());
        }
        entry.definitions = definitions;
    }

    /** Accepts, in arrival order, every provider that fits with those accepted before it; repeats until none more fits. */
    private void rebuild() {
        List<Definition> accepted = new ArrayList<>();
        Map<String, CommandHandler> handlers = new LinkedHashMap<>();
        List<Entry> waiting = new ArrayList<>(entries.stream().filter(e -> e.provider != null && e.definitions != null).toList());
        Map<Entry, String> problems = new LinkedHashMap<>();
        boolean progress = true;
        while (progress && !waiting.isEmpty()) {
            progress = false;
            for (Entry entry : List.copyOf(waiting)) {
                List<Definition> combined = new ArrayList<>(accepted);
                combined.addAll(entry.definitions);
                try {
                    Schema.of(combined);
                    Map<String, CommandHandler> own = checkHandlers(entry);
                    accepted.addAll(entry.definitions);
                    handlers.putAll(own);
                    waiting.remove(entry);
                    problems.remove(entry);
                    progress = true;
                } catch (SchemaException e) {
                    problems.put(entry, e.getMessage());
                }
            }
        }
        problems.forEach((entry, why) -> LOG.log(Level.WARNING, "command provider " + entry.name()
                + " (" + entry.source + ") not accepted: " + why));
        try {
            Schema schema = Schema.of(accepted);
            snapshot = new Snapshot(schema, new ValueChecker(schema), Map.copyOf(handlers), Introspection.of(schema));
        } catch (SchemaException e) {
            throw new IllegalStateException("accepted schemas do not combine: " + e.getMessage(), e);
        }
    }

    private static Map<String, CommandHandler> checkHandlers(Entry entry) throws SchemaException {
        Set<String> declared = new TreeSet<>();
        for (Definition d : entry.definitions) {
            if (d instanceof Definition.Command c) declared.add(c.name());
        }
        Map<String, CommandHandler> handlers = entry.provider.handlers();
        Set<String> withoutHandler = new TreeSet<>(declared);
        withoutHandler.removeAll(handlers.keySet());
        Set<String> withoutSchema = new TreeSet<>(handlers.keySet());
        withoutSchema.removeAll(declared);
        if (!withoutHandler.isEmpty() || !withoutSchema.isEmpty()) {
            throw new SchemaException("commands without a handler: " + withoutHandler
                    + "; handlers without a schema entry: " + withoutSchema);
        }
        return handlers;
    }

    @Override
    public Object execute(String command, Map<String, Object> arguments, CommandContext context) throws CommandException {
        Snapshot s = snapshot();
        Map<String, Object> checked = check(s, command, arguments);
        try {
            return s.handlers().get(command).execute(context, checked);
        } catch (RuntimeException e) {
            LOG.log(Level.ERROR, "command " + command + " failed", e);
            throw new CommandException(ErrorClass.GENERIC_ERROR,
                    e.getMessage() == null ? e.toString() : e.getMessage(), e);
        }
    }

    @Override
    public Map<String, Object> checkArguments(String command, Map<String, Object> arguments) throws CommandException {
        return check(snapshot(), command, arguments);
    }

    private static Map<String, Object> check(Snapshot s, String command, Map<String, Object> arguments)
            throws CommandException {
        Definition.Command definition = s.schema().command(command).orElseThrow(() -> new CommandException(
                ErrorClass.COMMAND_NOT_FOUND, "The command " + command + " has not been found"));
        return s.checker().checkObject("", definition.arguments(), definition.open(),
                arguments == null ? Map.of() : arguments);
    }

    @Override
    public List<String> commands() {
        return snapshot().schema().commands().stream().map(Definition.Command::name).toList();
    }

    @Override
    public Optional<CommandInfo> describe(String command) {
        Schema schema = snapshot().schema();
        return schema.command(command).map(c -> new CommandInfo(c.name(), c.doc(),
                c.arguments().stream().map(m -> new CommandInfo.Argument(m.name(), m.type(), schema.jsonType(m.type()),
                        m.optional(), m.doc())).toList(), c.returns(), c.open(), c.allowOob()));
    }

    @Override
    public List<String> events() {
        return snapshot().schema().events().stream().map(Definition.Event::name).toList();
    }

    @Override
    public void emit(String machine, String event, Map<String, Object> data) {
        Snapshot s = snapshot();
        Definition.Event definition = s.schema().event(event)
                .orElseThrow(() -> new IllegalArgumentException("event " + event + " is not in the schema"));
        Map<String, Object> checked;
        try {
            checked = s.checker().checkObject("", definition.data(), false, data == null ? Map.of() : data);
        } catch (CommandException e) {
            throw new IllegalArgumentException("event " + event + ": data does not match the schema: " + e.getMessage(), e);
        }
        Instant now = Instant.now();
        for (CommandEventListener listener : listeners) {
            try {
                listener.event(machine, event, checked, now);
            } catch (RuntimeException e) {
                LOG.log(Level.ERROR, "event listener " + listener + " failed on " + event, e);
            }
        }
    }

    @Override
    public void addEventListener(CommandEventListener listener) {
        listeners.add(listener);
    }

    @Override
    public void removeEventListener(CommandEventListener listener) {
        listeners.remove(listener);
    }

    /** The combined schema as it is now. */
    public Schema schema() {
        return snapshot().schema();
    }

    /** {@code query-qmp-schema}'s answer for the combined schema. */
    List<Map<String, Object>> introspection() {
        return snapshot().introspection();
    }
}
