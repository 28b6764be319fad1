package org.osgemu.migration.engine;

import java.lang.System.Logger.Level;

/**
 * Timestamps of a migration's phases, for finding where total time and downtime go: with the
 * system property {@code osgemu.migration.trace} set to {@code true}, each mark is logged (INFO)
 * with the milliseconds since the trace began and since the previous mark; otherwise marks cost a
 * field read.
 */
public final class PhaseTrace {

    private static final System.Logger LOG = System.getLogger(PhaseTrace.class.getName());
    static final boolean ENABLED = Boolean.getBoolean("osgemu.migration.trace");

    private final String name;
    private final long start = System.nanoTime();
    private long last = start;

    public PhaseTrace(String name) {
        this.name = name;
    }

    public void mark(String what) {
        mark(what, "");
    }

    /** A mark whose text is {@code what} followed by {@code detail}, joined only when the trace is on. */
    public void mark(String what, Object detail) {
        if (!ENABLED) {
            return;
        }
        long now = System.nanoTime();
        LOG.log(Level.INFO, String.format("%s: %8.3f ms (+%7.3f) %s", name, (now - start) / 1e6, (now - last) / 1e6, what + detail));
        last = now;
    }
}
