package org.osgemu.virtio.api;

import org.osgemu.api.device.RegisterMap;
import org.osgemu.api.memory.MmioHandler;

/**
 * Register layout of the virtio-mmio transport, version 2 (spec §4.2.2, "MMIO Device Register
 * Layout"). Control registers are 32 bits wide and must be accessed as such; the device
 * configuration space starts at {@link #CONFIG}.
 */
final class VirtioMmioRegisters {

    private static final System.Logger LOG = System.getLogger(VirtioMmioRegisters.class.getName());

    /** "virt" in little-endian. */
    static final int MAGIC = 0x7472_6976;
    /** The modern (non-legacy) interface. */
    static final int VERSION = 2;
    /** "QEMU" in little-endian, the vendor ID QEMU reports, so guests see the same device. */
    static final int VENDOR_QEMU = 0x554D_4551;

    static final long MAGIC_VALUE = 0x000;
    static final long VERSION_REG = 0x004;
    static final long DEVICE_ID = 0x008;
    static final long VENDOR_ID = 0x00c;
    static final long DEVICE_FEATURES = 0x010;
    static final long DEVICE_FEATURES_SEL = 0x014;
    static final long DRIVER_FEATURES = 0x020;
    static final long DRIVER_FEATURES_SEL = 0x024;
    static final long QUEUE_SEL = 0x030;
    static final long QUEUE_NUM_MAX = 0x034;
    static final long QUEUE_NUM = 0x038;
    static final long QUEUE_READY = 0x044;
    static final long QUEUE_NOTIFY = 0x050;
    static final long INTERRUPT_STATUS = 0x060;
    static final long INTERRUPT_ACK = 0x064;
    static final long STATUS = 0x070;
    static final long QUEUE_DESC_LOW = 0x080;
    static final long QUEUE_DESC_HIGH = 0x084;
    static final long QUEUE_DRIVER_LOW = 0x090;
    static final long QUEUE_DRIVER_HIGH = 0x094;
    static final long QUEUE_DEVICE_LOW = 0x0a0;
    static final long QUEUE_DEVICE_HIGH = 0x0a4;
    static final long SHM_SEL = 0x0ac;
    static final long SHM_LEN_LOW = 0x0b0;
    static final long SHM_LEN_HIGH = 0x0b4;
    static final long SHM_BASE_LOW = 0x0b8;
    static final long SHM_BASE_HIGH = 0x0bc;
    static final long CONFIG_GENERATION = 0x0fc;
    /** Start of the device configuration space. */
    static final long CONFIG = 0x100;

    /** Which half of a 64-bit queue address a register holds. */
    enum Half { LOW, HIGH }

    /** Which queue address a register sets. */
    enum QueueArea { DESC, DRIVER, DEVICE }

    private VirtioMmioRegisters() {
    }

    /** The control registers, each a hook into {@code device} (which keeps the state under its lock). */
    static RegisterMap declare(VirtioMmioDevice<?> device, String name, int deviceId) {
        return RegisterMap.builder(name)
                .register("MagicValue", MAGIC_VALUE, 4).reset(MAGIC).add()
                .register("Version", VERSION_REG, 4).reset(VERSION).add()
                .register("DeviceID", DEVICE_ID, 4).reset(deviceId).add()
                .register("VendorID", VENDOR_ID, 4).reset(VENDOR_QEMU).add()
                .register("DeviceFeatures", DEVICE_FEATURES, 4).onRead(i -> device.readDeviceFeatures()).add()
                .register("DeviceFeaturesSel", DEVICE_FEATURES_SEL, 4).onWriteBits((i, v, m) -> device.writeDeviceFeaturesSel((int) v)).add()
                .register("DriverFeatures", DRIVER_FEATURES, 4).onWriteBits((i, v, m) -> device.writeDriverFeatures(v)).add()
                .register("DriverFeaturesSel", DRIVER_FEATURES_SEL, 4).onWriteBits((i, v, m) -> device.writeDriverFeaturesSel((int) v)).add()
                .register("QueueSel", QUEUE_SEL, 4).onWriteBits((i, v, m) -> device.writeQueueSel((int) v)).add()
                .register("QueueNumMax", QUEUE_NUM_MAX, 4).onRead(i -> device.readQueueNumMax()).add()
                .register("QueueNum", QUEUE_NUM, 4).onWriteBits((i, v, m) -> device.writeQueueNum(v)).add()
                .register("QueueReady", QUEUE_READY, 4).onRead(i -> device.readQueueReady()).onWriteBits((i, v, m) -> device.writeQueueReady(v)).add()
                .register("QueueNotify", QUEUE_NOTIFY, 4).onWriteBits((i, v, m) -> device.writeQueueNotify(v)).add()
                .register("InterruptStatus", INTERRUPT_STATUS, 4).onRead(i -> device.readInterruptStatus()).add()
                .register("InterruptACK", INTERRUPT_ACK, 4).onWriteBits((i, v, m) -> device.writeInterruptAck((int) v)).add()
                .register("Status", STATUS, 4).onRead(i -> device.readStatus()).onWriteBits((i, v, m) -> device.writeStatus((int) v)).add()
                .register("QueueDescLow", QUEUE_DESC_LOW, 4).onWriteBits((i, v, m) -> device.writeQueueAddress(QueueArea.DESC, Half.LOW, v)).add()
                .register("QueueDescHigh", QUEUE_DESC_HIGH, 4).onWriteBits((i, v, m) -> device.writeQueueAddress(QueueArea.DESC, Half.HIGH, v)).add()
                .register("QueueDriverLow", QUEUE_DRIVER_LOW, 4).onWriteBits((i, v, m) -> device.writeQueueAddress(QueueArea.DRIVER, Half.LOW, v)).add()
                .register("QueueDriverHigh", QUEUE_DRIVER_HIGH, 4).onWriteBits((i, v, m) -> device.writeQueueAddress(QueueArea.DRIVER, Half.HIGH, v)).add()
                .register("QueueDeviceLow", QUEUE_DEVICE_LOW, 4).onWriteBits((i, v, m) -> device.writeQueueAddress(QueueArea.DEVICE, Half.LOW, v)).add()
                .register("QueueDeviceHigh", QUEUE_DEVICE_HIGH, 4).onWriteBits((i, v, m) -> device.writeQueueAddress(QueueArea.DEVICE, Half.HIGH, v)).add()
                // No shared memory regions: every region reads as absent (length and base all ones).
                .register("SHMSel", SHM_SEL, 4).onWriteBits((i, v, m) -> { }).add()
                .register("SHMLenLow", SHM_LEN_LOW, 4).reset(0xFFFF_FFFFL).add()
                .register("SHMLenHigh", SHM_LEN_HIGH, 4).reset(0xFFFF_FFFFL).add()
                .register("SHMBaseLow", SHM_BASE_LOW, 4).reset(0xFFFF_FFFFL).add()
                .register("SHMBaseHigh", SHM_BASE_HIGH, 4).reset(0xFFFF_FFFFL).add()
                .register("ConfigGeneration", CONFIG_GENERATION, 4).onRead(i -> device.readConfigGeneration()).add()
                .build();
    }

    /**
     * The MMIO window: control registers below {@link #CONFIG} (32-bit accesses only, handled
     * by {@code registers}), the model's configuration space above. Nothing is thrown to the
     * vCPU: guest mistakes are logged, and a fault of the device model is logged as a bug.
     */
    static MmioHandler handler(VirtioMmioDevice<?> device, RegisterMap registers, VirtioDeviceModel<?> model) {
        return new MmioHandler() {
            @Override
            public long read(long offset, int size) {
                try {
                    if (offset >= CONFIG) {
                        int at = (int) (offset - CONFIG);
                        if (at + size > model.configSize()) {
                            device.log().guestError("%s: read of %d byte(s) at configuration offset 0x%x, beyond its %d bytes",
                                    device.name(), size, at, model.configSize());
                            return 0;
                        }
                        return model.readConfig(at, size);
                    }
                    if (size != 4) {
                        device.log().guestError("%s: %d-byte read of control register 0x%x; they are 32-bit",
                                device.name(), size, offset);
                        return 0;
                    }
                    return registers.read(offset, size);
                } catch (RuntimeException e) {
                    LOG.log(System.Logger.Level.ERROR, device.name() + ": internal error reading offset 0x"
                            + Long.toHexString(offset), e);
                    return 0;
                }
            }

            @Override
            public void write(long offset, long value, int size) {
                try {
                    if (offset >= CONFIG) {
                        int at = (int) (offset - CONFIG);
                        if (at + size > model.configSize()) {
                            device.log().guestError("%s: write of %d byte(s) at configuration offset 0x%x, beyond its %d bytes",
                                    device.name(), size, at, model.configSize());
                            return;
                        }
                        model.writeConfig(device, at, value, size);
                        return;
                    }
                    if (size != 4) {
                        device.log().guestError("%s: %d-byte write of control register 0x%x; they are 32-bit",
                                device.name(), size, offset);
                        return;
                    }
                    registers.write(offset, value, size);
                } catch (RuntimeException e) {
                    LOG.log(System.Logger.Level.ERROR, device.name() + ": internal error writing offset 0x"
                            + Long.toHexString(offset), e);
                }
            }
        };
    }
}
