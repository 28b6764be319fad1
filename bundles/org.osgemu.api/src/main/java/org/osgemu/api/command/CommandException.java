package org.osgemu.api.command;

import java.util.Objects;

/**
 * A command failed for a reason its caller should hear: a bad argument value, a device that
 * does not exist, a state that does not allow the command. The message is QMP's {@code desc}:
 * one line for a person, worded as QEMU words the same failure where QEMU has one.
 */
public class CommandException extends Exception {
    private static final long serialVersionUID = 1L;

    private final ErrorClass errorClass;

    /** A failure of class {@link ErrorClass#GENERIC_ERROR}. */
    public CommandException(String message) {
        this(ErrorClass.GENERIC_ERROR, message);
    }

    public CommandException(ErrorClass errorClass, String message) {
        super(Objects.requireNonNull(message, "message"));
        this.errorClass = Objects.requireNonNull(errorClass, "errorClass");
    }

    public CommandException(ErrorClass errorClass, String message, Throwable cause) {
        super(Objects.requireNonNull(message, "message"), cause);
        this.errorClass = Objects.requireNonNull(errorClass, "errorClass");
    }

    /** The class QMP reports. */
    public ErrorClass errorClass() {
        return errorClass;
    }
}
