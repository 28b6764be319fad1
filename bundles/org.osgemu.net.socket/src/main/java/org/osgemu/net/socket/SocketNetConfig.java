package org.osgemu.net.socket;

/**
 * Configuration of a socket network backend (factory PID {@code osgemu.netdev.socket}), as the
 * launcher makes it from {@code -netdev socket,id=ID,listen=[HOST]:PORT} or
 * {@code connect=HOST:PORT}. Exactly one of {@code listen} and {@code connect} is given.
 * Absent properties read as null: the component checks them.
 */
public @interface SocketNetConfig {

    /** Backend id; required. */
    String id();

    /** {@code [HOST]:PORT} to accept one peer on (all addresses when HOST is empty). */
    String listen();

    /** {@code HOST:PORT} of the peer to connect to. */
    String connect();
}
