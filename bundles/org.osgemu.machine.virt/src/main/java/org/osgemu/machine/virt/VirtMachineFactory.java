package org.osgemu.machine.virt;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Dictionary;
import java.util.HashMap;
import java.util.Hashtable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import org.osgemu.api.component.ComponentProblems;
import org.osgemu.api.cpu.CpuTarget;
import org.osgemu.api.device.Device;
import org.osgemu.api.device.PlatformDevice;
import org.osgemu.api.machine.MachineConfig;
import org.osgemu.api.machine.MachineConfigException;
import org.osgemu.api.machine.MachineControl;
import org.osgemu.api.machine.MachineFactory;
import org.osgemu.api.machine.MachineRuntime;
import org.osgemu.api.machine.MachineRuntimeFactory;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
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

/**
 * Builds virt machines ({@code -M virt}) and is the whiteboard for their devices: every
 * {@link PlatformDevice} service is placed on the machine its {@code machine} property names,
 * whenever it appears, and removed when it goes. Onboard devices (UART, CLINT, PLIC, test
 * finisher, RTC, the GPIO controller with the power key) are created as configurations of their
 * own, like any {@code -device}, so a stopped device bundle takes its device out of the machine and
 * the device tree.
 */
@Component(service = MachineFactory.class, property = MachineFactory.TYPE + "=virt")
public final class VirtMachineFactory implements MachineFactory {

    /** Onboard devices: id, factory PID, extra properties. */
    private record Onboard(String id, String pid, Map<String, String> properties) {}

    private static final List<Onboard> ONBOARD = List.of(
            new Onboard("uart0", "osgemu.device.ns16550a", Map.of("chardev.target", "(id=serial0)")),
            new Onboard("clint0", "osgemu.device.clint", Map.of()),
            new Onboard("plic0", "osgemu.device.plic", Map.of()),
            new Onboard("test0", "osgemu.device.sifive_test", Map.of()),
            new Onboard("rtc0", "osgemu.device.goldfish_rtc", Map.of()),
            new Onboard("gpio0", "osgemu.device.sifive_gpio", Map.of()));

    private static final long DEVICE_WAIT_SECONDS = 15;
    /**
     * How long a device may wait for a reference that no service offers before that is its
     * problem: configurations created together are delivered to SCR one after the other.
     */
    private static final long REFERENCE_GRACE_NANOS = TimeUnit.SECONDS.toNanos(1);
    private static final long POLL_MILLIS = 50;

    private final BundleContext context;
    private final CpuTarget cpuTarget;
    private final MachineRuntimeFactory runtimes;
    private final ConfigurationAdmin configAdmin;
    private final ServiceComponentRuntime scr;
    private final Map<PlatformDevice, String> devices = new LinkedHashMap<>();
    private final Map<String, VirtMachine> machines = new HashMap<>();
    private final Map<String, List<Configuration>> onboardConfigs = new HashMap<>();
    private final Map<String, ServiceRegistration<MachineControl>> registrations = new HashMap<>();

    @Activate
    public VirtMachineFactory(BundleContext context,
                              @Reference(target = "(" + CpuTarget.ARCH + "=riscv64)") CpuTarget cpuTarget,
                              @Reference MachineRuntimeFactory runtimes,
                              @Reference ConfigurationAdmin configAdmin,
                              @Reference ServiceComponentRuntime scr) {
        this.context = context;
        this.cpuTarget = cpuTarget;
        this.runtimes = runtimes;
        this.configAdmin = configAdmin;
        this.scr = scr;
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addDevice(PlatformDevice device, Map<String, Object> properties) {
        String machineName = String.valueOf(properties.get(Device.MACHINE));
        VirtMachine machine;
        synchronized (this) {
            devices.put(device, machineName);
            machine = machines.get(machineName);
        }
        if (machine != null) {
            machine.plug(device);
            synchronized (this) {
                notifyAll();
            }
        }
    }

    void removeDevice(PlatformDevice device) {
        VirtMachine machine;
        synchronized (this) {
            machine = machines.get(devices.remove(device));
        }
        if (machine != null) {
            machine.unplug(device);
        }
    }

    @Override
    public String type() {
        return "virt";
    }

    @Override
    public String description() {
        return "RISC-V VirtIO board";
    }

    @Override
    public MachineControl create(MachineConfig config) throws MachineConfigException {
        synchronized (this) {
            if (machines.containsKey(config.name())) {
                throw new MachineConfigException("a machine named '" + config.name() + "' exists already");
            }
        }
        MachineRuntime runtime = runtimes.create(config.name(), "virt");
        VirtMachine machine;
        try {
            runtime.setActions(config.actions()); // before start: a guest may reset at its first instruction
            machine = new VirtMachine(config, runtime, cpuTarget);
        } catch (MachineConfigException | RuntimeException e) {
            runtime.destroy();
            throw e;
        }
        List<PlatformDevice> waiting = new ArrayList<>();
        synchronized (this) {
            machines.put(config.name(), machine);
            devices.forEach((d, m) -> {
                if (m.equals(config.name())) waiting.add(d);
            });
        }
        waiting.forEach(machine::plug);
        try {
            onboardConfigs.put(config.name(), createOnboardDevices(config.name()));
            List<String> expected = new ArrayList<>(ONBOARD.stream().map(Onboard::id).toList());
            expected.addAll(config.expectedDevices());
            awaitDevices(machine, expected);
        } catch (MachineConfigException e) {
            destroy(config.name());
            throw e;
        }
        try {
            machine.runtime().start(config.startPaused());
        } catch (RuntimeException e) {
            // the first reset loads the images: whatever fails there leaves no half-built machine behind
            destroy(config.name());
            throw new MachineConfigException("machine " + config.name() + " cannot start: " + e.getMessage(), e);
        }
        Dictionary<String, Object> props = new Hashtable<>();
        props.put(MachineControl.NAME, config.name());
        props.put("type", "virt");
        synchronized (this) {
            registrations.put(config.name(), context.registerService(MachineControl.class, machine.runtime(), props));
        }
        return machine.runtime();
    }

    @Deactivate
    void deactivate() {
        List<String> names;
        synchronized (this) {
            names = new ArrayList<>(machines.keySet());
        }
        names.forEach(this::destroy);
    }

    private List<Configuration> createOnboardDevices(String machineName) throws MachineConfigException {
        List<Configuration> created = new ArrayList<>();
        try {
            for (Onboard o : ONBOARD) {
                Configuration c = configAdmin.createFactoryConfiguration(o.pid(), "?");
                Dictionary<String, Object> props = new Hashtable<>(o.properties());
                props.put(Device.ID, o.id());
                props.put(Device.MACHINE, machineName);
                c.update(props);
                created.add(c);
            }
        } catch (IOException e) {
            throw new MachineConfigException("cannot configure the virt board's onboard devices: " + e.getMessage(), e);
        }
        return created;
    }

    /**
     * Waits until every device in {@code ids} is placed on {@code machine}. A device whose
     * component failed (a bad property, a backend that could not open its file) or that the board
     * refused ends the wait at once with its reason; one whose reference nothing offers, after a
     * grace; one that never shows up at all (no bundle provides its type), after the timeout.
     */
    private void awaitDevices(VirtMachine machine, List<String> ids) throws MachineConfigException {
        long start = System.nanoTime();
        long deadline = start + TimeUnit.SECONDS.toNanos(DEVICE_WAIT_SECONDS);
        while (true) {
            List<String> missing = ids.stream().filter(id -> !machine.hasDevice(id)).toList();
            if (missing.isEmpty()) {
                return;
            }
            boolean graceOver = System.nanoTime() - start >= REFERENCE_GRACE_NANOS;
            for (String id : missing) {
                Optional<String> why = machine.refusal(id);
                if (why.isPresent()) {
                    throw new MachineConfigException("device " + id + ": " + why.get());
                }
                // outside our monitor: SCR calls addDevice holding its own locks
                Optional<ComponentProblems.Problem> problem = ComponentProblems.find(scr,
                        p -> id.equals(p.get(Device.ID)) && machine.name().equals(p.get(Device.MACHINE)));
                if (problem.isPresent() && (problem.get().settled() || graceOver)) {
                    throw new MachineConfigException("device " + id + ": " + problem.get().reason());
                }
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new MachineConfigException("device(s) " + String.join(", ", missing) + " did not come up within "
                        + DEVICE_WAIT_SECONDS + " s: is a bundle providing each device type installed and started?");
            }
            synchronized (this) {
                try {
                    TimeUnit.NANOSECONDS.timedWait(this, Math.min(left, TimeUnit.MILLISECONDS.toNanos(POLL_MILLIS)));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new MachineConfigException("interrupted while waiting for devices " + missing);
                }
            }
        }
    }

    private void destroy(String name) {
        VirtMachine machine;
        ServiceRegistration<MachineControl> reg;
        List<Configuration> configs;
        synchronized (this) {
            machine = machines.remove(name);
            reg = registrations.remove(name);
            configs = onboardConfigs.remove(name);
        }
        if (reg != null) {
            try {
                reg.unregister();
            } catch (IllegalStateException alreadyGone) {
                // the framework is stopping
            }
        }
        if (configs != null && context.getBundle(0).getState() != Bundle.STOPPING) {
            for (Configuration c : configs) {
                try {
                    c.delete();
                } catch (IOException | IllegalStateException e) {
                    // ConfigAdmin is going away with the framework; nothing is left to clean
                }
            }
        }
        if (machine != null) {
            machine.runtime().destroy();
        }
    }
}
