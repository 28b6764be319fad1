package org.osgemu.virtio.testing;

import java.util.ArrayList;
import java.util.List;

import org.osgemu.api.device.PlatformDevice;
import org.osgemu.api.memory.MmioHandler;

/**
 * A guest driver in miniature: reaches a virtio-mmio device through its MMIO handler, as a
 * vCPU would, and keeps its rings in {@link GuestRam}. Follows the initialization sequence of
 * spec §3.1.1.
 */
public final class VirtioDriver {

    public static final int MAGIC = 0x000, VERSION = 0x004, DEVICE_ID = 0x008, VENDOR_ID = 0x00c,
            DEVICE_FEATURES = 0x010, DEVICE_FEATURES_SEL = 0x014, DRIVER_FEATURES = 0x020, DRIVER_FEATURES_SEL = 0x024,
            QUEUE_SEL = 0x030, QUEUE_NUM_MAX = 0x034, QUEUE_NUM = 0x038, QUEUE_READY = 0x044, QUEUE_NOTIFY = 0x050,
            INTERRUPT_STATUS = 0x060, INTERRUPT_ACK = 0x064, STATUS = 0x070, QUEUE_DESC_LOW = 0x080,
            QUEUE_DESC_HIGH = 0x084, QUEUE_DRIVER_LOW = 0x090, QUEUE_DRIVER_HIGH = 0x094, QUEUE_DEVICE_LOW = 0x0a0,
            QUEUE_DEVICE_HIGH = 0x0a4, CONFIG_GENERATION = 0x0fc, CONFIG = 0x100;

    public static final int ACKNOWLEDGE = 1, DRIVER = 2, DRIVER_OK = 4, FEATURES_OK = 8, NEEDS_RESET = 0x40;
    public static final long F_INDIRECT = 1L << 28, F_EVENT_IDX = 1L << 29, F_VERSION_1 = 1L << 32;

    private final MmioHandler mmio;
    private final GuestRam ram;
    private final List<DriverQueue> queues = new ArrayList<>();

    public VirtioDriver(PlatformDevice device, GuestRam ram) {
        this.mmio = device.region().handler();
        this.ram = ram;
    }

    public GuestRam ram() {
        return ram;
    }

    public long read(int offset) {
        return mmio.read(offset, 4);
    }

    public void write(int offset, long value) {
        mmio.write(offset, value, 4);
    }

    public long readConfig(int offset, int size) {
        return mmio.read(CONFIG + offset, size);
    }

    public void writeConfig(int offset, long value, int size) {
        mmio.write(CONFIG + offset, value, size);
    }

    public int status() {
        return (int) read(STATUS);
    }

    /** The 64 device feature bits. */
    public long deviceFeatures() {
        write(DEVICE_FEATURES_SEL, 0);
        long low = read(DEVICE_FEATURES);
        write(DEVICE_FEATURES_SEL, 1);
        return low | read(DEVICE_FEATURES) << 32;
    }

    /** Reset, ACKNOWLEDGE, DRIVER, the features, FEATURES_OK; returns whether the device kept FEATURES_OK. */
    public boolean negotiate(long features) {
        write(STATUS, 0);
        write(STATUS, ACKNOWLEDGE);
        write(STATUS, ACKNOWLEDGE | DRIVER);
        write(DRIVER_FEATURES_SEL, 0);
        write(DRIVER_FEATURES, features & 0xFFFF_FFFFL);
        write(DRIVER_FEATURES_SEL, 1);
        write(DRIVER_FEATURES, features >>> 32);
        write(STATUS, ACKNOWLEDGE | DRIVER | FEATURES_OK);
        return (status() & FEATURES_OK) != 0;
    }

    /** Sets up queue {@code index} with {@code size} entries and enables it. */
    public DriverQueue setupQueue(int index, int size) {
        DriverQueue q = new DriverQueue(this, index, size);
        write(QUEUE_SEL, index);
        write(QUEUE_NUM, size);
        write64(QUEUE_DESC_LOW, q.desc());
        write64(QUEUE_DRIVER_LOW, q.avail());
        write64(QUEUE_DEVICE_LOW, q.used());
        write(QUEUE_READY, 1);
        queues.add(q);
        return q;
    }

    public void driverOk() {
        write(STATUS, status() | DRIVER_OK);
    }

    /**
     * The whole initialization: negotiates {@code features} (VERSION_1 is added), sets up one
     * queue per entry of {@code sizes}, and sets DRIVER_OK.
     */
    public List<DriverQueue> start(long features, int... sizes) {
        if (!negotiate(features | F_VERSION_1)) {
            throw new IllegalStateException("the device refused features 0x" + Long.toHexString(features));
        }
        List<DriverQueue> out = new ArrayList<>();
        for (int i = 0; i < sizes.length; i++) {
            out.add(setupQueue(i, sizes[i]));
        }
        driverOk();
        return out;
    }

    /** Reads and acknowledges InterruptStatus, as an interrupt handler does; returns the bits. */
    public int acknowledgeInterrupt() {
        int bits = (int) read(INTERRUPT_STATUS);
        write(INTERRUPT_ACK, bits);
        return bits;
    }

    void write64(int lowOffset, long value) {
        write(lowOffset, value & 0xFFFF_FFFFL);
        write(lowOffset + 4, value >>> 32);
    }
}
