package org.osgemu.migration.engine;

import java.io.IOException;
import java.io.OutputStream;
import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.function.Supplier;

import org.osgemu.api.machine.MachineControl;
import org.osgemu.api.machine.RunState;
import org.osgemu.api.migration.LoadContext;
import org.osgemu.api.migration.MigrationException;
import org.osgemu.api.migration.MigrationHandler;
import org.osgemu.api.migration.Section;
import org.osgemu.api.migration.SectionType;
import org.osgemu.migration.stream.MachineLayout;
import org.osgemu.migration.stream.ReturnPath;
import org.osgemu.migration.stream.SectionHeader;
import org.osgemu.migration.stream.StreamReader;

/**
 * Loads a stream into a stopped machine (the destination's side of a migration, and the loading of
 * a snapshot). The stream's configuration must match the machine; each section goes to the
 * handler with its id string and instance, which must exist, carry the same label, be of the right
 * kind (live or not) and load the section's version; at the EOF marker every handler must have
 * had its sections. Only then are the held-back states applied, in priority order (clock, CPUs,
 * devices). Guest RAM is written as its sections arrive: {@link #touchedMachine()} tells whether
 * a failed load changed the machine.
 *
 * <p>Commands from the source: OPEN_RETURN_PATH opens the return path on the connection's other
 * direction, PING is answered with PONG. switchover-ack: when it is on, the handlers whose
 * {@link MigrationHandler#switchoverAckNeeded()} is true are counted after the configuration;
 * each approves once through its {@link LoadContext}; when none is left (at once when none needs
 * it) SWITCHOVER_ACK goes back to the source. At the end the return path carries SHUT, with the
 * error flag when the load failed.
 *
 * <p>Postcopy (see {@link Postcopy}): POSTCOPY_ADVISE is refused unless postcopy-ram is on here;
 * discards mark pages absent again; at POSTCOPY_LISTEN every RAM block gets an absent-page tracker
 * ({@link PostcopyDestination}); PACKAGED is read whole, its FULL sections loaded and, at its
 * POSTCOPY_RUN, applied (clock, CPUs, devices) and the machine started; this thread then goes on
 * reading the stream as QEMU's listen thread does: RAM pages fill only absent pages, END and EOF
 * close the load. A broken connection after RUN pauses (postcopy-paused, the guest runs on) until
 * {@link Postcopy#recover()} brings a new connection beginning with POSTCOPY_RESUME.
 *
 * <p>Drives ({@link BlockDrives}): a destination opened its images inactive, since its source
 * still ran on them; the load activates them once the whole state is there: after the stream's
 * EOF and before SHUT tells the source (so that a drive another process holds fails the migration
 * and the source takes its guest back), or in postcopy at POSTCOPY_RUN, before the machine runs.
 */
public final class IncomingLoader {

    private static final System.Logger LOG = System.getLogger(IncomingLoader.class.getName());

    /** What arrived for one handler. */
    private record Received(SectionHeader header, boolean ended) {}

    /** What the incoming migration gives a load for postcopy. */
    public interface Postcopy {
        /** Whether capability postcopy-ram is on here. */
        boolean enabled();

        /** POSTCOPY_RUN: the device state is loaded; the machine leaves inmigrate (and runs, as its autostart says). */
        void run(RunState sourceRunState) throws MigrationException;

        /** The load's status changed to a postcopy one. */
        void status(MigrationStatus status);

        /**
         * The connection broke in postcopy: waits for {@code migrate-recover} and returns the
         * connection a resuming source made; throws when the incoming migration is closed instead.
         */
        org.osgemu.migration.transport.Connection recover() throws MigrationException;
    }

    @FunctionalInterface
    private interface HandlerCall {
        void run() throws MigrationException;
    }

    private final MachineControl machine;
    private final PhaseTrace trace;
    private final HandlerSet handlers;
    private final boolean switchoverAck;
    private final Supplier<OutputStream> returnPathOutput;
    private final Map<MigrationHandler, Received> received = new IdentityHashMap<>();
    private final Map<Integer, MigrationHandler> bySectionId = new HashMap<>();
    private final Approvals approvals = new Approvals();
    private volatile boolean touchedMachine;
    private volatile ReturnPath.Writer returnPath;
    private final Postcopy postcopyHooks;
    private final BlockDrives drives;
    private boolean advised;
    private PostcopyDestination postcopy;
    /** Whether POSTCOPY_RUN applied the device state and started the machine. */
    private volatile boolean postcopyRan;

    /** A loader without return path and without switchover-ack (a file). */
    public IncomingLoader(MachineControl machine, HandlerSet handlers) {
        this(machine, handlers, false, null);
    }

    /**
     * @param switchoverAck whether the capability is on here
     * @param returnPathOutput the connection's way back, or null when it has none (a file)
     */
    public IncomingLoader(MachineControl machine, HandlerSet handlers, boolean switchoverAck, Supplier<OutputStream> returnPathOutput) {
        this(machine, handlers, switchoverAck, returnPathOutput, null);
    }

    /** @param postcopy what postcopy needs, or null when it cannot happen (postcopy is then refused at ADVISE) */
    public IncomingLoader(MachineControl machine, HandlerSet handlers, boolean switchoverAck, Supplier<OutputStream> returnPathOutput,
                          Postcopy postcopy) {
        this(machine, handlers, switchoverAck, returnPathOutput, postcopy, BlockDrives.NONE);
    }

    /** @param drives the machine's drives, activated once the state is loaded */
    public IncomingLoader(MachineControl machine, HandlerSet handlers, boolean switchoverAck, Supplier<OutputStream> returnPathOutput,
                          Postcopy postcopy, BlockDrives drives) {
        this.drives = java.util.Objects.requireNonNull(drives, "drives");
        this.machine = machine;
        this.trace = new PhaseTrace("machine " + machine.name() + ": loader");
        this.handlers = handlers;
        this.switchoverAck = switchoverAck;
        this.returnPathOutput = returnPathOutput;
        this.postcopyHooks = postcopy;
    }

    /** Whether postcopy started the machine (it left inmigrate at POSTCOPY_RUN). */
    public boolean postcopyRan() {
        return postcopyRan;
    }

    /** Whether the load got as far as changing the machine (guest RAM, device states). */
    public boolean touchedMachine() {
        return touchedMachine;
    }

    /** The source's run state when it stopped, or null when the stream does not say (a snapshot of a paused machine). */
    public RunState sourceRunState() {
        return handlers.globalState().loaded();
    }

    /**
     * Loads the stream from {@code channel}; with {@code endsAtEof} (a file) nothing may follow
     * the EOF marker.
     *
     * @throws MigrationException for a stream this machine cannot take, naming the section and field
     * @throws IOException when the channel fails
     */
    public void load(ReadableByteChannel channel, boolean endsAtEof) throws MigrationException, IOException {
        boolean loaded = false;
        StreamReader reader = new StreamReader(channel);
        try {
            int version = reader.readHeader();
            MachineLayout.decode(reader.readConfiguration(), version).checkFits(MachineLayout.of(machine));
            loadSections(reader, endsAtEof);
            trace.mark("handlers loaded");
            if (!postcopyRan) { // postcopy activated them at RUN
                drives.activateAll();
            }
            trace.mark("drives activated");
            loaded = true;
        } catch (IOException e) {
            if (endsAtEof) {
                throw e; // a file's reader says which file
            }
            throw new MigrationException("the connection broke " + reader.where() + ": "
                    + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()), e);
        } finally {
            closeReturnPath(!loaded);
        }
    }

    private void loadSections(StreamReader reader, boolean endsAtEof) throws MigrationException, IOException {
        if (switchoverAck) {
            approvals.expect((int) handlers.ordered().stream().filter(MigrationHandler::switchoverAckNeeded).count());
        }
        try {
            for (MigrationHandler h : handlers.ordered()) {
                call(h, () -> h.loadSetup(approvals));
            }
            while (true) {
                try {
                    StreamReader.StreamRecord record = reader.next();
                    if (record == null) {
                        break;
                    }
                    switch (record) {
                        case StreamReader.RawSection section -> deliver(section);
                        case StreamReader.RawCommand command -> obey(reader, command);
                    }
                } catch (IOException | MigrationException e) {
                    if (!postcopyRan) {
                        throw e;
                    }
                    recover(reader, e); // the guest runs here: wait for the source to come back
                }
            }
            trace.mark("eof read");
            if (endsAtEof) {
                reader.expectEnd();
            }
            checkEverythingArrived();
            touchedMachine = true;
            for (MigrationHandler h : handlers.ordered()) {
                if (!postcopyRan || h.isLive()) { // postcopy applied the others at RUN
                    call(h, h::loadComplete);
                }
            }
        } finally {
            for (MigrationHandler h : handlers.ordered()) {
                try {
                    h.loadCleanup();
                } catch (RuntimeException e) {
                    LOG.log(Level.WARNING, HandlerSet.describe(h) + ": cleanup after loading failed", e);
                }
            }
        }
    }

    private void obey(StreamReader reader, StreamReader.RawCommand command) throws MigrationException, IOException {
        switch (command.command()) {
            case POSTCOPY_ADVISE -> advise(command.payload());
            case POSTCOPY_RAM_DISCARD -> {
                requirePostcopyStep(command, advised && !postcopy.listening(), "after POSTCOPY_ADVISE and before POSTCOPY_LISTEN");
                postcopy.discard(command.payload());
            }
            case POSTCOPY_LISTEN -> {
                requirePostcopyStep(command, advised && !postcopy.listening() && returnPath != null,
                        "once, after POSTCOPY_ADVISE and OPEN_RETURN_PATH");
                touchedMachine = true;
                postcopy.listen(returnPath);
            }
            case PACKAGED -> {
                requirePostcopyStep(command, advised && postcopy.listening() && !postcopyRan, "once, after POSTCOPY_LISTEN");
                loadPackage(reader.readPackage(command.payload().getInt(0)));
            }
            case POSTCOPY_RUN -> throw new MigrationException("command POSTCOPY_RUN outside a package");
            case POSTCOPY_RESUME -> throw new MigrationException("command POSTCOPY_RESUME on a connection that is not resuming a postcopy");
            case OPEN_RETURN_PATH -> {
                if (returnPathOutput == null) {
                    throw new MigrationException("command OPEN_RETURN_PATH: this transport has no return path (the source "
                            + "has capability return-path on; a file cannot carry it)");
                }
                if (returnPath != null) {
                    throw new MigrationException("command OPEN_RETURN_PATH: the return path is already open");
                }
                returnPath = new ReturnPath.Writer(returnPathOutput.get());
                approvals.returnPathOpened();
            }
            case PING -> {
                int number = command.payload().getInt(0);
                ReturnPath.Writer rp = returnPath;
                if (rp == null) {
                    throw new MigrationException("command PING " + number + ": no return path is open to answer on");
                }
                try {
                    rp.pong(number);
                } catch (IOException e) {
                    throw new MigrationException("command PING " + number + ": cannot answer on the return path: " + e.getMessage(), e);
                }
            }
        }
    }

    private static void requirePostcopyStep(StreamReader.RawCommand command, boolean ok, String when) throws MigrationException {
        if (!ok) {
            throw new MigrationException("command " + command.command() + " out of order: it comes " + when);
        }
    }

    private void advise(ByteBuffer payload) throws MigrationException {
        if (postcopyHooks == null || !postcopyHooks.enabled()) {
            throw new MigrationException("command POSTCOPY_ADVISE: the source will use postcopy, but capability postcopy-ram is off "
                    + "on this destination (set it with migrate-set-capabilities before the stream arrives)");
        }
        long pageSize = payload.getLong(0);
        long targetPageSize = payload.getLong(8);
        if (pageSize != org.osgemu.api.memory.RamBlock.PAGE_SIZE || targetPageSize != org.osgemu.api.memory.RamBlock.PAGE_SIZE) {
            throw new MigrationException("command POSTCOPY_ADVISE: the source's pages are " + pageSize + " (target " + targetPageSize
                    + ") bytes, this build's " + org.osgemu.api.memory.RamBlock.PAGE_SIZE);
        }
        if (advised) {
            throw new MigrationException("command POSTCOPY_ADVISE came twice");
        }
        advised = true;
        postcopy = new PostcopyDestination(handlers);
    }

    /**
     * The package: FULL sections of handlers that are not live, then POSTCOPY_RUN, which applies
     * them (clock, CPUs, devices, in priority order) and starts the machine.
     */
    private void loadPackage(StreamReader pkg) throws MigrationException, IOException {
        StreamReader.StreamRecord record;
        boolean ran = false;
        while ((record = pkg.next()) != null) {
            if (ran) {
                throw new MigrationException("package: a record after POSTCOPY_RUN");
            }
            switch (record) {
                case StreamReader.RawSection section -> {
                    if (section.type() != SectionType.FULL) {
                        throw new MigrationException("package: " + section.describe() + " is a " + section.type()
                                + " section; a package holds FULL sections only");
                    }
                    deliver(section);
                }
                case StreamReader.RawCommand command -> {
                    if (command.command() != org.osgemu.migration.stream.StreamCommand.POSTCOPY_RUN) {
                        throw new MigrationException("package: command " + command.command() + "; a package holds POSTCOPY_RUN only");
                    }
                    runPostcopy();
                    ran = true;
                }
            }
        }
        if (!ran) {
            throw new MigrationException("package: it ends without POSTCOPY_RUN");
        }
    }

    private void runPostcopy() throws MigrationException {
        for (MigrationHandler h : handlers.ordered()) {
            if (!h.isLive() && !received.containsKey(h) && !handlers.optional(h)) {
                throw new MigrationException(HandlerSet.describe(h) + " is missing from the package, but this machine has it");
            }
        }
        touchedMachine = true;
        for (MigrationHandler h : handlers.ordered()) {
            if (!h.isLive() && received.containsKey(h)) {
                call(h, h::loadComplete);
            }
        }
        drives.activateAll(); // before the guest runs; a failure here is the whole migration's
        postcopyRan = true;
        postcopyHooks.status(MigrationStatus.POSTCOPY_ACTIVE); // before the guest runs, as whoever watches expects
        postcopyHooks.run(sourceRunState());
    }

    /**
     * The connection broke (or the stream went wrong) with the guest running here: postcopy-paused
     * until a source resumes on a new connection, which starts with a header and POSTCOPY_RESUME.
     */
    private void recover(StreamReader reader, Exception cause) throws MigrationException {
        postcopy.paused();
        returnPath = null;
        postcopyHooks.status(MigrationStatus.POSTCOPY_PAUSED);
        LOG.log(Level.WARNING, "machine " + machine.name() + ": postcopy paused, " + postcopy.absentPages()
                + " page(s) still absent: " + (cause.getMessage() == null ? cause.toString() : cause.getMessage()));
        while (true) {
            org.osgemu.migration.transport.Connection c = postcopyHooks.recover();
            try {
                reader.continueOn(c.input());
                reader.readHeader();
                StreamReader.StreamRecord first = reader.next();
                if (!(first instanceof StreamReader.RawCommand command)
                        || command.command() != org.osgemu.migration.stream.StreamCommand.POSTCOPY_RESUME) {
                    throw new MigrationException("a resumed connection must begin with command POSTCOPY_RESUME");
                }
                ReturnPath.Writer rp = new ReturnPath.Writer(c.returnPathOutput());
                postcopy.resumed(rp);
                returnPath = rp;
                postcopyHooks.status(MigrationStatus.POSTCOPY_ACTIVE);
                return;
            } catch (IOException | MigrationException | RuntimeException e) {
                LOG.log(Level.WARNING, "machine " + machine.name() + ": postcopy recovery failed: " + e.getMessage());
                c.close();
                postcopyHooks.status(MigrationStatus.POSTCOPY_PAUSED);
            }
        }
    }

    private void closeReturnPath(boolean failed) {
        ReturnPath.Writer rp = returnPath;
        if (rp != null) {
            try {
                rp.shut(failed);
            } catch (IOException e) {
                LOG.log(Level.DEBUG, "machine " + machine.name() + ": the source is gone before SHUT: " + e.getMessage());
            }
        }
    }

    private void deliver(StreamReader.RawSection section) throws MigrationException {
        SectionHeader header = section.header();
        MigrationHandler h = section.type().namesHandler() ? claim(section) : bySectionId.get(header.sectionId());
        Received before = received.get(h);
        received.put(h, new Received(before == null ? header : before.header(), section.type() == SectionType.END));
        if (h.isLive() && section.type() != SectionType.START) {
            touchedMachine = true;
        }
        int version = received.get(h).header().version();
        ByteBuffer payload = section.payload();
        call(h, () -> h.load(new Section(section.type(), version, payload)));
    }

    /** The handler a START or FULL section belongs to, after checking that it may take it. */
    private MigrationHandler claim(StreamReader.RawSection section) throws MigrationException {
        SectionHeader header = section.header();
        String name = header.describe();
        MigrationHandler h = handlers.find(header.idString(), header.instanceId());
        if (h == null) {
            throw new MigrationException(name + ": no such " + (SectionHeader.RAM.equals(header.idString()) ? "RAM block" : "device")
                    + " on this machine");
        }
        if (!h.label().equals(header.label())) {
            throw new MigrationException(name + ": instance " + header.instanceId() + " of '" + header.idString()
                    + "' on this machine is " + (h.label().isEmpty() ? "unnamed" : "'" + h.label() + "'") + ", not '" + header.label() + "'");
        }
        if (received.containsKey(h)) {
            throw new MigrationException(name + ": a second " + section.type() + " section for it");
        }
        if (h.isLive() && section.type() == SectionType.FULL) {
            throw new MigrationException(name + ": a FULL section, but this machine loads it live (START, PART..., END)");
        }
        if (!h.isLive() && section.type() == SectionType.START) {
            throw new MigrationException(name + ": a START section, but this machine loads it from one FULL section");
        }
        if (header.version() < h.minimumVersion() || header.version() > h.version()) {
            throw new MigrationException(name + " version " + Integer.toUnsignedString(header.version()) + ": this build loads "
                    + h.minimumVersion() + ".." + h.version());
        }
        bySectionId.put(header.sectionId(), h);
        return h;
    }

    private void checkEverythingArrived() throws MigrationException {
        for (MigrationHandler h : handlers.ordered()) {
            Received r = received.get(h);
            if (r == null) {
                if (handlers.optional(h)) {
                    continue;
                }
                throw new MigrationException(HandlerSet.describe(h) + " is missing from the stream, but this machine has it");
            }
            if (h.isLive() && !r.ended()) {
                throw new MigrationException(HandlerSet.describe(h) + ": the stream ends without its END section");
            }
        }
    }

    private static void call(MigrationHandler h, HandlerCall call) throws MigrationException {
        try {
            call.run();
        } catch (MigrationException e) {
            throw new MigrationException(HandlerSet.describe(h) + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            throw new MigrationException(HandlerSet.describe(h) + ": cannot load: " + e, e);
        }
    }

    /**
     * The destination's side of switchover-ack, and the {@link LoadContext} handlers get: counts
     * the approvals still due and sends SWITCHOVER_ACK once none is, as soon as the return path is
     * open. Handlers may approve from threads of their own.
     */
    private final class Approvals implements LoadContext {
        private int pending;
        private boolean ackSent;

        synchronized void expect(int count) {
            pending = count;
        }

        @Override
        public boolean switchoverAck() {
            return switchoverAck;
        }

        @Override
        public void approveSwitchover() throws MigrationException {
            if (!switchoverAck) {
                return;
            }
            synchronized (this) {
                if (pending == 0) {
                    throw new MigrationException("approved the switchover, but no handler's approval is still due");
                }
                pending--;
            }
            sendAckIfDue();
        }

        void returnPathOpened() throws MigrationException {
            if (switchoverAck) {
                sendAckIfDue();
            }
        }

        private void sendAckIfDue() throws MigrationException {
            ReturnPath.Writer rp = returnPath;
            synchronized (this) {
                if (pending > 0 || ackSent || rp == null) {
                    return;
                }
                ackSent = true;
            }
            try {
                rp.switchoverAck();
            } catch (IOException e) {
                throw new MigrationException("Could not send switchover ack RP MSG: " + e.getMessage(), e);
            }
        }
    }
}
