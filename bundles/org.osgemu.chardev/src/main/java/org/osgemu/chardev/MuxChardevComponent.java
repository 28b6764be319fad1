package org.osgemu.chardev;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

import org.osgemu.api.block.BlockBackend;
import org.osgemu.api.chardev.Chardev;
import org.osgemu.api.machine.MachineControl;
import org.osgemu.api.machine.ShutdownCause;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;

/**
 * The {@code mux} backend (factory PID {@value #PID}): a {@link MuxChardev} over the chardev its
 * {@code chardev.target} selects (QEMU's base chardev, e.g. {@code c0-base}), registering one
 * {@link Chardev} service per front end with the ids of {@code frontends} ({@code serial0,monitor0}:
 * the UART and the monitor then find theirs as with any other backend). Ctrl-A x shuts every
 * machine down as {@code quit} does; Ctrl-A s flushes every block backend.
 *
 * <p>It registers several services, one per front end, so it takes the {@link BundleContext}
 * rather than being one DS service.
 */
@Component(immediate = true, service = {}, configurationPid = MuxChardevComponent.PID,
        configurationPolicy = ConfigurationPolicy.REQUIRE)
public final class MuxChardevComponent {

    /** Factory PID of the configurations. */
    public static final String PID = "osgemu.chardev.mux";
    /** Service property of each front end: the id of its mux. */
    public static final String MUX_PROPERTY = "mux";

    private static final System.Logger LOG = System.getLogger(MuxChardevComponent.class.getName());
    /** Matches no service: a configuration must say in {@code chardev.target} which backend to share. */
    static final String NO_BACKEND = Chardev.NO_TARGET;

    /** Configuration of a mux. */
    public @interface Config {
        /** Mux id ({@code -chardev stdio,mux=on,id=}); required. */
        String id();

        /** Front-end ids, comma-separated, in focus order (the console first); 1 to 4. */
        String frontends();
    }

    private final MuxChardev mux;
    private final List<MachineControl> machines = new CopyOnWriteArrayList<>();
    private final List<BlockBackend> drives = new CopyOnWriteArrayList<>();
    private final Set<Thread> workers = ConcurrentHashMap.newKeySet();
    private final List<ServiceRegistration<Chardev>> registrations = new ArrayList<>();

    @Activate
    public MuxChardevComponent(Config config, BundleContext context,
                               @Reference(name = "chardev", target = NO_BACKEND) Chardev backend) {
        String id = Configs.required(PID, "id", config.id());
        List<String> frontEnds = Arrays.stream(Configs.required(PID, "frontends", config.frontends()).split(","))
                .map(String::strip).toList();
        this.mux = new MuxChardev(id, backend, frontEnds, new EscapeActions(), System::currentTimeMillis);
        for (Chardev frontEnd : mux.frontEnds()) {
            Dictionary<String, Object> props = new Hashtable<>();
            props.put(Chardev.ID, frontEnd.id());
            props.put(MUX_PROPERTY, id);
            registrations.add(context.registerService(Chardev.class, frontEnd, props));
        }
        mux.open();
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC, unbind = "removeMachine")
    void addMachine(MachineControl machine) {
        machines.add(machine);
    }

    void removeMachine(MachineControl machine) {
        machines.remove(machine);
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC, unbind = "removeDrive")
    void addDrive(BlockBackend drive) {
        drives.add(drive);
    }

    void removeDrive(BlockBackend drive) {
        drives.remove(drive);
    }

    /** Unregisters the front ends, stops taking input and waits for a running escape action. */
    @Deactivate
    public void close() {
        for (ServiceRegistration<Chardev> registration : registrations) {
            try {
                registration.unregister();
            } catch (IllegalStateException alreadyGone) {
                // the framework is stopping and took it already
            }
        }
        mux.close();
        for (Thread worker : workers) {
            try {
                worker.join(5000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** The escapes' work, each on a thread of its own (see {@link MuxChardev.Actions} for why). */
    private final class EscapeActions implements MuxChardev.Actions {

        @Override
        public void quit() {
            run("quit", () -> {
                if (machines.isEmpty()) {
                    LOG.log(System.Logger.Level.WARNING, PID + " " + mux.id() + ": C-a x: there is no machine to end");
                }
                for (MachineControl machine : machines) {
                    machine.shutdown(ShutdownCause.HOST_QMP_QUIT, 0);
                }
            });
        }

        @Override
        public void syncDrives(Consumer<String> report) {
            run("sync", () -> {
                for (BlockBackend drive : drives) {
                    try {
                        drive.flush();
                    } catch (IOException | RuntimeException e) {
                        report.accept("osgemu: C-a s: flushing drive " + drive.id() + " failed: " + e.getMessage());
                    }
                }
            });
        }

        private void run(String what, Runnable action) {
            Thread worker = Thread.ofPlatform().name("osgemu-mux-" + mux.id() + "-" + what).daemon().unstarted(() -> {
                try {
                    action.run();
                } finally {
                    workers.remove(Thread.currentThread());
                }
            });
            workers.add(worker);
            worker.start();
        }
    }
}
