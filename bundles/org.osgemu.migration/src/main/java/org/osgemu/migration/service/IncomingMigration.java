package org.osgemu.migration.service;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import org.osgemu.api.machine.MachineControl;
import org.osgemu.api.machine.RunState;
import org.osgemu.api.machine.ShutdownCause;
import org.osgemu.api.migration.MigrationException;
import org.osgemu.migration.engine.BlockDrives;
import org.osgemu.migration.engine.HandlerSet;
import org.osgemu.migration.engine.IncomingLoader;
import org.osgemu.migration.engine.MigrationStatus;
import org.osgemu.migration.engine.PhaseTrace;
import org.osgemu.migration.transport.Connection;
import org.osgemu.migration.transport.MigrationUri;
import org.osgemu.migration.transport.Transports;

/**
 * One incoming migration of a machine, in the background: waits for the source on a listening
 * socket (or opens the file), loads the stream into the machine (held in inmigrate), then leaves
 * it paused, or running when {@code autostart} and the source ran. A stream that fails to load is
 * reported with the loader's message, which names the section and field; with
 * {@code exitOnError} the machine then shuts down with exit status 1 (QEMU's default for
 * {@code -incoming}), else it stays in inmigrate, waiting for another {@code migrate-incoming}.
 *
 * <p>Postcopy: the machine runs from the package's POSTCOPY_RUN on (status postcopy-active); a
 * broken connection pauses (postcopy-paused, the guest goes on, threads needing an absent page
 * wait) until {@link #recover} listens again (postcopy-recover) and the source resumes.
 */
final class IncomingMigration implements Runnable {

    private static final System.Logger LOG = System.getLogger(IncomingMigration.class.getName());

    /** Told when the status changes. */
    interface StatusSink {
        void status(MigrationStatus status);
    }

    private final MachineControl machine;
    private final Transports.Listener listener;
    private final BooleanSupplier switchoverAck;
    private final boolean exitOnError;
    private final boolean autostart;
    private final StatusSink sink;
    private final BlockDrives drives;
    private final CountDownLatch done = new CountDownLatch(1);
    private final Thread thread;
    private volatile MigrationStatus status = MigrationStatus.SETUP;
    private volatile String error;
    private volatile Connection connection;
    private volatile boolean closing;
    private final int port;
    private final BooleanSupplier postcopyRam;
    private final Object recoverLock = new Object();
    private final PhaseTrace trace;
    /** migrate-recover's listener, until the paused load takes it; guarded by recoverLock. */
    private Transports.Listener recoverListener;
    /** The listener a paused load waits on, for close(). */
    private volatile Transports.Listener waitingOn;

    /** @param switchoverAck whether the capability is on, asked when the source connects */
    IncomingMigration(MachineControl machine, Transports.Listener listener, BooleanSupplier switchoverAck, boolean exitOnError,
                      boolean autostart, StatusSink sink) {
        this(machine, listener, switchoverAck, () -> false, exitOnError, autostart, sink, BlockDrives.NONE);
    }

    /**
     * @param postcopyRam whether capability postcopy-ram is on, asked when the source advises postcopy
     * @param drives the machine's drives, activated once the state arrived
     */
    IncomingMigration(MachineControl machine, Transports.Listener listener, BooleanSupplier switchoverAck, BooleanSupplier postcopyRam,
                      boolean exitOnError, boolean autostart, StatusSink sink, BlockDrives drives) {
        this.drives = drives;
        this.postcopyRam = postcopyRam;
        this.machine = machine;
        this.trace = new PhaseTrace("machine " + machine.name() + ": incoming");
        this.listener = listener;
        this.switchoverAck = switchoverAck;
        this.exitOnError = exitOnError;
        this.autostart = autostart;
        this.sink = sink;
        this.thread = Thread.ofVirtual().name("migration-incoming-" + machine.name()).unstarted(this);
        this.port = listener.port();
    }

    void start() {
        sink.status(MigrationStatus.SETUP);
        thread.start();
    }

    MigrationStatus status() {
        return status;
    }

    /** Why the load failed, or null. */
    String error() {
        return error;
    }

    /** The URI listened on. */
    MigrationUri uri() {
        return listener.uri();
    }

    /** The TCP port listened on, or -1. */
    int port() {
        return port;
    }

    /** Waits until the load ended (or {@code millis} passed); returns whether it ended. */
    boolean await(long millis) throws InterruptedException {
        return done.await(millis, TimeUnit.MILLISECONDS);
    }

    /**
     * QEMU's {@code migrate-recover}: a postcopy paused by a broken connection listens on
     * {@code uri} for the source's {@code migrate ... resume}. Listening starts before this
     * returns, so an address in use is reported here.
     */
    void recover(MigrationUri uri) throws MigrationException {
        if (status != MigrationStatus.POSTCOPY_PAUSED) {
            throw new MigrationException("Migrate recover can only be run when postcopy is paused.");
        }
        Transports.Listener l = Transports.listen(uri);
        status(MigrationStatus.POSTCOPY_RECOVER);
        synchronized (recoverLock) {
            if (recoverListener != null) {
                recoverListener.close();
            }
            recoverListener = l;
            recoverLock.notifyAll();
        }
    }

    /** The TCP port migrate-recover listens on, or -1. */
    int recoverPort() {
        Transports.Listener l = waitingOn;
        synchronized (recoverLock) {
            l = recoverListener != null ? recoverListener : l;
        }
        return l == null ? -1 : l.port();
    }

    /** The paused load waits here for migrate-recover, then for the source to connect. */
    private Connection awaitRecovery() throws MigrationException {
        Transports.Listener l;
        synchronized (recoverLock) {
            while (recoverListener == null) {
                if (closing) {
                    throw new MigrationException("the incoming migration ended while postcopy was paused");
                }
                try {
                    recoverLock.wait(1_000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new MigrationException("interrupted while postcopy was paused", e);
                }
            }
            l = recoverListener;
        }
        waitingOn = l;
        try {
            Connection c = l.accept();
            connection = c;
            return c;
        } finally {
            synchronized (recoverLock) {
                if (recoverListener == l) {
                    recoverListener = null;
                }
            }
            l.close();
            waitingOn = null;
        }
    }

    /** Stops waiting or loading (the component goes away): no exit, no error report. */
    void close() {
        closing = true;
        listener.close();
        Transports.Listener waiting = waitingOn;
        if (waiting != null) {
            waiting.close();
        }
        synchronized (recoverLock) {
            recoverLock.notifyAll();
        }
        Connection c = connection;
        if (c != null) {
            c.close();
        }
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void run() {
        try {
            connection = listener.accept();
            trace.mark("accepted");
            status(MigrationStatus.ACTIVE);
            HandlerSet handlers = HandlerSet.of(machine);
            Connection c = connection;
            IncomingLoader loader = new IncomingLoader(machine, handlers, switchoverAck.getAsBoolean(),
                    c.hasReturnPath() ? c::returnPathOutput : null, postcopy(), drives);
            loader.load(c.input(), listener.uri().transport() == MigrationUri.Transport.FILE);
            trace.mark("loaded");
            connection.close();
            if (loader.postcopyRan()) {
                status(MigrationStatus.COMPLETED); // the machine left inmigrate at POSTCOPY_RUN
                return;
            }
            machine.transitionForMigration(RunState.INMIGRATE, RunState.PAUSED);
            RunState source = loader.sourceRunState();
            boolean run = autostart && (source == null || source == RunState.RUNNING);
            status(MigrationStatus.COMPLETED);
            if (run) {
                machine.cont();
            }
            trace.mark("running");
        } catch (MigrationException | IOException | RuntimeException e) {
            fail(e);
        } finally {
            Connection c = connection;
            if (c != null) {
                c.close();
            }
            listener.close();
            done.countDown();
        }
    }

    private IncomingLoader.Postcopy postcopy() {
        return new IncomingLoader.Postcopy() {
            @Override
            public boolean enabled() {
                return postcopyRam.getAsBoolean();
            }

            @Override
            public void run(RunState source) {
                machine.transitionForMigration(RunState.INMIGRATE, RunState.PAUSED);
                if (autostart && (source == null || source == RunState.RUNNING)) {
                    machine.cont();
                }
            }

            @Override
            public void status(MigrationStatus next) {
                IncomingMigration.this.status(next);
            }

            @Override
            public Connection recover() throws MigrationException {
                return awaitRecovery();
            }
        };
    }

    private void fail(Exception e) {
        if (closing) {
            status(MigrationStatus.FAILED);
            return;
        }
        String message = e instanceof MigrationException ? e.getMessage()
                : e instanceof IOException io ? "cannot read the stream from " + listener.uri() + ": " + Transports.describe(io, null)
                : e.toString();
        error = message;
        status(MigrationStatus.FAILED);
        // QEMU reports a failed incoming migration on stderr; a person starting -incoming reads it there
        LOG.log(Level.ERROR, "machine " + machine.name() + ": load of migration failed: " + message,
                e instanceof RuntimeException ? e : null);
        if (exitOnError) {
            machine.shutdown(ShutdownCause.HOST_ERROR, 1);
        }
    }

    private void status(MigrationStatus next) {
        status = next;
        sink.status(next);
    }
}
