package org.osgemu.virtio.api;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;

import org.osgemu.api.vmstate.VMStateDescription;
import org.osgemu.api.vmstate.VMStateException;

/**
 * A device model for transport tests: two queues whose processing each test scripts; by
 * default it echoes the readable bytes of each chain into its writable part. Eight bytes of
 * configuration: a read-only word 0x12345678 and a writable word.
 */
public final class ScriptedModel implements VirtioDeviceModel<ScriptedModel.State> {

    /** The model's migration state: the writable configuration word. */
    public record State(int word) {
        static final VMStateDescription<State> VMSTATE = VMStateDescription.builder("scripted", State.class).u32("word").build();
    }

    static final int DEVICE_ID = 42;
    static final long FEATURE = 1L << 3;

    VirtioTransport transport;
    BiConsumer<VirtioTransport, VirtQueue> onNotify = ScriptedModel::echoAll;
    final List<DescriptorChain> resumed = new ArrayList<>();
    int word;
    int resets;
    int readyCalls;
    int resumedCalls;
    int maxSize = 16;

    @Override public int deviceId() { return DEVICE_ID; }
    @Override public long deviceFeatures() { return FEATURE; }
    @Override public int[] queueMaxSizes() { return new int[] {maxSize, maxSize}; }
    @Override public int configSize() { return 8; }

    @Override
    public long readConfig(int offset, int size) {
        long both = 0x1234_5678L | (Integer.toUnsignedLong(word) << 32);
        return (both >>> (offset * 8)) & (size == 8 ? -1L : (1L << (size * 8)) - 1);
    }

    @Override
    public void writeConfig(VirtioTransport t, int offset, long value, int size) {
        if (offset == 4 && size == 4) {
            word = (int) value;
            t.configChanged();
        } else {
            VirtioDeviceModel.super.writeConfig(t, offset, value, size);
        }
    }

    @Override public void attach(VirtioTransport transport) { this.transport = transport; }
    @Override public void driverReady() { readyCalls++; }
    @Override public void queueNotified(int index) { onNotify.accept(transport, transport.queue(index)); }
    @Override public void reset() { resets++; word = 0; }
    @Override public void resume(VirtQueue queue, DescriptorChain chain) { resumed.add(chain); }
    @Override public void resumed() { resumedCalls++; }
    @Override public VMStateDescription<State> vmstate() { return State.VMSTATE; }
    @Override public State saveState() { return new State(word); }
    @Override public void loadState(State state) throws VMStateException { word = state.word(); }

    /** The usual device loop: notifications off, drain the ring, notifications on, look again. */
    static void echoAll(VirtioTransport t, VirtQueue q) {
        do {
            q.disableNotifications();
            DescriptorChain chain;
            while ((chain = q.pop()) != null) {
                echo(q, chain);
            }
        } while (q.enableNotifications());
        q.notifyDriver();
    }

    static void echo(VirtQueue q, DescriptorChain chain) {
        int n = (int) Math.min(chain.readableLength(), chain.writableLength());
        byte[] data = new byte[n];
        chain.read(0, data, 0, n);
        chain.write(0, data, 0, n);
        q.push(chain, n);
    }
}
