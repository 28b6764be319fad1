package org.osgemu.launcher;

import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import org.osgemu.api.machine.MachineConfig;
import org.osgemu.api.machine.MachineConfigException;
import org.osgemu.api.machine.MachineControl;
import org.osgemu.api.machine.MachineFactory;
import org.osgemu.api.machine.ShutdownCause;
import org.osgemu.api.migration.MigrationException;
import org.osgemu.api.migration.MigrationService;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.runtime.ServiceComponentRuntime;
import org.osgi.service.component.runtime.dto.ComponentDescriptionDTO;

/**
 * The {@code osgemu} command: takes the program arguments from the bnd launcher (its service
 * property {@code launcher.arguments}), turns them into ConfigAdmin configurations (one factory
 * configuration per chardev, monitor and device) and a machine, and hands the launcher a
 * main-thread {@link Callable} whose result is the process exit status: the guest's (test
 * finisher, poweroff), 0 after {@code quit}, 1 for a bad command line or machine.
 */
@Component(immediate = true)
public final class Launcher {

    static final String VERSION = "0.1.0";

    private final BundleContext context;
    private final String[] arguments;
    private final ConfigurationAdmin configAdmin;
    private final ServiceComponentRuntime scr;
    private final Map<String, MachineFactory> factories = new ConcurrentHashMap<>();
    private final List<Configuration> created = new ArrayList<>();
    private final ServiceRegistration<?> mainThread;
    private final MigrationService migration;

    @Activate
    public Launcher(BundleContext context,
                    @Reference(service = Object.class, target = "(launcher.arguments=*)") ServiceReference<Object> bndLauncher,
                    @Reference ConfigurationAdmin configAdmin,
                    @Reference ServiceComponentRuntime scr,
                    @Reference MigrationService migration) {
        this.context = context;
        this.migration = migration;
        this.configAdmin = configAdmin;
        this.scr = scr;
        Object args = bndLauncher.getProperty("launcher.arguments");
        this.arguments = args instanceof String[] a ? a : new String[0];
        Dictionary<String, Object> props = new Hashtable<>();
        props.put("main.thread", Boolean.TRUE);
        mainThread = context.registerService(Callable.class, new MainThread(), props);
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addFactory(MachineFactory factory) {
        factories.put(factory.type(), factory);
        synchronized (factories) {
            factories.notifyAll();
        }
    }

    void removeFactory(MachineFactory factory) {
        factories.remove(factory.type(), factory);
    }

    @Deactivate
    void deactivate() {
        try {
            mainThread.unregister();
        } catch (IllegalStateException alreadyGone) {
            // the framework unregisters it while stopping
        }
        if (context.getBundle(0).getState() != Bundle.STOPPING) {
            // an embedding framework lives on: take our configurations back (a stopping one is thrown away whole)
            deleteConfigurations();
        }
    }

    /** Runs the command line; the bnd launcher calls it on the main thread and exits with its result. */
    public final class MainThread implements Callable<Integer> {
        @Override
        public Integer call() {
            return run(System.out, System.err);
        }
    }

    int run(PrintStream out, PrintStream err) {
        LaunchPlan plan;
        try {
            plan = CommandLine.parse(List.of(arguments));
        } catch (CommandLineException e) {
            err.println("osgemu: " + e.getMessage());
            return 1;
        }
        switch (plan.action()) {
            case HELP -> {
                out.print(CommandLine.USAGE);
                return 0;
            }
            case VERSION -> {
                out.println("osgemu version " + VERSION + " (riscv64 targets, QEMU-compatible command line)");
                return 0;
            }
            case LIST_MACHINES -> {
                awaitFactory("virt");
                out.println("Supported machines are:");
                factories.values().forEach(f -> out.printf("%-20s %s%n", f.type(), f.description()));
                return 0;
            }
            case LIST_DEVICES -> {
                out.println("Available devices (-device DRIVER):");
                deviceDrivers().forEach(d -> out.println("  " + d));
                return 0;
            }
            case RUN -> { }
        }
        try {
            MachineFactory factory = awaitFactory(plan.machineType());
            if (factory == null) {
                err.println("osgemu: -M " + plan.machineType() + ": unknown machine type (try -M help)");
                return 1;
            }
            Set<String> drivers = deviceDrivers();
            for (LaunchPlan.DeviceSpec d : plan.devices()) {
                if (!drivers.contains(d.driver())) {
                    err.println("osgemu: -device " + d.driver() + ": unknown device type (try -device help)");
                    return 1;
                }
            }
            Set<String> pids = configurationPids();
            List<LaunchPlan.Backend> needed = new ArrayList<>(plan.chardevs().values());
            needed.addAll(plan.backends());
            needed.addAll(plan.servers());
            for (LaunchPlan.Backend b : needed) {
                if (!pids.contains(b.pid())) {
                    err.println("osgemu: " + b.pid() + " (id " + b.properties().get("id")
                            + "): no installed bundle provides this backend");
                    return 1;
                }
            }
            for (LaunchPlan.Backend b : plan.chardevs().values()) {
                configure(b.pid(), b.properties());
            }
            for (LaunchPlan.Backend b : plan.backends()) {
                configure(b.pid(), b.properties());
            }
            for (LaunchPlan.DeviceSpec d : plan.devices()) {
                Map<String, Object> props = new java.util.LinkedHashMap<>(d.properties());
                props.put("id", d.id());
                props.put("machine", plan.name());
                configure(d.factoryPid(), props);
            }
            MachineControl machine = factory.create(new MachineConfig(plan.name(), plan.ramSize(), plan.cpus(), plan.bios(),
                    plan.kernel(), plan.initrd(), plan.append(), plan.startPaused() || plan.incoming().isPresent(),
                    plan.devices().stream().map(LaunchPlan.DeviceSpec::id).toList(), plan.dtb()));
            for (LaunchPlan.Backend m : plan.servers()) {
                configure(m.pid(), m.properties());
            }
            if (plan.incoming().isPresent()) {
                String uri = plan.incoming().get();
                try {
                    // file: loads now; tcp:, unix: and defer return at once and load (and run) in the background
                    migration.incoming(machine, uri, !plan.startPaused());
                } catch (MigrationException e) {
                    err.println("osgemu: -incoming " + uri + ": " + e.getMessage());
                    machine.shutdown(ShutdownCause.HOST_ERROR, 1);
                    return 1;
                }
            }
            int status = machine.awaitShutdown();
            out.flush();
            return status;
        } catch (MachineConfigException e) {
            err.println("osgemu: " + e.getMessage());
            return 1;
        } catch (IOException e) {
            err.println("osgemu: configuration failed: " + e.getMessage());
            return 1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 1;
        }
    }

    private void configure(String pid, Map<String, ?> properties) throws IOException {
        Configuration c = configAdmin.createFactoryConfiguration(pid, "?");
        Dictionary<String, Object> props = new Hashtable<>();
        properties.forEach(props::put);
        c.update(props);
        synchronized (created) {
            created.add(c);
        }
    }

    private void deleteConfigurations() {
        synchronized (created) {
            for (Configuration c : created) {
                try {
                    c.delete();
                } catch (IOException | IllegalStateException e) {
                    // ConfigAdmin is stopping with the framework
                }
            }
            created.clear();
        }
    }

    /** Driver names of every component configured by an {@code osgemu.device.*} factory PID. */
    private Set<String> deviceDrivers() {
        Set<String> drivers = new TreeSet<>();
        for (String pid : configurationPids()) {
            if (pid.startsWith("osgemu.device.")) {
                drivers.add(pid.substring("osgemu.device.".length()));
            }
        }
        return drivers;
    }

    /** Configuration PIDs of every component the installed bundles declare. */
    private Set<String> configurationPids() {
        Set<String> pids = new TreeSet<>();
        for (ComponentDescriptionDTO d : scr.getComponentDescriptionDTOs()) {
            pids.addAll(List.of(d.configurationPid));
        }
        return pids;
    }

    private MachineFactory awaitFactory(String type) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        synchronized (factories) {
            while (!factories.containsKey(type) && System.nanoTime() < deadline) {
                try {
                    factories.wait(100);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return null;
                }
            }
        }
        return factories.get(type);
    }
}
