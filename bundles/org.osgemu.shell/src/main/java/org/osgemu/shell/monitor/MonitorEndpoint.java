package org.osgemu.shell.monitor;

/** A running monitor transport; closing it ends every thread, connection and file it made. */
interface MonitorEndpoint extends AutoCloseable {

    /** How long closing waits for each thread to end. */
    long JOIN_MILLIS = 2000;

    @Override
    void close();

    /** Waits for {@code thread} to end, interrupting it first; keeps the caller's interrupt status. */
    static void end(Thread thread) {
        thread.interrupt();
        try {
            thread.join(JOIN_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
