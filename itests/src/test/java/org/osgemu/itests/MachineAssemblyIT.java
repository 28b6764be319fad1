package org.osgemu.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.CoreOptions.bundle;
import static org.ops4j.pax.exam.CoreOptions.cleanCaches;
import static org.ops4j.pax.exam.CoreOptions.junitBundles;
import static org.ops4j.pax.exam.CoreOptions.mavenBundle;
import static org.ops4j.pax.exam.CoreOptions.options;
import static org.ops4j.pax.exam.CoreOptions.systemProperty;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;

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
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.service.cm.ConfigurationAdmin;

/**
 * The distribution's bundle set in a real Felix framework: the virt machine assembles from the
 * device services, and a device bundle that stops takes its device out of the memory map and the
 * device tree; started again, the device is back.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class MachineAssemblyIT {

    private static final String UART_BUNDLE = "org.osgemu.device.uart16550";
    private static final String UART_RANGE = "0000000010000000-00000000100000ff";

    @Inject
    BundleContext context;

    @Inject
    @Filter("(type=virt)")
    MachineFactory virt;

    @Inject
    ConfigurationAdmin configAdmin;

    @Configuration
    public Option[] config() throws IOException {
        List<Option> opts = new ArrayList<>(List.of(
                mavenBundle("org.apache.felix", "org.apache.felix.scr", "2.2.12"),
                mavenBundle("org.apache.felix", "org.apache.felix.configadmin", "1.9.26"),
                mavenBundle("org.apache.felix", "org.apache.felix.gogo.runtime", "1.1.6"),
                mavenBundle("org.osgi", "org.osgi.service.component", "1.5.1"),
                mavenBundle("org.osgi", "org.osgi.util.promise", "1.3.0"),
                mavenBundle("org.osgi", "org.osgi.util.function", "1.2.0"),
                systemProperty("osgemu.baremetal").value(Osgemu.baremetal("hello.elf").toString()),
                junitBundles(),
                cleanCaches()));
        try (Stream<Path> dirs = Files.list(Osgemu.TOP.resolve("bundles"))) {
            for (Path dir : dirs.sorted().toList()) {
                Path jar = dir.resolve("target").resolve(dir.getFileName() + "-0.1.0-SNAPSHOT.jar");
                if (Files.isRegularFile(jar)) {
                    opts.add(bundle(jar.toUri().toString()));
                }
            }
        }
        return opts.toArray(Option[]::new);
    }

    @Test
    public void machineAssemblesAndTheUartFollowsItsBundle() throws Exception {
        Path console = Files.createTempFile("osgemu-itest", ".console");
        Dictionary<String, Object> chardev = new Hashtable<>();
        chardev.put("id", "serial0");
        chardev.put("path", console.toString());
        configAdmin.createFactoryConfiguration("osgemu.chardev.file", "?").update(chardev);

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

    private Bundle installedBundle(String bsn) {
        for (Bundle b : context.getBundles()) {
            if (b.getSymbolicName().equals(bsn)) return b;
        }
        throw new AssertionError("bundle " + bsn + " is not installed");
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
}
