package org.osgemu.api.chardev;

/**
 * A character-device backend (stdio, socket, file, ring buffer), after QEMU's {@code -chardev}.
 * Services carry the property {@link #ID}; front ends select theirs with a target filter.
 */
public interface Chardev {

    /** Service property: the backend id ({@code -chardev ...,id=}). */
    String ID = "id";

    /**
     * A reference target that matches no chardev: the default of a front end's chardev reference
     * until its configuration names one ({@code chardev.target}).
     */
    String NO_TARGET = "(&(id=*)(!(id=*)))";

    String id();

    /** The backend kind, e.g. {@code stdio}. */
    String backend();

    /** Writes bytes to the outside; never blocks the caller for long (a slow peer loses data, not time). */
    void write(byte[] data, int offset, int length);

    /** Connects the front end that receives input; null disconnects it. */
    void setReceiver(ChardevReceiver receiver);

    /** Asks the backend to offer input again after the receiver's {@code canReceive()} grew. */
    default void acceptInput() {
    }
}
