package org.osgemu.api.migration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.lang.reflect.Proxy;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.osgemu.api.machine.MachineControl;

/** What handlers and services get from the interfaces' default methods. */
class MigrationDefaultsTest {

    private final List<String> calls = new ArrayList<>();

    /** A handler that implements only what it must, version 4. */
    private final MigrationHandler handler = new MigrationHandler() {
        @Override public String idString() { return "clint"; }
        @Override public int instanceId() { return 0; }
        @Override public String label() { return "clint0"; }
        @Override public int version() { return 4; }
        @Override public void complete(SectionOutput out) { }
        @Override public void load(Section section) { }
        @Override public void loadSetup() { calls.add("loadSetup"); }
        @Override public PendingBytes pendingEstimate() { return new PendingBytes(7, 0); }
    };

    @Test
    void aPlainHandlerLoadsOnlyItsOwnVersionAndSendsOneFullSection() {
        assertEquals(4, handler.minimumVersion());
        assertEquals(MigrationHandler.PRIORITY_DEFAULT, handler.priority());
        assertFalse(handler.isLive());
        assertFalse(handler.switchoverAckNeeded());
    }

    @Test
    void theExactPendingCountDefaultsToTheEstimate() {
        assertEquals(new PendingBytes(7, 0), handler.pendingExact());
    }

    @Test
    void loadSetupWithAContextFallsBackToThePlainOne() throws MigrationException {
        handler.loadSetup(LoadContext.NONE);

        assertEquals(List.of("loadSetup"), calls);
    }

    @Test
    void theContextWithoutSwitchoverAckAcceptsApprovals() throws MigrationException {
        assertFalse(LoadContext.NONE.switchoverAck());
        LoadContext.NONE.approveSwitchover();
        LoadContext.NONE.approveSwitchover();
    }

    @Test
    void incomingWithAutostartLoadsFirstThenContinues() throws MigrationException {
        MachineControl machine = recordingMachine();

        service().incoming(machine, "file:/tmp/vm.mig", true);

        assertEquals(List.of("incoming file:/tmp/vm.mig", "cont"), calls);
    }

    @Test
    void incomingWithoutAutostartLeavesTheMachinePaused() throws MigrationException {
        service().incoming(recordingMachine(), "file:/tmp/vm.mig", false);

        assertEquals(List.of("incoming file:/tmp/vm.mig"), calls);
    }

    @Test
    void aRefusedStreamIsNotContinued() {
        MigrationService failing = service((uri) -> {
            throw new MigrationException("section 'ram': truncated");
        });

        MigrationException e = assertThrows(MigrationException.class,
                () -> failing.incoming(recordingMachine(), "file:/bad", true));

        assertEquals("section 'ram': truncated", e.getMessage());
        assertEquals(List.of(), calls);
    }

    private interface Incoming {
        void incoming(String uri) throws MigrationException;
    }

    private MigrationService service() {
        return service(uri -> calls.add("incoming " + uri));
    }

    private static MigrationService service(Incoming incoming) {
        return new MigrationService() {
            @Override public void save(MachineControl m, WritableByteChannel target) { }
            @Override public void save(MachineControl m, Path file) { }
            @Override public void load(MachineControl m, ReadableByteChannel source) { }
            @Override public void load(MachineControl m, Path file) { }
            @Override public void migrate(MachineControl m, String uri) { }
            @Override public void incoming(MachineControl m, String uri) throws MigrationException {
                incoming.incoming(uri);
            }
        };
    }

    /** A machine that records {@code cont} and refuses everything else. */
    private MachineControl recordingMachine() {
        return (MachineControl) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {MachineControl.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("cont")) {
                        calls.add("cont");
                        return null;
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
    }
}
