package org.osgemu.itests;

import java.util.List;

/**
 * A guest for live-migration system tests: what the machine runs, how to tell that it works
 * (dirties memory), and how to check that it went on at the destination without a restart and
 * without losing memory. The bare-metal {@link DirtyProgramGuest} is the one there is now; a
 * Linux guest running a dirtying program implements the same and runs the same tests.
 */
interface MigrationGuest {

    /** The machine's options (firmware, kernel, RAM...) plus {@code extra}; the same on both sides. */
    List<String> machine(String... extra);

    /** Waits until the guest on {@code vm} works; fails the test after {@code seconds}. */
    void awaitWorking(Osgemu vm, long seconds) throws InterruptedException;

    /** How far the guest got (a pass number, a counter), from what {@code vm} printed so far. */
    long progress(Osgemu vm);

    /**
     * Checks everything the guest printed on {@code vm} so far: no corruption reported, every
     * checksum right, no restart; {@code before} is what an earlier process of the same guest (the
     * source) printed, so the two together must read as one run.
     */
    void check(String before, Osgemu vm);

    /** Waits until the guest on {@code vm} has got beyond {@code progress}; fails after {@code seconds}. */
    void awaitProgressBeyond(Osgemu vm, long progress, long seconds) throws InterruptedException;

    /**
     * Called once every emulator of the test ended: checks what the guest left outside the
     * emulators (a disk file) and removes it. Nothing to do by default.
     */
    default void afterwards() throws Exception {
    }
}
