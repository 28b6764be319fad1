package org.osgemu.launcher;

import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import org.osgemu.api.device.PlatformDevice;
import org.osgemu.api.component.ComponentProblems;
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
    /** Framework (or system) property that makes an internal error print its stack trace. */
    static final String DEBUG_PROPERTY = "osgemu.debug";
    private static final long FACTORY_WAIT_SECONDS = 10;
    private static final long CONFIGURATION_WAIT_SECONDS = 15;
    private static final long POLL_MILLIS = 50;

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
        try {
            return runCommandLine(out, err);
        } catch (RuntimeException e) {
            return lastResort(e, err, Boolean.parseBoolean(context.getProperty(DEBUG_PROPERTY)));
        }
    }

    /**
     * What a fault nobody foresaw gets: one line and status 1, as any other error, instead of a
     * stack trace from the bnd launcher; the trace only with {@value #DEBUG_PROPERTY}.
     */
    static int lastResort(RuntimeException e, PrintStream err, boolean debug) {
        String message = e.getMessage() == null ? "" : e.getMessage().lines().findFirst().orElse("");
        err.println("osgemu: internal error: " + e.getClass().getSimpleName() + (message.isEmpty() ? "" : ": " + message)
                + (debug ? "" : " (run with OSGEMU_JAVA_OPTS=-D" + DEBUG_PROPERTY + "=true for the stack trace)"));
        if (debug) {
            e.printStackTrace(err);
        }
        System.getLogger(Launcher.class.getName()).log(System.Logger.Level.DEBUG, "osgemu failed", e);
        return 1;
    }

    private int runCommandLine(PrintStream out, PrintStream err) {
        LaunchPlan plan;
        try {
            plan = CommandLine.parse(List.of(arguments));
        } catch (CommandLineException e) {
            err.println("osgemu: " + e.getMessage());
            return 1;
        }
        try {
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
                    awaitDeclaredFactories();
                    out.println("Supported machines are:");
                    new TreeMap<>(factories).values().forEach(f -> out.printf("%-20s %s%n", f.type(), f.description()));
                    return 0;
                }
                case LIST_DEVICES -> {
                    out.println("Available devices (-device DRIVER):");
                    deviceDrivers().forEach(d -> out.println("  " + d));
                    return 0;
                }
                case LIST_CPUS -> {
                    out.print(CpuAndAccel.CPU_HELP);
                    return 0;
                }
                case LIST_ACCELERATORS -> {
                    out.print(CpuAndAccel.ACCEL_HELP);
                    return 0;
                }
                case RUN -> {
                    return runMachine(plan, out, err);
                }
            }
            throw new IllegalStateException("unknown action " + plan.action());
        } catch (CommandLineException | MachineConfigException e) {
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

    /** Checks the plan against what is installed, configures it, builds the machine and waits for its end. */
    private int runMachine(LaunchPlan plan, PrintStream out, PrintStream err)
            throws CommandLineException, MachineConfigException, IOException, InterruptedException {
        MachineFactory factory = machineFactory(plan.machineType());
        if (factory == null) {
            throw new CommandLineException("-M " + plan.machineType() + ": unknown machine type (try -M help)");
        }
        Set<String> drivers = deviceDrivers();
        for (LaunchPlan.DeviceSpec d : plan.devices()) {
            if (!drivers.contains(d.driver())) {
                throw new CommandLineException("-device " + d.driver() + ": unknown device type (try -device help)");
            }
            checkProperties(d);
        }
        Set<String> pids = configurationPids();
        List<LaunchPlan.Backend> needed = new ArrayList<>(plan.chardevs().values());
        needed.addAll(plan.backends());
        needed.addAll(plan.servers());
        for (LaunchPlan.Backend b : needed) {
            if (!pids.contains(b.pid())) {
                throw new CommandLineException(b.option() + ": no installed bundle provides " + b.pid());
            }
        }
        List<ConfigurationWaiter.Awaited> backends = new ArrayList<>();
        for (LaunchPlan.Backend b : plan.chardevs().values()) {
            backends.add(new ConfigurationWaiter.Awaited(configure(b.pid(), b.properties()), b.option()));
        }
        for (LaunchPlan.Backend b : plan.backends()) {
            backends.add(new ConfigurationWaiter.Awaited(configure(b.pid(), b.properties()), b.option()));
        }
        List<ConfigurationWaiter.Awaited> devices = new ArrayList<>();
        for (LaunchPlan.DeviceSpec d : plan.devices()) {
            Map<String, Object> props = new LinkedHashMap<>(d.properties());
            props.put("id", d.id());
            props.put("machine", plan.name());
            devices.add(new ConfigurationWaiter.Awaited(configure(d.factoryPid(), props), d.option()));
        }
        // backends first: once they are all up, a device waiting for a reference waits in vain
        ConfigurationWaiter waiter = new ConfigurationWaiter(scr, CONFIGURATION_WAIT_SECONDS, TimeUnit.SECONDS);
        Optional<ConfigurationWaiter.Refusal> refused = waiter.await(backends, false);
        if (refused.isEmpty()) {
            refused = waiter.await(devices, true);
        }
        if (refused.isPresent()) {
            throw new CommandLineException(refused.get().item().option() + ": " + explain(refused.get().reason()));
        }
        MachineControl machine = factory.create(new MachineConfig(plan.name(), plan.ramSize(), plan.cpus(), plan.bios(),
                plan.kernel(), plan.initrd(), plan.append(), plan.startPaused() || plan.incoming().isPresent(),
                plan.devices().stream().filter(d -> placedByTheBoard(d.driver())).map(LaunchPlan.DeviceSpec::id).toList(),
                plan.dtb(), plan.actions()));
        List<ConfigurationWaiter.Awaited> servers = new ArrayList<>();
        for (LaunchPlan.Backend m : plan.servers()) {
            servers.add(new ConfigurationWaiter.Awaited(configure(m.pid(), m.properties()), m.option()));
        }
        Optional<ConfigurationWaiter.Refusal> serverRefused = waiter.await(servers, false);
        if (serverRefused.isPresent()) {
            err.println("osgemu: " + serverRefused.get().item().option() + ": " + serverRefused.get().reason());
            machine.shutdown(ShutdownCause.HOST_ERROR, 1);
            return 1;
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
    }

    /**
     * QEMU's words for a device whose backend property is missing ({@code drive property not
     * set}); the launcher links each given backend property by a target filter, so a reference
     * without one is a property the command line left out.
     */
    static String explain(String reason) {
        for (String reference : LaunchPlan.DeviceSpec.BACKEND_REFERENCES) {
            if (reason.equals("reference '" + reference + "' has no target")) {
                return reference + " property not set";
            }
        }
        return reason;
    }

    /** Refuses a property the device type does not declare, in QEMU's words. */
    private void checkProperties(LaunchPlan.DeviceSpec device) throws CommandLineException {
        Optional<Set<String>> declared = declaredProperties(device.factoryPid());
        if (declared.isEmpty()) {
            return; // the component reads its configuration as a map: it may take anything
        }
        Optional<String> undeclared = DeclaredProperties.firstUndeclared(device.givenProperties(), declared.get());
        if (undeclared.isPresent()) {
            throw new CommandLineException(device.option() + ": Property '" + device.driver() + "." + undeclared.get() + "' not found");
        }
    }

    /** The properties the component configured by {@code pid} declares, read from its class in its bundle. */
    private Optional<Set<String>> declaredProperties(String pid) {
        for (ComponentDescriptionDTO d : scr.getComponentDescriptionDTOs()) {
            if (!List.of(d.configurationPid).contains(pid)) {
                continue;
            }
            Bundle bundle = context.getBundle(d.bundle.id);
            if (bundle == null) {
                return Optional.empty();
            }
            try {
                Class<?> type = bundle.loadClass(d.implementationClass);
                return DeclaredProperties.of(type, d.init, Arrays.asList(d.activate, d.modified));
            } catch (ClassNotFoundException | LinkageError e) {
                // the bundle cannot show its class: do not refuse what it might accept
                return Optional.empty();
            }
        }
        return Optional.empty();
    }

    /** Creates a factory configuration of {@code factoryPid}; returns its PID. */
    private String configure(String factoryPid, Map<String, ?> properties) throws IOException {
        Configuration c = configAdmin.createFactoryConfiguration(factoryPid, "?");
        Dictionary<String, Object> props = new Hashtable<>();
        properties.forEach(props::put);
        c.update(props);
        synchronized (created) {
            created.add(c);
        }
        return c.getPid();
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

    /**
     * False for a driver whose component is no {@link PlatformDevice}: the board neither places
     * nor waits for it (a {@code virtconsole} plugs into a {@code virtio-serial-device}).
     */
    private boolean placedByTheBoard(String driver) {
        return ComponentProblems.registers(scr, "osgemu.device." + driver, PlatformDevice.class).orElse(true);
    }

    /** Configuration PIDs of every component the installed bundles declare. */
    private Set<String> configurationPids() {
        Set<String> pids = new TreeSet<>();
        for (ComponentDescriptionDTO d : scr.getComponentDescriptionDTOs()) {
            pids.addAll(List.of(d.configurationPid));
        }
        return pids;
    }

    /**
     * The factory of machine type {@code type}. A type some installed component declares is waited
     * for while that component comes up; one nobody declares is unknown at once, as soon as no
     * bundle is still starting. Null when unknown.
     */
    private MachineFactory machineFactory(String type) throws InterruptedException, MachineConfigException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(FACTORY_WAIT_SECONDS);
        while (true) {
            MachineFactory factory = factories.get(type);
            if (factory != null) {
                return factory;
            }
            String component = declaredMachineTypes().get(type); // null: no installed component declares it
            boolean declared = component != null;
            if (!declared && frameworkSettled()) {
                return null;
            }
            if (System.nanoTime() - deadline >= 0) {
                if (!declared) {
                    return null;
                }
                String why = ComponentProblems.find(scr, p -> component.equals(p.get("component.name")))
                        .map(ComponentProblems.Problem::reason).orElse("its component did not start");
                throw new MachineConfigException("-M " + type + ": machine type not available: " + why);
            }
            synchronized (factories) {
                factories.wait(POLL_MILLIS);
            }
        }
    }

    /** For {@code -M help}: waits (a while) until every declared machine type has its factory. */
    private void awaitDeclaredFactories() throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(FACTORY_WAIT_SECONDS);
        while (!factories.keySet().containsAll(declaredMachineTypes().keySet()) && System.nanoTime() - deadline < 0) {
            synchronized (factories) {
                factories.wait(POLL_MILLIS);
            }
        }
    }

    /** Machine types that enabled components declare as {@link MachineFactory} services, with the component's name. */
    private Map<String, String> declaredMachineTypes() {
        Map<String, String> types = new TreeMap<>();
        for (ComponentDescriptionDTO d : scr.getComponentDescriptionDTOs()) {
            if (d.serviceInterfaces != null && List.of(d.serviceInterfaces).contains(MachineFactory.class.getName())
                    && scr.isComponentEnabled(d) && d.properties != null) {
                Object type = d.properties.get(MachineFactory.TYPE);
                if (type instanceof String t) {
                    types.put(t, d.name);
                } else if (type instanceof String[] ts) {
                    for (String t : ts) types.put(t, d.name);
                }
            }
        }
        return types;
    }

    /** Whether no bundle is still starting: then SCR knows every component there will be. */
    private boolean frameworkSettled() {
        for (Bundle b : context.getBundles()) {
            if (b.getState() == Bundle.STARTING) {
                return false;
            }
        }
        return true;
    }
}
