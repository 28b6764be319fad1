package org.osgemu.virtio.console;

import org.osgemu.api.vmstate.VMStateDescription;

/**
 * Migration state of the virtio console model: input taken from the chardev but not yet given
 * to the guest (the queues travel with the transport).
 *
 * @param pendingInput buffered input, oldest first
 */
public record VirtioConsoleState(byte[] pendingInput) {

    /** Version 1. */
    public static final VMStateDescription<VirtioConsoleState> VMSTATE =
            VMStateDescription.builder(VirtioConsole.TYPE, VirtioConsoleState.class).version(1)
                    .bytesVariable("pendingInput", VirtioConsole.INPUT_CAPACITY).build();

    public VirtioConsoleState {
        if (pendingInput.length > VirtioConsole.INPUT_CAPACITY) {
            throw new IllegalArgumentException("pendingInput: " + pendingInput.length + " bytes, the buffer holds "
                    + VirtioConsole.INPUT_CAPACITY);
        }
        pendingInput = pendingInput.clone();
    }

    @Override
    public byte[] pendingInput() {
        return pendingInput.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof VirtioConsoleState s && java.util.Arrays.equals(pendingInput, s.pendingInput);
    }

    @Override
    public int hashCode() {
        return java.util.Arrays.hashCode(pendingInput);
    }
}
