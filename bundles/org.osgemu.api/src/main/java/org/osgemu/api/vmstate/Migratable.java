package org.osgemu.api.vmstate;

/**
 * Something whose state migrates: a device or a CPU. The state is a plain record described by
 * a {@link VMStateDescription}, apart from the live object.
 *
 * @param <S> the state record
 */
public interface Migratable<S extends Record> {

    /** The description of the state record. */
    VMStateDescription<S> vmstate();

    /** A snapshot of the current state; called while the machine is stopped. */
    S saveState();

    /**
     * Replaces the current state with {@code state}, which comes from outside and is checked
     * like any untrusted input: a bad value is refused with a {@link VMStateException} naming the
     * field, and leaves the object unchanged.
     */
    void loadState(S state) throws VMStateException;
}
