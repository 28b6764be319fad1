package org.osgemu.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.CoreOptions.bundle;
import static org.ops4j.pax.exam.CoreOptions.cleanCaches;
import static org.ops4j.pax.exam.CoreOptions.frameworkProperty;
import static org.ops4j.pax.exam.CoreOptions.junitBundles;
import static org.ops4j.pax.exam.CoreOptions.systemProperty;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import java.util.stream.Collectors;

import javax.inject.Inject;

import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.ops4j.pax.exam.util.Filter;
import org.osgemu.api.machine.MachineConfig;
import org.osgemu.api.machine.MachineControl;
import org.osgemu.api.machine.MachineFactory;
import org.osgemu.api.machine.RunState;
import org.osgemu.api.machine.ShutdownCause;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.framework.wiring.BundleRevision;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.runtime.ServiceComponentRuntime;
import org.osgi.service.component.runtime.dto.ComponentConfigurationDTO;
import org.osgi.service.component.runtime.dto.ComponentDescriptionDTO;
import org.osgi.service.component.runtime.dto.UnsatisfiedReferenceDTO;

/**
 * The distribution's bundle set in a real Felix framework: exactly the bundles of the executable
 * JAR the distribution build resolved (see {@link DistributionBundles}), with its run properties.
 * Every bundle starts, and once a virt machine with a few devices is assembled no Declarative
 * Services component is left unsatisfied or failed. A device bundle that stops takes its device
 * out of the memory map and the device tree; started again, the device is back.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class MachineAssemblyIT {

    private static final String UART_BUNDLE = "org.osgemu.device.uart16550";
    private static final String UART_RANGE = "0000000010000000-00000000100000ff";
    /** The locations of the distribution's bundles, as the configuration installed them, comma-separated. */
    private static final String DISTRIBUTION_LOCATIONS = "osgemu.itest.distribution.locations";

    @Inject
    BundleContext context;

    @Inject
    @Filter("(type=virt)")
    MachineFactory virt;

    @Inject
    ConfigurationAdmin configAdmin;

    @Inject
    ServiceComponentRuntime scr;

    @Configuration
    public Option[] config() throws IOException {
        Path directory = Files.createTempDirectory("osgemu-distribution-bundles");
        DistributionBundles distribution = DistributionBundles.extract(directory);
        List<Option> opts = new ArrayList<>(List.of(
                systemProperty("osgemu.baremetal").value(Osgemu.baremetal("hello.elf").toString()),
                systemProperty(DISTRIBUTION_LOCATIONS).value(distribution.bundles().stream()
                        .map(p -> p.toUri().toString()).collect(Collectors.joining(","))),
                junitBundles(),
                cleanCaches()));
        distribution.runProperties().forEach((key, value) -> opts.add(frameworkProperty(key).value(value)));
        for (Path jar : distribution.bundles()) {
            opts.add(bundle(jar.toUri().toString()));
        }
        return opts.toArray(Option[]::new);
    }

    @Test
    public void everyDistributionBundleIsActiveAndNoComponentIsLeftUnsatisfied() throws Exception {
        List<String> locations = Arrays.asList(System.getProperty(DISTRIBUTION_LOCATIONS).split(","));
        assertTrue("the distribution's bundles include the QMP server: " + locations,
                locations.stream().anyMatch(l -> l.contains("org.osgemu.qmp")));
        for (String location : locations) {
            assertNotNull("distribution bundle " + location + " is not installed", context.getBundle(location));
        }
        List<String> notActive = new ArrayList<>();
        for (Bundle b : context.getBundles()) {
            boolean fragment = (b.adapt(BundleRevision.class).getTypes() & BundleRevision.TYPE_FRAGMENT) != 0;
            int expected = fragment ? Bundle.RESOLVED : Bundle.ACTIVE;
            if (b.getState() != expected) {
                notActive.add(b.getSymbolicName() + " " + b.getVersion() + " is " + stateName(b.getState()) + ", expected "
                        + stateName(expected));
            }
        }
        assertTrue("bundles that did not start:\n" + String.join("\n", notActive), notActive.isEmpty());

        // In the distribution the bnd launcher registers the service carrying the command line;
        // here the test does, so the launcher's component has what it waits for.
        Dictionary<String, Object> launcherProps = new Hashtable<>();
        launcherProps.put("launcher.arguments", new String[] {"-M", "virt", "-S"});
        ServiceRegistration<Object> bndLauncher = context.registerService(Object.class, new Object(), launcherProps);
        Path disk = Files.createTempFile("osgemu-itest", ".img");
        List<org.osgi.service.cm.Configuration> configurations = new ArrayList<>();
        try {
            Files.write(disk, new byte[1 << 20]);
            configurations.add(configure("osgemu.block.raw", "id", "hd1", "file", disk.toString(), "readonly", "false",
                    "discard", "unmap", "machine", "itest1"));
            configurations.add(configure("osgemu.device.virtio-blk-device", "id", "disk1", "machine", "itest1",
                    "drive", "hd1", "drive.target", "(id=hd1)"));
            configurations.add(configure("osgemu.device.virtio-rng-device", "id", "rng1", "machine", "itest1"));
            MachineControl machine = virt.create(new MachineConfig("itest1", 64L << 20, 1, Optional.empty(),
                    Optional.of(Path.of(System.getProperty("osgemu.baremetal"))), Optional.empty(), "", true,
                    List.of("disk1", "rng1")));
            assertTrue("the devices are on the machine: " + machine.devices(),
                    machine.devices().stream().anyMatch(d -> d.type().equals("virtio-blk-device"))
                            && machine.devices().stream().anyMatch(d -> d.type().equals("virtio-rng-device")));
            awaitEmpty("components unsatisfied or failed", this::brokenComponents);
            machine.shutdown(ShutdownCause.HOST_QMP_QUIT, 0);
        } finally {
            bndLauncher.unregister();
            for (org.osgi.service.cm.Configuration c : configurations) {
                c.delete();
            }
            Files.deleteIfExists(disk);
        }
    }

    @Test
    public void machineAssemblesAndTheUartFollowsItsBundle() throws Exception {
        Path console = Files.createTempFile("osgemu-itest", ".console");
        configure("osgemu.chardev.file", "id", "serial0", "path", console.toString());

        MachineControl machine = virt.create(new MachineConfig("itest0", 64L << 20, 1, Optional.empty(),
                Optional.of(Path.of(System.getProperty("osgemu.baremetal"))), Optional.empty(), "", true, List.of()));
        assertEquals(RunState.PAUSED, machine.state());
        assertNotNull(context.getServiceReferences(MachineControl.class, "(name=itest0)"));
        assertTrue(machine.describeMemory(false), machine.describeMemory(false).contains(UART_RANGE));
        assertTrue(hasNode(machine, "serial@10000000"));
        assertTrue(hasNode(machine, "plic@c000000"));
        assertTrue(hasNode(machine, "clint@2000000"));

        Bundle uart = installedBundle(UART_BUNDLE);
        uart.stop();
        awaitTrue("UART gone from the memory map", () -> !machine.describeMemory(false).contains(UART_RANGE));
        assertFalse(hasNode(machine, "serial@10000000"));
        assertFalse(machine.devices().stream().anyMatch(d -> d.type().equals("ns16550a")));

        uart.start();
        awaitTrue("UART back in the memory map", () -> machine.describeMemory(false).contains(UART_RANGE));
        assertTrue(hasNode(machine, "serial@10000000"));

        // and the assembled machine runs the program to its end, printing through the UART
        machine.cont();
        assertEquals(0, machine.awaitShutdown());
        String printed = Files.readString(console, StandardCharsets.UTF_8);
        assertTrue(printed, printed.contains("Hello from osgemu bare metal"));
    }

    private org.osgi.service.cm.Configuration configure(String factoryPid, String... keysAndValues) throws IOException {
        Dictionary<String, Object> props = new Hashtable<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            props.put(keysAndValues[i], keysAndValues[i + 1]);
        }
        org.osgi.service.cm.Configuration c = configAdmin.createFactoryConfiguration(factoryPid, "?");
        c.update(props);
        return c;
    }

    /** Every component configuration waiting for a reference or whose activation failed, with why. */
    private List<String> brokenComponents() {
        List<String> broken = new ArrayList<>();
        for (ComponentDescriptionDTO description : scr.getComponentDescriptionDTOs()) {
            for (ComponentConfigurationDTO c : scr.getComponentConfigurationDTOs(description)) {
                String name = description.name + " (" + description.bundle.symbolicName + ", " + c.properties.get("id") + ")";
                if (c.state == ComponentConfigurationDTO.UNSATISFIED_REFERENCE) {
                    StringBuilder why = new StringBuilder(name + " waits for");
                    for (UnsatisfiedReferenceDTO r : c.unsatisfiedReferences) {
                        why.append(' ').append(r.name).append(r.target == null ? "" : " " + r.target);
                    }
                    broken.add(why.toString());
                } else if (c.state == ComponentConfigurationDTO.FAILED_ACTIVATION) {
                    broken.add(name + " failed to activate: " + c.failure);
                }
            }
        }
        return broken;
    }

    private Bundle installedBundle(String bsn) {
        for (Bundle b : context.getBundles()) {
            if (b.getSymbolicName().equals(bsn)) return b;
        }
        throw new AssertionError("bundle " + bsn + " is not installed");
    }

    private static String stateName(int state) {
        return switch (state) {
            case Bundle.INSTALLED -> "INSTALLED";
            case Bundle.RESOLVED -> "RESOLVED";
            case Bundle.STARTING -> "STARTING";
            case Bundle.STOPPING -> "STOPPING";
            case Bundle.ACTIVE -> "ACTIVE";
            default -> "state " + state;
        };
    }

    private static boolean hasNode(MachineControl machine, String nodeName) {
        byte[] dtb = machine.deviceTree();
        byte[] name = (nodeName + "\0").getBytes(StandardCharsets.US_ASCII);
        outer:
        for (int i = 0; i + name.length <= dtb.length; i++) {
            for (int j = 0; j < name.length; j++) {
                if (dtb[i + j] != name[j]) continue outer;
            }
            return true;
        }
        return false;
    }

    private static void awaitTrue(String what, BooleanSupplier condition) throws InterruptedException {
        for (int i = 0; i < 100; i++) {
            if (condition.getAsBoolean()) return;
            Thread.sleep(100);
        }
        throw new AssertionError("timed out waiting: " + what);
    }

    /** Waits up to 10 s for {@code problems} to become empty (components settle asynchronously). */
    private static void awaitEmpty(String what, Supplier<List<String>> problems) throws InterruptedException {
        List<String> last = problems.get();
        for (int i = 0; i < 100 && !last.isEmpty(); i++) {
            Thread.sleep(100);
            last = problems.get();
        }
        assertTrue(what + ":\n" + String.join("\n", last), last.isEmpty());
    }
}
