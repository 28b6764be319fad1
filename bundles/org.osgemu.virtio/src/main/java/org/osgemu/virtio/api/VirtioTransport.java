package org.osgemu.virtio.api;

import org.osgemu.api.device.GuestErrorLog;

/**
 * What a {@link VirtioDeviceModel} sees of its transport (virtio-mmio today, PCI later): its
 * queues, the negotiated features, the guest-error log and the config-change interrupt.
 */
public interface VirtioTransport {

    /** The device as messages name it, e.g. {@code virtio-blk-device hd0}. */
    String name();

    /** Queue {@code index}. */
    VirtQueue queue(int index);

    /** Whether the driver accepted feature {@code bit} (FEATURES_OK was set with it). */
    boolean hasFeature(int bit);

    /** Whether the driver set DRIVER_OK and the device does not need a reset. */
    boolean isDriverReady();

    /** Where guest mistakes go (rate-limited); a no-op log before the device is realized. */
    GuestErrorLog log();

    /** The device configuration changed: bumps ConfigGeneration and raises the config interrupt. */
    void configChanged();

    /**
     * Whether the machine stopped the device ({@link org.osgemu.api.device.Quiescable}): its
     * queues hand out no chain until it resumes, so input from outside (frames, chardev bytes)
     * should stay in its backend; the model's {@link VirtioDeviceModel#resumed()} says when to
     * take it again. False for a transport that is never quiesced, as this default.
     */
    default boolean isQuiesced() {
        return false;
    }
}
