package org.osgemu.migration.engine;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

import org.osgemu.api.machine.RunState;
import org.osgemu.api.migration.MigrationException;
import org.osgemu.api.migration.MigrationHandler;
import org.osgemu.api.migration.Section;
import org.osgemu.api.migration.SectionOutput;
import org.osgemu.migration.stream.PayloadReader;

/**
 * The source's run state when it stopped for the switchover (id string {@code globalstate}, as
 * QEMU's section): the destination runs the machine once loaded only when the source was
 * running. One FULL section holding the state's QAPI name. Optional in a stream: snapshot files
 * of a paused machine are written without it.
 */
final class GlobalStateHandler implements MigrationHandler {

    static final String ID = "globalstate";
    private static final int VERSION = 1;

    private volatile RunState saved = RunState.RUNNING;
    private volatile RunState loaded;

    @Override public String idString() { return ID; }
    @Override public int instanceId() { return 0; }
    @Override public String label() { return ""; }
    @Override public int version() { return VERSION; }

    /** Source: the run state the machine had just before the migration stopped it. */
    void record(RunState state) {
        saved = state;
    }

    /** Destination: the run state the stream carried, or null when it had none. */
    RunState loaded() {
        return loaded;
    }

    @Override
    public void complete(SectionOutput out) throws IOException {
        byte[] name = saved.qapiName().getBytes(StandardCharsets.UTF_8);
        byte[] payload = new byte[1 + name.length];
        payload[0] = (byte) name.length;
        System.arraycopy(name, 0, payload, 1, name.length);
        out.send(payload);
    }

    @Override
    public void load(Section section) throws MigrationException {
        PayloadReader in = new PayloadReader(section.payload());
        String name = in.name("runstate");
        in.expectEnd();
        for (RunState state : RunState.values()) {
            if (state.qapiName().equals(name)) {
                loaded = state;
                return;
            }
        }
        throw new MigrationException("field runstate: '" + name + "' is not a run state");
    }
}
