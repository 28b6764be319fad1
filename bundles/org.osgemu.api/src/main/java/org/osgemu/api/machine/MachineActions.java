package org.osgemu.api.machine;

/**
 * What a machine does when a reset or a power-off is asked of it, as QEMU's {@code -action}
 * ({@code -no-reboot} is {@code reboot=shutdown}, {@code -no-shutdown} is {@code shutdown=pause}).
 *
 * @param resetShutsDown a reset request (guest or {@code system_reset}; a subsystem reset excepted)
 *        shuts the machine down instead, with the request's cause ({@code -no-reboot})
 * @param shutdownPauses a shutdown the guest asks for stops the machine in run state
 *        {@code shutdown} instead of ending it; {@code quit} ends it ({@code -no-shutdown})
 */
public record MachineActions(boolean resetShutsDown, boolean shutdownPauses) {

    /** QEMU's defaults: a reset resets, a shutdown ends the machine. */
    public static final MachineActions DEFAULT = new MachineActions(false, false);
}
