package org.osgemu.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.osgi.service.component.runtime.dto.ComponentConfigurationDTO;

/** Configurations the launcher created: up, refused at once with the option's name, or timed out. */
class ConfigurationWaiterTest {

    private static final String NET_BACKEND = "org.osgemu.api.net.NetBackend";
    private static final String PORT_BUSY = """
            java.io.UncheckedIOException: osgemu.netdev.socket n0: cannot listen on :5555: Address already in use
            \tat org.osgemu.net.socket.SocketNetBackend.<init>(SocketNetBackend.java:86)
            Caused by: java.net.BindException: Address already in use
            """;

    private final FakeScr scr = new FakeScr();
    private final ConfigurationWaiter waiter = new ConfigurationWaiter(scr, 2, TimeUnit.SECONDS);
    private final ConfigurationWaiter.Awaited netdev = new ConfigurationWaiter.Awaited("netdev~1", "-netdev socket,id=n0,listen=:5555");
    private final ConfigurationWaiter.Awaited nic = new ConfigurationWaiter.Awaited("nic~1", "-device virtio-net-device,netdev=n0");

    @Test
    void upConfigurationsEndTheWait() throws InterruptedException {
        scr.component("netdev", List.of(NET_BACKEND)).add(FakeScr.config(ComponentConfigurationDTO.ACTIVE, "netdev~1", "n0", null));
        assertEquals(Optional.empty(), waiter.await(List.of(netdev), false));
    }

    @Test
    void aFailedBackendIsRefusedAtOnceWithItsOwnReason() throws InterruptedException {
        scr.component("netdev", List.of(NET_BACKEND))
                .add(FakeScr.config(ComponentConfigurationDTO.FAILED_ACTIVATION, "netdev~1", "n0", PORT_BUSY));
        long start = System.nanoTime();
        Optional<ConfigurationWaiter.Refusal> refusal = waiter.await(List.of(netdev), false);
        assertEquals(Optional.of(new ConfigurationWaiter.Refusal(netdev,
                "osgemu.netdev.socket n0: cannot listen on :5555: Address already in use")), refusal);
        assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(1), "a settled failure needs no waiting");
    }

    @Test
    void aDeviceThatCouldNotGetItsFailedBackendIsRefusedWithTheBackendsOptionAndReason() throws InterruptedException {
        List<org.osgi.service.component.runtime.dto.ComponentConfigurationDTO> netdevs = scr.component("netdev", List.of(NET_BACKEND));
        netdevs.add(FakeScr.config(ComponentConfigurationDTO.ACTIVE, "netdev~1", "n0", null));
        assertEquals(Optional.empty(), waiter.await(List.of(netdev), false));
        // the backend fails when the device binds it (as a delayed component would)
        netdevs.set(0, FakeScr.config(ComponentConfigurationDTO.FAILED_ACTIVATION, "netdev~1", "n0", PORT_BUSY));
        scr.component("nic", List.of()).add(FakeScr.config(ComponentConfigurationDTO.FAILED_ACTIVATION, "nic~1", "nic0",
                "org.osgi.service.component.ComponentException: Unable to get service for reference netdev"));
        assertEquals(Optional.of(new ConfigurationWaiter.Refusal(netdev,
                "osgemu.netdev.socket n0: cannot listen on :5555: Address already in use")), waiter.await(List.of(nic), true));
    }

    @Test
    void aDeviceWaitingForAReferenceIsRefusedOnceNothingElseIsOnItsWay() throws InterruptedException {
        scr.component("nic", List.of()).add(FakeScr.unsatisfied("nic~1", "nic0", "netdev", null));
        ConfigurationWaiter.Awaited other = new ConfigurationWaiter.Awaited("rng~1", "-device virtio-rng-device");
        // the other device's configuration has not reached SCR yet: it might be what the first waits for
        Thread later = Thread.ofVirtual().start(() -> {
            try {
                Thread.sleep(300);
            } catch (InterruptedException e) {
                return;
            }
            scr.component("rng", List.of()).add(FakeScr.config(ComponentConfigurationDTO.ACTIVE, "rng~1", "rng0", null));
        });
        long start = System.nanoTime();
        assertEquals(Optional.of(new ConfigurationWaiter.Refusal(nic, "reference 'netdev' has no target")),
                waiter.await(List.of(nic, other), true));
        long waited = System.nanoTime() - start;
        assertTrue(waited >= TimeUnit.MILLISECONDS.toNanos(250) && waited < TimeUnit.SECONDS.toNanos(2), "waited " + waited);
        later.interrupt();
    }

    @Test
    void withoutSettledOthersAReferenceIsOnlyAProblemAtTheTimeout() throws InterruptedException {
        scr.component("nic", List.of()).add(FakeScr.unsatisfied("nic~1", "nic0", "netdev", "(id=n0)"));
        long start = System.nanoTime();
        assertEquals(Optional.of(new ConfigurationWaiter.Refusal(nic, "reference 'netdev' has no target (id=n0)")),
                waiter.await(List.of(nic), false));
        assertTrue(System.nanoTime() - start >= TimeUnit.SECONDS.toNanos(2));
    }

    @Test
    void aConfigurationNoComponentTakesTimesOut() throws InterruptedException {
        assertEquals(Optional.of(new ConfigurationWaiter.Refusal(nic,
                "did not come up within 2 s (is the bundle that provides it started?)")), waiter.await(List.of(nic), true));
    }
}
