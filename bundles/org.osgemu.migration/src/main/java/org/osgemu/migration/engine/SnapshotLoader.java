package org.osgemu.migration.engine;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.channels.ReadableByteChannel;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.Map;

import org.osgemu.api.machine.MachineControl;
import org.osgemu.api.migration.MigrationException;
import org.osgemu.api.migration.MigrationHandler;
import org.osgemu.api.migration.Section;
import org.osgemu.api.migration.SectionType;
import org.osgemu.migration.stream.MachineLayout;
import org.osgemu.migration.stream.SectionHeader;
import org.osgemu.migration.stream.StreamReader;

/**
 * Loads a stream into a stopped machine. The stream's configuration must match the machine;
 * each section goes to the handler with its id string and instance, which must exist, carry the
 * same label, be of the right kind (live or not) and load the section's version; at the EOF
 * marker every handler must have had its sections. Only then are the held-back states applied,
 * in priority order (clock, CPUs, devices). Guest RAM is written as its sections arrive:
 * {@link #touchedMachine()} tells whether a failed load changed the machine.
 */
public final class SnapshotLoader {

    private static final System.Logger LOG = System.getLogger(SnapshotLoader.class.getName());

    /** What arrived for one handler. */
    private record Received(SectionHeader header, boolean ended) {}

    @FunctionalInterface
    private interface HandlerCall {
        void run() throws MigrationException;
    }

    private final MachineControl machine;
    private final HandlerSet handlers;
    private final Map<MigrationHandler, Received> received = new IdentityHashMap<>();
    private final Map<Integer, MigrationHandler> bySectionId = new HashMap<>();
    private volatile boolean touchedMachine;

    public SnapshotLoader(MachineControl machine, HandlerSet handlers) {
        this.machine = machine;
        this.handlers = handlers;
    }

    /** Whether the load got as far as changing the machine (guest RAM, device states). */
    public boolean touchedMachine() {
        return touchedMachine;
    }

    /**
     * Loads the stream from {@code channel}; with {@code endsAtEof} (a file) nothing may follow
     * the EOF marker.
     *
     * @throws MigrationException for a stream this machine cannot take, naming the section and field
     * @throws IOException when the channel fails
     */
    public void load(ReadableByteChannel channel, boolean endsAtEof) throws MigrationException, IOException {
        StreamReader reader = new StreamReader(channel);
        reader.readHeader();
        MachineLayout.decode(reader.readConfiguration()).checkFits(MachineLayout.of(machine));
        try {
            for (MigrationHandler h : handlers.ordered()) {
                call(h, h::loadSetup);
            }
            StreamReader.RawSection section;
            while ((section = reader.next()) != null) {
                deliver(section);
            }
            if (endsAtEof) {
                reader.expectEnd();
            }
            checkEverythingArrived();
            touchedMachine = true;
            for (MigrationHandler h : handlers.ordered()) {
                call(h, h::loadComplete);
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

    private void deliver(StreamReader.RawSection section) throws MigrationException {
        SectionHeader header = section.header();
        MigrationHandler h = section.type().namesHandler() ? claim(section) : bySectionId.get(header.sectionId());
        Received before = received.get(h);
        received.put(h, new Received(before == null ? header : before.header(), section.type() == SectionType.END));
        if (h.isLive() && section.type() != SectionType.START) {
            touchedMachine = true;
        }
        int version = received.get(h).header().version();
        call(h, () -> h.load(new Section(section.type(), version, section.payload())));
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
}
