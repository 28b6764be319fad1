package org.osgemu.migration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.osgemu.api.device.Device;
import org.osgemu.api.machine.MachineListener;
import org.osgemu.api.machine.RunState;
import org.osgemu.api.migration.LoadContext;
import org.osgemu.api.migration.MigrationException;
import org.osgemu.api.migration.MigrationHandler;
import org.osgemu.api.migration.Section;
import org.osgemu.api.migration.SectionOutput;
import org.osgemu.migration.engine.Capability;
import org.osgemu.migration.engine.MigrationProgress;
import org.osgemu.migration.engine.MigrationStatus;
import org.osgemu.migration.service.MachineMigrations;
import org.osgemu.migration.service.PrecopyMigrationService;

/**
 * switchover-ack: the destination counts the handlers that need to approve, each approves once
 * its initial data is in, and only then goes SWITCHOVER_ACK to the source, which does not stop
 * the machine before, however little is left to send.
 */
class SwitchoverAckTest {

    /** A live device whose destination side approves the switchover only when the test says so. */
    static final class SlowToLoadDevice implements Device, MigrationHandler {
        final List<String> loaded = new CopyOnWriteArrayList<>();
        private volatile LoadContext context;

        @Override public String id() { return "slow0"; }
        @Override public String type() { return "slow-device"; }
        @Override public void reset() { }
        @Override public String idString() { return "slow-device"; }
        @Override public int instanceId() { return 0; }
        @Override public String label() { return "slow0"; }
        @Override public int version() { return 1; }
        @Override public boolean isLive() { return true; }
        @Override public boolean switchoverAckNeeded() { return true; }

        @Override
        public void setup(SectionOutput out) throws IOException {
            out.send("initial data".getBytes(StandardCharsets.UTF_8));
        }

        @Override
        public void complete(SectionOutput out) throws IOException {
            out.send("the rest".getBytes(StandardCharsets.UTF_8));
        }

        @Override
        public void loadSetup(LoadContext context) {
            this.context = context;
        }

        @Override
        public void load(Section section) {
            loaded.add(section.type().name());
        }

        /** The destination has digested the initial data. */
        void approve() throws MigrationException {
            context.approveSwitchover();
        }
    }

    private final PrecopyMigrationService service = new PrecopyMigrationService();

    @AfterEach
    void stopService() {
        service.deactivate();
    }

    @Test
    void theSourceKeepsRunningUntilTheAckEvenWithNothingLeftToSend() throws Exception {
        SlowToLoadDevice sender = new SlowToLoadDevice();
        SlowToLoadDevice receiver = new SlowToLoadDevice();
        try (TestMachine source = TestMachine.named("src").device(sender).build();
             TestMachine destination = TestMachine.named("dst").device(receiver).build()) {
            source.runtime.cont();
            long[] stoppedAt = new long[1];
            source.runtime.addListener(new MachineListener() {
                @Override
                public void stateChanged(RunState from, RunState to) {
                    if (to == RunState.FINISH_MIGRATE) {
                        stoppedAt[0] = System.nanoTime();
                    }
                }
            });
            MachineMigrations out = withAck(source);
            withAck(destination);
            service.incoming(destination.control(), "tcp:127.0.0.1:0", true);
            out.startOutgoing("tcp:127.0.0.1:" + service.of(destination.control()).incomingPort());
            Await.until("the destination to get the initial data", 10, () -> receiver.loaded.contains("START"));
            MigrationProgress progress = out.outgoingProgress();
            Await.until("a pass with nothing left", 10, () -> progress.snapshot().dirtySyncCount() >= 3);

            Thread.sleep(300);
            assertEquals(MigrationStatus.ACTIVE, progress.status(), "no ack, no switchover");
            assertEquals(RunState.RUNNING, source.runtime.state());
            assertEquals(0, progress.snapshot().remaining(), "nothing is pending: only the ack is missing");

            long approvedAt = System.nanoTime();
            receiver.approve();
            out.awaitOutgoing();

            assertEquals(MigrationStatus.COMPLETED, progress.status(), "error: " + progress.error());
            assertTrue(stoppedAt[0] > approvedAt, "the source stopped after the approval");
            assertEquals(List.of("START", "END"), receiver.loaded);
            Await.until("the destination to run", 10, () -> destination.runtime.state() == RunState.RUNNING);
        }
    }

    @Test
    void withNoHandlerThatNeedsItTheAckComesAtOnce() throws Exception {
        try (TestMachine source = TestMachine.named("src").build(); TestMachine destination = TestMachine.named("dst").build()) {
            source.runtime.cont();
            withAck(source);
            withAck(destination);
            service.incoming(destination.control(), "tcp:127.0.0.1:0", true);

            service.migrate(source.control(), "tcp:127.0.0.1:" + service.of(destination.control()).incomingPort());

            assertEquals(RunState.POSTMIGRATE, source.runtime.state());
            Await.until("the destination to run", 10, () -> destination.runtime.state() == RunState.RUNNING);
        }
    }

    @Test
    void aDestinationWithoutTheCapabilityNeverAcksAndTheSourceWaitsUntilCancelled() throws Exception {
        SlowToLoadDevice receiver = new SlowToLoadDevice();
        try (TestMachine source = TestMachine.named("src").device(new SlowToLoadDevice()).build();
             TestMachine destination = TestMachine.named("dst").device(receiver).build()) {
            source.runtime.cont();
            MachineMigrations out = withAck(source);
            service.incoming(destination.control(), "tcp:127.0.0.1:0", true);
            out.startOutgoing("tcp:127.0.0.1:" + service.of(destination.control()).incomingPort());
            Await.until("the destination to get the initial data", 10, () -> receiver.loaded.contains("START"));
            receiver.approve(); // without the capability here, an approval changes nothing
            Thread.sleep(300);
            assertEquals(MigrationStatus.ACTIVE, out.outgoingProgress().status());

            out.cancel();
            out.awaitOutgoing();

            assertEquals(MigrationStatus.CANCELLED, out.outgoingProgress().status());
            assertEquals(RunState.RUNNING, source.runtime.state());
        }
    }

    @Test
    void switchoverAckWithoutReturnPathIsRefusedWithQemusMessage() {
        try (TestMachine vm = TestMachine.named("vm").build()) {
            MachineMigrations migrations = service.of(vm.control());
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> migrations.settings().setCapabilities(Map.of(Capability.SWITCHOVER_ACK, true)));
            assertEquals("Capability 'switchover-ack' requires capability 'return-path'", e.getMessage());
            assertEquals(0, migrations.settings().capabilities().size(), "nothing changed");
        }
    }

    private MachineMigrations withAck(TestMachine machine) {
        MachineMigrations migrations = service.of(machine.control());
        migrations.settings().setCapabilities(Map.of(Capability.RETURN_PATH, true, Capability.SWITCHOVER_ACK, true));
        return migrations;
    }
}
