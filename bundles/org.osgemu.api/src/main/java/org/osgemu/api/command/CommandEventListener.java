package org.osgemu.api.command;

import java.time.Instant;
import java.util.Map;

/** Told about every event the registry emits (QMP turns them into asynchronous event messages). */
@FunctionalInterface
public interface CommandEventListener {

    /**
     * An event happened. Called on the thread that emitted it, which may be a vCPU or hold a
     * machine lock: the listener must return at once and never block.
     *
     * @param machine name of the machine it happened to
     * @param event the event name, e.g. {@code STOP}
     * @param data the event's data in plain-Java form (empty when it has none)
     * @param timestamp when it happened
     */
    void event(String machine, String event, Map<String, Object> data, Instant timestamp);
}
