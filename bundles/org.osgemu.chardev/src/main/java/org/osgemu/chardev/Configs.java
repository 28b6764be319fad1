package org.osgemu.chardev;

/**
 * Checks shared by the backends' configurations. Every backend is an immediate component, so a
 * bad configuration fails (and registers no service) when it is given, as QEMU refuses a bad
 * {@code -chardev} at startup, not when a front end first asks for the backend.
 */
final class Configs {

    private Configs() {
    }

    /** {@code value}, or an exception naming the factory PID and the missing property. */
    static String required(String pid, String property, String value) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(pid + ": configuration property '" + property + "' is missing");
        }
        return value;
    }
}
