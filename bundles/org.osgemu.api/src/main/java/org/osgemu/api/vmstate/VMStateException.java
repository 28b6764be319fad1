package org.osgemu.api.vmstate;

/**
 * A state that cannot be saved or loaded: wrong version, a value out of range, a truncated
 * input. The message names the description and the field ({@code ns16550a.ier: ...}).
 */
public class VMStateException extends Exception {
    private static final long serialVersionUID = 1L;

    public VMStateException(String message) {
        super(message);
    }

    public VMStateException(String message, Throwable cause) {
        super(message, cause);
    }
}
