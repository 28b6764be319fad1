package org.osgemu.migration.engine;

import java.io.IOException;

import org.osgemu.api.migration.MigrationException;
import org.osgemu.api.migration.MigrationHandler;
import org.osgemu.api.migration.Section;
import org.osgemu.api.migration.SectionOutput;
import org.osgemu.api.vmstate.Migratable;
import org.osgemu.api.vmstate.VMStateDescription;
import org.osgemu.api.vmstate.VMStateException;

/**
 * A device or CPU whose state is a VMState record: one FULL section named by the description
 * (id string and version) and the device id or hart (label). Loading decodes and checks the
 * record as soon as the section arrives, but hands it to the device only in
 * {@link #loadComplete()}, once the whole stream was found good.
 *
 * @param <S> the state record
 */
final class VMStateHandler<S extends Record> implements MigrationHandler {

    private final Migratable<S> target;
    private final VMStateDescription<S> description;
    private final String label;
    private final int instanceId;
    private final int priority;
    private S loaded;

    private VMStateHandler(Migratable<S> target, String label, int instanceId, int priority) {
        this.target = target;
        this.description = target.vmstate();
        this.label = label;
        this.instanceId = instanceId;
        this.priority = priority;
    }

    static VMStateHandler<?> of(Migratable<?> target, String label, int instanceId, int priority) {
        return new VMStateHandler<>(target, label, instanceId, priority);
    }

    @Override public String idString() { return description.name(); }
    @Override public int instanceId() { return instanceId; }
    @Override public String label() { return label; }
    @Override public int version() { return description.version(); }
    @Override public int minimumVersion() { return description.minimumVersion(); }
    @Override public int priority() { return priority; }

    @Override
    public void complete(SectionOutput out) throws IOException {
        out.send(description.save(target.saveState()));
    }

    /** A bad field is refused with the description's message, which names it ({@code ns16550a.ier: ...}). */
    @Override
    public void load(Section section) throws MigrationException {
        byte[] data = new byte[section.payload().remaining()];
        section.payload().get(data);
        try {
            loaded = description.load(data, section.version());
        } catch (VMStateException e) {
            throw new MigrationException(e.getMessage(), e);
        }
    }

    @Override
    public void loadComplete() throws MigrationException {
        if (loaded == null) {
            throw new IllegalStateException("no state was loaded for " + description.name() + " " + label);
        }
        try {
            target.loadState(loaded);
        } catch (VMStateException e) {
            throw new MigrationException(e.getMessage(), e);
        }
    }

    @Override
    public void loadCleanup() {
        loaded = null;
    }
}
