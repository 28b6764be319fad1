package org.osgemu.api.net;

/** The front end of a network backend (a NIC): takes the frames the backend received. */
public interface NetReceiver {

    /**
     * Offers one frame. Returns true when the frame was taken (delivered, or dropped by the
     * front end on purpose), false when the front end has no room now: the backend then keeps
     * the frame, and offers it again after {@link NetBackend#acceptInput()}.
     */
    boolean receive(byte[] frame, int offset, int length);
}
