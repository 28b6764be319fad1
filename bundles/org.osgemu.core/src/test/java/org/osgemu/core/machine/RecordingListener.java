package org.osgemu.core.machine;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.osgemu.api.machine.MachineListener;
import org.osgemu.api.machine.RunState;
import org.osgemu.api.machine.ShutdownCause;

/** Records machine events as short strings, e.g. {@code running->paused}, {@code reset guest-reset}. */
final class RecordingListener implements MachineListener {

    final List<String> events = new CopyOnWriteArrayList<>();

    @Override
    public void stateChanged(RunState from, RunState to) {
        events.add(from.qapiName() + "->" + to.qapiName());
    }

    @Override
    public void reset(ShutdownCause cause) {
        events.add("reset " + cause.qapiName());
    }

    @Override
    public void shutdown(ShutdownCause cause, int exitCode) {
        events.add("shutdown " + cause.qapiName() + " " + exitCode);
    }
}
