package org.osgemu.virtio.net;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.osgemu.api.net.NetBackend;
import org.osgemu.api.net.NetReceiver;

/** A backend that records what is sent and holds injected frames until the front end takes them. */
final class FakeNetBackend implements NetBackend {

    final List<byte[]> sent = new ArrayList<>();
    final ArrayDeque<byte[]> pending = new ArrayDeque<>();
    NetReceiver receiver;
    int acceptInputCalls;

    @Override public String id() { return "n0"; }
    @Override public String backend() { return "fake"; }

    @Override
    public synchronized boolean send(byte[] frame, int offset, int length) {
        sent.add(Arrays.copyOfRange(frame, offset, offset + length));
        return true;
    }

    @Override
    public synchronized void setReceiver(NetReceiver receiver) {
        this.receiver = receiver;
    }

    @Override
    public synchronized void acceptInput() {
        acceptInputCalls++;
        deliver();
    }

    synchronized void inject(byte[] frame) {
        pending.add(frame);
        deliver();
    }

    private void deliver() {
        while (receiver != null && !pending.isEmpty() && receiver.receive(pending.peek(), 0, pending.peek().length)) {
            pending.poll();
        }
    }
}
