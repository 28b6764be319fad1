package org.osgemu.migration.command;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.apache.felix.service.command.Descriptor;
import org.osgemu.api.machine.MachineControl;
import org.osgemu.api.migration.MigrationService;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;

/**
 * The Gogo commands {@code migrate} and {@code migrate_incoming} (scope {@code osgemu}, so the
 * monitor finds them beside {@code stop} and {@code cont}), acting on the first machine
 * registered, as the other monitor commands do. A thin front-end over {@link MigrateCommand}.
 */
@Component(service = Object.class, configurationPolicy = ConfigurationPolicy.IGNORE)
@GogoCommand(scope = "osgemu", function = {"migrate", "migrate_incoming"})
public final class MigrationCommands {

    private final List<MachineControl> machines = new CopyOnWriteArrayList<>();
    private final MigrateCommand command;

    @Activate
    public MigrationCommands(@Reference MigrationService migration) {
        this.command = new MigrateCommand(migration, () -> machines.stream().findFirst().orElse(null));
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC, unbind = "removeMachine")
    void addMachine(MachineControl machine) {
        machines.add(machine);
    }

    void removeMachine(MachineControl machine) {
        machines.remove(machine);
    }

    @Descriptor("save the paused machine to a file: migrate file:PATH (stop it first)")
    public String migrate(@Descriptor("migration URI, file:PATH") String... args) {
        return command.migrate(args);
    }

    /** Named with an underscore because Gogo calls the method named as the command. */
    @Descriptor("load a saved machine into this one, which must not run: migrate_incoming file:PATH")
    public String migrate_incoming(@Descriptor("migration URI, file:PATH") String... args) {
        return command.migrateIncoming(args);
    }
}
