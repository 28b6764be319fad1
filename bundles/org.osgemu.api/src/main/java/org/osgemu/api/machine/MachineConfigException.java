package org.osgemu.api.machine;

/**
 * A machine cannot be built as asked: a missing or malformed image, an impossible memory size,
 * a device that never came up. The message is one line for a person: what, where, what to do.
 */
public class MachineConfigException extends Exception {
    private static final long serialVersionUID = 1L;

    public MachineConfigException(String message) {
        super(message);
    }

    public MachineConfigException(String message, Throwable cause) {
        super(message, cause);
    }
}
