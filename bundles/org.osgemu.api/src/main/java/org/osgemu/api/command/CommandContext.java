package org.osgemu.api.command;

/**
 * What a front end tells a command about the call: which machine it addresses and who asks.
 * Implemented by the front ends (a QMP connection, a shell session).
 */
public interface CommandContext {

    /** Front end name of the QMP protocol. */
    String QMP = "qmp";
    /** Front end name of the Gogo shell and the human monitor. */
    String SHELL = "shell";

    /**
     * The name of the machine the front end is attached to ({@code MachineControl.NAME}), or the
     * empty string when it is attached to none in particular: then the command uses the only (or
     * first) machine.
     */
    String machine();

    /** {@link #QMP} or {@link #SHELL}, for messages and for commands that exist in one only. */
    String frontEnd();

    /**
     * Runs {@code action} once the command's response has been handed to the client, as QEMU
     * handles {@code quit}, {@code system_reset} and {@code system_powerdown}: the request is
     * answered first, and its effect (and the events it causes) follow. A front end without
     * responses runs the action right after the command returns.
     */
    void afterResponse(Runnable action);
}
