package org.osgemu.shell.commands;

import java.util.Dictionary;
import java.util.HashMap;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import org.apache.felix.service.command.Function;
import org.osgemu.api.command.CommandProvider;
import org.osgemu.api.command.CommandRegistry;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;

/**
 * Makes every command of the {@link CommandRegistry} a Gogo command of scope {@code osgemu}
 * with the same name. The command set changes as bundles add and remove command providers, so
 * this is a whiteboard of its own: it registers one Gogo {@link Function} service per command
 * and follows the providers (as references only, never activating them). The commands that
 * have a QEMU monitor form of their own ({@code device_add DRIVER,prop=value}, {@code stop}...)
 * are left to {@link MonitorCommands}, which runs them through the registry too.
 */
@Component(immediate = true)
public final class SchemaCommands {

    /** Commands {@link MonitorCommands} serves under the same name. */
    static final Set<String> MONITOR_FORMS = Set.of("stop", "cont", "system_reset", "quit", "system_powerdown",
            "device_add", "device_del");

    private final BundleContext context;
    private final CommandRegistry registry;
    private final Map<String, ServiceRegistration<Function>> registrations = new HashMap<>();
    private final ExecutorService syncer = Executors.newSingleThreadExecutor(
            task -> Thread.ofVirtual().name("osgemu-shell-schema-commands").unstarted(task));
    private volatile boolean closed;

    @Activate
    public SchemaCommands(BundleContext context, @Reference CommandRegistry registry) {
        this.context = context;
        this.registry = registry;
        scheduleSync();
    }

    /** Only the reference: the registry gets the provider itself, when it is first used. */
    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            service = CommandProvider.class, unbind = "providerGone")
    void providerCame(ServiceReference<CommandProvider> provider) {
        scheduleSync();
    }

    void providerGone(ServiceReference<CommandProvider> provider) {
        scheduleSync();
    }

    /** Off the SCR thread that told us: listing the commands makes the registry get its providers. */
    private void scheduleSync() {
        if (!closed) {
            syncer.execute(this::sync);
        }
    }

    private synchronized void sync() {
        if (closed) {
            return;
        }
        List<String> commands = registry.commands().stream().filter(c -> !MONITOR_FORMS.contains(c)).toList();
        registrations.keySet().removeIf(name -> {
            if (commands.contains(name)) {
                return false;
            }
            unregister(registrations.get(name));
            return true;
        });
        for (String command : commands) {
            if (!registrations.containsKey(command)) {
                Dictionary<String, Object> properties = new Hashtable<>();
                properties.put("osgi.command.scope", "osgemu");
                properties.put("osgi.command.function", command);
                registrations.put(command, context.registerService(Function.class, new SchemaFunction(registry, command),
                        properties));
            }
        }
    }

    @Deactivate
    void deactivate() {
        synchronized (this) {
            closed = true;
            registrations.values().forEach(SchemaCommands::unregister);
            registrations.clear();
        }
        syncer.shutdownNow();
        try {
            syncer.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void unregister(ServiceRegistration<Function> registration) {
        try {
            registration.unregister();
        } catch (IllegalStateException alreadyGone) {
            // the bundle is stopping
        }
    }
}
