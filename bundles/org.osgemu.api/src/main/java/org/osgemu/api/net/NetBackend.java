package org.osgemu.api.net;

/**
 * A network backend ({@code -netdev}): carries Ethernet frames between a guest NIC and the
 * outside (a socket peer, a tap device). Services carry the property {@link #ID}; front ends
 * (virtio-net) select theirs with a target filter such as {@code (id=n0)}.
 *
 * <p>Frames from the outside wait in a bounded queue of the backend until the front end can
 * take them (a NIC takes none while its machine is stopped, and offers to again with
 * {@link #acceptInput()} when it runs). When the queue is full, a backend that can hold its
 * peer back (a TCP socket) stops reading; one that cannot drops the frames beyond it and counts
 * them, as a full NIC ring drops on hardware.
 */
public interface NetBackend {

    /** Service property: the backend id ({@code -netdev ...,id=}). */
    String ID = "id";

    /** The backend id. */
    String id();

    /** The backend kind, e.g. {@code socket}. */
    String backend();

    /**
     * Sends one Ethernet frame (no virtio header, no framing) to the outside. Never blocks the
     * caller on host I/O: the frame is copied and queued; when the queue is full or no peer is
     * connected it is dropped and counted. Returns whether the frame was queued.
     */
    boolean send(byte[] frame, int offset, int length);

    /** Connects the front end that receives frames; null disconnects it. */
    void setReceiver(NetReceiver receiver);

    /** Asks the backend to offer queued frames again after the receiver got room (new rx buffers). */
    void acceptInput();
}
