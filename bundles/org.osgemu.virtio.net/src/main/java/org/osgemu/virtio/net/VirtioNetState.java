package org.osgemu.virtio.net;

import org.osgemu.api.vmstate.VMStateDescription;

/**
 * Migration state of the virtio-net model: the MAC address the guest sees and the link status
 * (the queues travel with the transport; frames in the backend are not state, as on a wire).
 *
 * @param mac the six bytes of the MAC address
 * @param status the configuration's status field (bit 0 link up)
 */
public record VirtioNetState(byte[] mac, int status) {

    /** Version 1. */
    public static final VMStateDescription<VirtioNetState> VMSTATE =
            VMStateDescription.builder(VirtioNet.TYPE, VirtioNetState.class).version(1)
                    .bytes("mac", MacAddress.LENGTH).u16("status").build();

    public VirtioNetState {
        if (mac.length != MacAddress.LENGTH) {
            throw new IllegalArgumentException("mac: " + mac.length + " bytes, not 6");
        }
        if ((mac[0] & 1) != 0) {
            throw new IllegalArgumentException("mac: " + MacAddress.format(mac) + " is a multicast address");
        }
        if ((status & ~VirtioNet.STATUS_LINK_UP) != 0) {
            throw new IllegalArgumentException("status: 0x" + Integer.toHexString(status) + " has bits other than LINK_UP");
        }
        mac = mac.clone();
    }

    @Override
    public byte[] mac() {
        return mac.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof VirtioNetState s && java.util.Arrays.equals(mac, s.mac) && status == s.status;
    }

    @Override
    public int hashCode() {
        return java.util.Arrays.hashCode(mac) * 31 + status;
    }
}
