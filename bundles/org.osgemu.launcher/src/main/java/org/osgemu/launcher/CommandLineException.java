package org.osgemu.launcher;

/** A command line that cannot be used; the message is the one line printed after {@code osgemu: }. */
final class CommandLineException extends Exception {
    private static final long serialVersionUID = 1L;

    CommandLineException(String message) {
        super(message);
    }
}
