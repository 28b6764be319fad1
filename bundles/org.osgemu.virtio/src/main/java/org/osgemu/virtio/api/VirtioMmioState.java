package org.osgemu.virtio.api;

import static org.osgemu.virtio.api.Virtio.INTERRUPT_CONFIG_CHANGE;
import static org.osgemu.virtio.api.Virtio.INTERRUPT_USED_BUFFER;
import static org.osgemu.virtio.api.Virtio.MAX_QUEUE_SIZE;
import static org.osgemu.virtio.api.Virtio.STATUS_DEVICE_NEEDS_RESET;
import static org.osgemu.virtio.api.Virtio.STATUS_DRIVER_BITS;

import java.util.ArrayList;
import java.util.List;

import org.osgemu.api.vmstate.VMStateDescription;
import org.osgemu.api.vmstate.VMStateException;

/**
 * Migration state of a virtio-mmio device: the transport registers, the negotiated features,
 * each queue's configuration and ring indices, the chains in flight (to be re-read from guest
 * memory and processed again on the destination), and the device model's own state, encoded by
 * the model's description at {@code deviceVersion}. Derived values (the interrupt line, the
 * event-index bookkeeping) are recomputed on load.
 *
 * <p>The constructor refuses values no device could hold, naming the field; checks against a
 * particular device (queue count, maximum sizes, offered features, RAM) are made by
 * {@link VirtioMmioDevice#loadState}.
 *
 * @param status device status (driver bits and DEVICE_NEEDS_RESET)
 * @param driverFeatures features the driver accepted
 * @param deviceFeaturesSel DeviceFeaturesSel
 * @param driverFeaturesSel DriverFeaturesSel
 * @param queueSel QueueSel
 * @param interruptStatus InterruptStatus (bit 0 used buffer, bit 1 configuration change)
 * @param configGeneration ConfigGeneration
 * @param queueSize QueueNum of each queue
 * @param queueReady QueueReady of each queue (0 or 1)
 * @param queueDesc descriptor table address of each queue
 * @param queueDriver driver (available ring) area of each queue
 * @param queueDevice device (used ring) area of each queue
 * @param lastAvailIdx the device's next available-ring index of each queue
 * @param usedIdx the used index of each queue
 * @param inflight chains in flight, each {@code queue << 16 | head}
 * @param deviceVersion version of the model's description that encoded {@code deviceState}
 * @param deviceState the model's state
 */
public record VirtioMmioState(int status, long driverFeatures, int deviceFeaturesSel, int driverFeaturesSel,
                              int queueSel, int interruptStatus, int configGeneration,
                              int[] queueSize, int[] queueReady, long[] queueDesc, long[] queueDriver,
                              long[] queueDevice, int[] lastAvailIdx, int[] usedIdx, int[] inflight,
                              int deviceVersion, byte[] deviceState) {

    /** At most this many queues per device. */
    public static final int MAX_QUEUES = 64;

    /** Version 1, under the transport's name; devices migrate under their type's name ({@link #description}). */
    public static final VMStateDescription<VirtioMmioState> VMSTATE = description("virtio-mmio");

    /**
     * The description of version 1 named {@code name}: each device type migrates in a section of
     * its own name (e.g. {@code virtio-blk-device}), so a stream section can only reach a device
     * of the same type.
     */
    public static VMStateDescription<VirtioMmioState> description(String name) {
        return VMStateDescription.builder(name, VirtioMmioState.class).version(1)
                .u8("status").u64("driverFeatures").u32("deviceFeaturesSel").u32("driverFeaturesSel")
                .u32("queueSel").u8("interruptStatus").u32("configGeneration")
                .u32ArrayVariable("queueSize", MAX_QUEUES).u32ArrayVariable("queueReady", MAX_QUEUES)
                .u64ArrayVariable("queueDesc", MAX_QUEUES).u64ArrayVariable("queueDriver", MAX_QUEUES)
                .u64ArrayVariable("queueDevice", MAX_QUEUES).u32ArrayVariable("lastAvailIdx", MAX_QUEUES)
                .u32ArrayVariable("usedIdx", MAX_QUEUES).u32ArrayVariable("inflight", MAX_QUEUES * MAX_QUEUE_SIZE)
                .u16("deviceVersion").bytesVariable("deviceState", 1 << 20)
                    .build();
    }

    public VirtioMmioState {
        if ((status & ~(STATUS_DRIVER_BITS | STATUS_DEVICE_NEEDS_RESET)) != 0) {
            throw new IllegalArgumentException("status: 0x" + Integer.toHexString(status) + " has undefined bits");
        }
        if ((interruptStatus & ~(INTERRUPT_USED_BUFFER | INTERRUPT_CONFIG_CHANGE)) != 0) {
            throw new IllegalArgumentException("interruptStatus: 0x" + Integer.toHexString(interruptStatus)
                    + " has bits other than 0x3");
        }
        int n = queueSize.length;
        requireLength("queueReady", queueReady.length, n);
        requireLength("queueDesc", queueDesc.length, n);
        requireLength("queueDriver", queueDriver.length, n);
        requireLength("queueDevice", queueDevice.length, n);
        requireLength("lastAvailIdx", lastAvailIdx.length, n);
        requireLength("usedIdx", usedIdx.length, n);
        for (int q = 0; q < n; q++) {
            int size = queueSize[q];
            if (size < 1 || size > MAX_QUEUE_SIZE || Integer.bitCount(size) != 1) {
                throw new IllegalArgumentException("queueSize[" + q + "]: " + size + " is not a power of two in 1.." + MAX_QUEUE_SIZE);
            }
            if (queueReady[q] != 0 && queueReady[q] != 1) {
                throw new IllegalArgumentException("queueReady[" + q + "]: " + queueReady[q] + " is not 0 or 1");
            }
            if (queueReady[q] == 1) {
                String bad = VirtQueue.misalignment(queueDesc[q], queueDriver[q], queueDevice[q]);
                if (bad != null) {
                    throw new IllegalArgumentException("queueDesc/queueDriver/queueDevice[" + q + "]: " + bad);
                }
            }
            checkIndex("lastAvailIdx[" + q + "]", lastAvailIdx[q]);
            checkIndex("usedIdx[" + q + "]", usedIdx[q]);
        }
        for (int entry : inflight) {
            int q = entry >>> 16;
            int head = entry & 0xFFFF;
            if (q >= n || queueReady[q] != 1 || head >= queueSize[q]) {
                throw new IllegalArgumentException("inflight: head " + head + " of queue " + q
                        + " is not a descriptor of a ready queue");
            }
        }
        queueSize = queueSize.clone();
        queueReady = queueReady.clone();
        queueDesc = queueDesc.clone();
        queueDriver = queueDriver.clone();
        queueDevice = queueDevice.clone();
        lastAvailIdx = lastAvailIdx.clone();
        usedIdx = usedIdx.clone();
        inflight = inflight.clone();
        deviceState = deviceState.clone();
    }

    @Override public int[] queueSize() { return queueSize.clone(); }
    @Override public int[] queueReady() { return queueReady.clone(); }
    @Override public long[] queueDesc() { return queueDesc.clone(); }
    @Override public long[] queueDriver() { return queueDriver.clone(); }
    @Override public long[] queueDevice() { return queueDevice.clone(); }
    @Override public int[] lastAvailIdx() { return lastAvailIdx.clone(); }
    @Override public int[] usedIdx() { return usedIdx.clone(); }
    @Override public int[] inflight() { return inflight.clone(); }
    @Override public byte[] deviceState() { return deviceState.clone(); }

    /** The state of a device with {@code queues}, with the chains they hold and {@code pendingResume} in flight. */
    static VirtioMmioState capture(int status, long driverFeatures, int deviceFeaturesSel, int driverFeaturesSel,
                                   int queueSel, int interruptStatus, int configGeneration, VirtQueue[] queues,
                                   int[] pendingResume, int deviceVersion, byte[] deviceState) {
        int n = queues.length;
        int[] size = new int[n];
        int[] ready = new int[n];
        long[] desc = new long[n];
        long[] driver = new long[n];
        long[] device = new long[n];
        int[] lastAvail = new int[n];
        int[] used = new int[n];
        List<Integer> inflight = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            VirtQueue q = queues[i];
            size[i] = q.configuredSize();
            ready[i] = q.ready() ? 1 : 0;
            desc[i] = q.descAddr();
            driver[i] = q.driverAddr();
            device[i] = q.deviceAddr();
            lastAvail[i] = q.lastAvailIdx();
            used[i] = q.usedIdx();
            if (q.ready()) {
                for (int head : q.inflightHeads()) {
                    inflight.add(i << 16 | head);
                }
            }
        }
        for (int entry : pendingResume) {
            inflight.add(entry);
        }
        return new VirtioMmioState(status, driverFeatures, deviceFeaturesSel, driverFeaturesSel, queueSel,
                interruptStatus, configGeneration, size, ready, desc, driver, device, lastAvail, used,
                inflight.stream().mapToInt(Integer::intValue).toArray(), deviceVersion, deviceState);
    }

    /**
     * Refuses a state that does not fit the device {@code device} with {@code queues} offering
     * {@code offeredFeatures}; with {@code memory} (a realized device), ready rings must lie in RAM.
     */
    void checkFits(String device, VirtQueue[] queues, long offeredFeatures, GuestMemory memory)
            throws VMStateException {
        String prefix = device + ": ";
        if (queueSize.length != queues.length) {
            throw new VMStateException(prefix + "queueSize: " + queueSize.length
                    + " queues, the device has " + queues.length);
        }
        for (int i = 0; i < queueSize.length; i++) {
            if (queueSize[i] > queues[i].maxSize()) {
                throw new VMStateException(prefix + "queueSize[" + i + "]: " + queueSize[i]
                        + " exceeds the maximum " + queues[i].maxSize());
            }
            if (memory != null && queueReady[i] == 1) {
                try {
                    VirtQueue.checkRings(memory, queueSize[i], queueDesc[i], queueDriver[i], queueDevice[i]);
                } catch (GuestMemoryException e) {
                    throw new VMStateException(prefix + "queueDesc/queueDriver/queueDevice["
                            + i + "]: " + e.getMessage());
                }
            }
        }
        if ((driverFeatures & ~offeredFeatures) != 0) {
            throw new VMStateException(String.format(
                    "%sdriverFeatures: 0x%x has bits this device does not offer (0x%x)", prefix, driverFeatures, offeredFeatures));
        }
    }

    private static void requireLength(String field, int actual, int expected) {
        if (actual != expected) {
            throw new IllegalArgumentException(field + ": " + actual + " entries for " + expected + " queues");
        }
    }

    private static void checkIndex(String field, int value) {
        if (value < 0 || value > 0xFFFF) {
            throw new IllegalArgumentException(field + ": " + value + " is not a 16-bit ring index");
        }
    }
}
