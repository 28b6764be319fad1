package org.osgemu.api.chardev;

/** The front end of a character device (a UART): receives what the backend reads. */
public interface ChardevReceiver {

    /** How many bytes the front end can take now (0 = none; the backend holds the rest back). */
    int canReceive();

    /** Delivers bytes; at most what {@link #canReceive()} said. */
    void receive(byte[] data, int offset, int length);
}
