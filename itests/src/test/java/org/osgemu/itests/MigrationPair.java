package org.osgemu.itests;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A migration's two osgemu processes for a system test: the source, started with the guest and a
 * QMP socket, and destinations started with {@code -incoming} and a QMP socket of their own,
 * everything in one temporary directory. Closing kills what still runs.
 */
final class MigrationPair implements AutoCloseable {

    final MigrationGuest guest;
    final Path dir;
    final Osgemu source;
    final MigrationQmp sourceQmp;
    private final List<Osgemu> destinations = new ArrayList<>();
    private final List<MigrationQmp> clients = new ArrayList<>();
    private int started;

    private MigrationPair(MigrationGuest guest, Path dir, Osgemu source, MigrationQmp sourceQmp) {
        this.guest = guest;
        this.dir = dir;
        this.source = source;
        this.sourceQmp = sourceQmp;
    }

    /** Starts the source with {@code extra} options and waits until its guest works. */
    static MigrationPair start(MigrationGuest guest, String... extra) throws Exception {
        Path dir = Files.createTempDirectory("osgemu-migration");
        Path socket = dir.resolve("source-qmp.sock");
        List<String> args = guest.machine(extra);
        args.addAll(List.of("-qmp", "unix:" + socket + ",server=on,wait=off"));
        Osgemu source = Osgemu.start(args.toArray(String[]::new));
        try {
            MigrationQmp qmp = MigrationQmp.connect(socket, source);
            guest.awaitWorking(source, 180);
            return new MigrationPair(guest, dir, source, qmp);
        } catch (Exception | AssertionError e) {
            kill(source);
            try {
                guest.afterwards();
            } catch (Exception | AssertionError also) {
                e.addSuppressed(also);
            }
            throw e;
        }
    }

    /** A destination process: {@code -incoming incoming}, the guest's machine and {@code extra} options. */
    Destination destination(String incoming, String... extra) throws Exception {
        Path socket = dir.resolve("destination-" + ++started + "-qmp.sock");
        List<String> args = guest.machine(extra);
        args.addAll(List.of("-qmp", "unix:" + socket + ",server=on,wait=off", "-incoming", incoming));
        Osgemu vm = Osgemu.start(args.toArray(String[]::new));
        destinations.add(vm);
        MigrationQmp qmp = MigrationQmp.connect(socket, vm);
        clients.add(qmp);
        return new Destination(vm, qmp);
    }

    /** A path for a unix socket in the test's directory. */
    Path socket(String name) {
        return dir.resolve(name);
    }

    /** A destination process and its QMP client. */
    record Destination(Osgemu vm, MigrationQmp qmp) {
    }

    /** Kills the emulator at once, as a crash would: the JVM first (the script runs it as a child), then the script. */
    static void kill(Osgemu vm) throws InterruptedException {
        for (ProcessHandle child : vm.process().descendants().toList()) {
            child.destroyForcibly();
            child.onExit().join();
        }
        vm.process().destroyForcibly().waitFor();
    }

    /** Kills both sides, then lets the guest check what it left behind ({@link MigrationGuest#afterwards()}). */
    @Override
    public void close() throws Exception {
        for (MigrationQmp c : clients) {
            c.close();
        }
        sourceQmp.close();
        for (Osgemu vm : destinations) {
            kill(vm);
        }
        kill(source);
        guest.afterwards();
    }
}
