package org.osgemu.api.chardev;

/** The front end of a character device (a UART): receives what the backend reads. */
public interface ChardevReceiver {

    /** How many bytes the front end can take now (0 = none; the backend holds the rest back). */
    int canReceive();

    /** Delivers bytes; at most what {@link #canReceive()} said. */
    void receive(byte[] data, int offset, int length);

    /**
     * A multiplexing backend (QEMU's {@code mux=on}) gave this front end the shared terminal
     * ({@code true}) or took it away ({@code false}), QEMU's {@code CHR_EVENT_MUX_IN}/{@code _OUT}.
     * A monitor shows its prompt again when it gets the terminal back. The default ignores it.
     */
    default void focusChanged(boolean focused) {
    }

    /**
     * The user sent a break condition (Ctrl-A b on a multiplexed stdio). Returns whether the front
     * end models a break; the default, for those that do not, returns {@code false}.
     */
    default boolean receiveBreak() {
        return false;
    }
}
