package org.osgemu.migration.command;

import java.net.URL;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

import org.osgemu.api.command.CommandContext;
import org.osgemu.api.command.CommandException;
import org.osgemu.api.command.CommandHandler;
import org.osgemu.api.command.CommandProvider;
import org.osgemu.api.command.CommandRegistry;
import org.osgemu.api.machine.MachineControl;
import org.osgemu.api.migration.MigrationException;
import org.osgemu.migration.engine.Capability;
import org.osgemu.migration.engine.MigrationStatus;
import org.osgemu.migration.engine.OutgoingMigration;
import org.osgemu.migration.service.MachineMigrations;
import org.osgemu.migration.service.MigrationControl;
import org.osgemu.migration.service.MigrationListener;
import org.osgemu.migration.transport.MigrationUri;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;

/**
 * The migration commands of {@code qapi/migration.json} for QMP and the shell (which runs every
 * registry command under its own name): migrate, migrate-incoming, migrate_cancel,
 * migrate-continue, the capabilities and parameters, query-migrate, postcopy's
 * migrate-start-postcopy, migrate-recover and migrate's resume, and the monitor's forms
 * migrate_incoming, migrate_set_capability, migrate_set_parameter, migrate_start_postcopy and
 * migrate_recover. Also turns the migrations'
 * status changes and passes into the MIGRATION and MIGRATION_PASS events, for machines whose
 * capability {@code events} is on (as QEMU does).
 *
 * <p>QMP's {@code migrate} answers at once; from the shell it waits for the end (unless
 * {@code detach}), as the monitor's migrate does, and reports a failure as the command's error.
 */
@Component(service = CommandProvider.class)
public final class MigrationCommands implements CommandProvider {

    private final MigrationControl control;
    private final CommandRegistry registry;
    private final List<MachineControl> machines = new CopyOnWriteArrayList<>();
    private final MigrationListener events = new MigrationListener() {
        @Override
        public void status(String machine, MigrationStatus status) {
            if (eventsOn(machine)) {
                registry.emit(machine, "MIGRATION", Map.of("status", status.qapiName()));
            }
        }

        @Override
        public void pass(String machine, long number) {
            if (eventsOn(machine)) {
                registry.emit(machine, "MIGRATION_PASS", Map.of("pass", number));
            }
        }
    };

    @Activate
    public MigrationCommands(@Reference MigrationControl control, @Reference CommandRegistry registry) {
        this.control = control;
        this.registry = registry;
        control.addListener(events);
    }

    @Deactivate
    void deactivate() {
        control.removeListener(events);
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC, unbind = "removeMachine")
    public void addMachine(MachineControl machine) {
        machines.add(machine);
    }

    public void removeMachine(MachineControl machine) {
        machines.remove(machine);
    }

    @Override
    public URL schema() {
        return MigrationCommands.class.getResource("/qapi/migration.json");
    }

    @Override
    public Map<String, CommandHandler> handlers() {
        Map<String, CommandHandler> handlers = new LinkedHashMap<>();
        handlers.put("migrate", this::migrate);
        handlers.put("migrate-incoming", (c, a) -> incoming(c, (String) a.get("uri"), !Boolean.FALSE.equals(a.get("exit-on-error"))));
        handlers.put("migrate_incoming", (c, a) -> incoming(c, (String) a.get("uri"), false));
        handlers.put("migrate_cancel", (c, a) -> {
            try {
                migrations(c).cancel();
            } catch (MigrationException e) {
                throw new CommandException(e.getMessage());
            }
            return null;
        });
        handlers.put("migrate-start-postcopy", (c, a) -> {
            try {
                migrations(c).startPostcopy();
            } catch (MigrationException e) {
                throw new CommandException(e.getMessage());
            }
            return null;
        });
        handlers.put("migrate_start_postcopy", handlers.get("migrate-start-postcopy"));
        handlers.put("migrate-recover", (c, a) -> {
            String uri = (String) a.get("uri");
            try {
                migrations(c).recoverIncoming(uri);
            } catch (MigrationException e) {
                throw new CommandException(e.getMessage());
            }
            return null;
        });
        handlers.put("migrate_recover", handlers.get("migrate-recover"));
        handlers.put("migrate-continue", (c, a) -> {
            MachineMigrations migrations = migrations(c);
            try {
                migrations.continueFrom(MigrationStatus.ofQapiName((String) a.get("state")));
            } catch (IllegalStateException e) {
                throw new CommandException(e.getMessage());
            }
            return null;
        });
        handlers.put("migrate-set-capabilities", (c, a) -> setCapabilities(c, capabilityChanges(a)));
        handlers.put("migrate_set_capability", (c, a) -> setCapabilities(c,
                Map.of(Capability.ofQapiName((String) a.get("capability")), (Boolean) a.get("state"))));
        handlers.put("query-migrate-capabilities", (c, a) -> capabilities(c));
        handlers.put("migrate-set-parameters", (c, a) -> setParameters(c, a));
        handlers.put("migrate_set_parameter", (c, a) -> {
            String name = (String) a.get("parameter");
            try {
                return setParameters(c, Map.of(name, ParameterValues.parse(name, (String) a.get("value"))));
            } catch (IllegalArgumentException e) {
                throw new CommandException(e.getMessage());
            }
        });
        handlers.put("query-migrate-parameters", (c, a) -> MigrationInfo.parameters(migrations(c).settings().parameters()));
        handlers.put("query-migrate", (c, a) -> MigrationInfo.of(migrations(c)));
        return handlers;
    }

    private Object migrate(CommandContext context, Map<String, Object> arguments) throws CommandException {
        String uri = (String) arguments.get("uri");
        if (uri == null) {
            throw new CommandException("Either 'uri' or 'channels' argument should be provided");
        }
        MachineMigrations migrations = migrations(context);
        if (Boolean.TRUE.equals(arguments.get("resume"))) {
            try {
                migrations.resumeOutgoing(uri);
            } catch (MigrationException e) {
                throw new CommandException(e.getMessage());
            }
            return null;
        }
        OutgoingMigration migration;
        try {
            migration = migrations.startOutgoing(uri);
        } catch (MigrationException e) {
            throw new CommandException(e.getMessage());
        }
        if (CommandContext.SHELL.equals(context.frontEnd()) && !Boolean.TRUE.equals(arguments.get("detach"))) {
            awaitEnd(migrations);
            if (migration.progress().status() == MigrationStatus.FAILED) {
                throw new CommandException(migration.progress().error());
            }
            if (migration.progress().status() == MigrationStatus.CANCELLED) {
                throw new CommandException("migration to " + uri + " was cancelled");
            }
        }
        return null;
    }

    private static void awaitEnd(MachineMigrations migrations) throws CommandException {
        try {
            migrations.awaitOutgoing();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            try {
                migrations.cancel();
            } catch (MigrationException postcopy) {
                throw new CommandException("interrupted; the migration goes on: " + postcopy.getMessage());
            }
            throw new CommandException("interrupted; the migration is cancelled");
        }
    }

    private Object incoming(CommandContext context, String uri, boolean exitOnError) throws CommandException {
        if (uri == null) {
            throw new CommandException("Either 'uri' or 'channels' argument should be provided");
        }
        MachineMigrations migrations = migrations(context);
        try {
            migrations.migrateIncoming(uri, exitOnError);
            if (CommandContext.SHELL.equals(context.frontEnd()) && MigrationUri.parse(uri).transport() == MigrationUri.Transport.FILE) {
                while (!migrations.awaitIncoming(1_000)) {
                    // a file loads in a moment; the shell shows the outcome
                }
                MachineMigrations.IncomingStatus status = migrations.incomingStatus();
                if (status != null && status.status() == MigrationStatus.FAILED) {
                    throw new CommandException(status.error());
                }
            }
        } catch (MigrationException e) {
            throw new CommandException(e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CommandException("interrupted while loading " + uri);
        }
        return null;
    }

    private Object setCapabilities(CommandContext context, Map<Capability, Boolean> changes) throws CommandException {
        MachineMigrations migrations = migrations(context);
        if (migrations.busy()) {
            throw new CommandException("There's a migration process in progress");
        }
        try {
            migrations.settings().setCapabilities(changes);
        } catch (IllegalArgumentException e) {
            throw new CommandException(e.getMessage());
        }
        return null;
    }

    private static Map<Capability, Boolean> capabilityChanges(Map<String, Object> arguments) {
        Map<Capability, Boolean> changes = new EnumMap<>(Capability.class);
        for (Object entry : (List<?>) arguments.get("capabilities")) {
            Map<?, ?> status = (Map<?, ?>) entry;
            changes.put(Capability.ofQapiName((String) status.get("capability")), (Boolean) status.get("state"));
        }
        return changes;
    }

    private Object capabilities(CommandContext context) throws CommandException {
        Set<Capability> on = migrations(context).settings().capabilities();
        List<Object> list = new ArrayList<>();
        for (Capability c : Capability.values()) {
            Map<String, Object> status = new LinkedHashMap<>();
            status.put("capability", c.qapiName());
            status.put("state", on.contains(c));
            list.add(status);
        }
        return list;
    }

    private Object setParameters(CommandContext context, Map<String, Object> arguments) throws CommandException {
        try {
            migrations(context).settings().updateParameters(p -> ParameterValues.apply(p, arguments));
        } catch (IllegalArgumentException e) {
            throw new CommandException(e.getMessage());
        }
        return null;
    }

    private MachineMigrations migrations(CommandContext context) throws CommandException {
        String name = context.machine();
        for (MachineControl machine : machines) {
            if (name == null || name.isEmpty() || machine.name().equals(name)) {
                return control.of(machine);
            }
        }
        throw new CommandException(name == null || name.isEmpty() ? "No machine is running" : "Machine '" + name + "' does not exist");
    }

    private boolean eventsOn(String machine) {
        for (MachineControl m : machines) {
            if (m.name().equals(machine)) {
                return control.of(m).settings().has(Capability.EVENTS);
            }
        }
        return false;
    }
}
