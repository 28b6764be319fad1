package org.osgemu.migration.engine;

import java.lang.System.Logger.Level;

import org.osgemu.api.migration.MigrationHandler;

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
        if (ENABLED) {
            log(what);
        }
    }

    /** A mark for {@code what} and a number, formatted only when the trace is on (no boxing otherwise). */
    public void mark(String what, long n) {
        if (ENABLED) {
            log(what + n);
        }
    }

    /** A mark naming a migration handler, described only when the trace is on. */
    public void mark(String what, MigrationHandler handler) {
        if (ENABLED) {
            log(what + HandlerSet.describe(handler));
        }
    }

    private void log(String what) {
        long now = System.nanoTime();
        LOG.log(Level.INFO, String.format("%s: %8.3f ms (+%7.3f) %s", name, (now - start) / 1e6, (now - last) / 1e6, what));
        last = now;
    }
}
