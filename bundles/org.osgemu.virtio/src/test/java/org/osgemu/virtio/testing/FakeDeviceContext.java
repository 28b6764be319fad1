package org.osgemu.virtio.testing;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import org.osgemu.api.clock.Clock;
import org.osgemu.api.clock.ClockType;
import org.osgemu.api.device.DeviceContext;
import org.osgemu.api.device.DevicePlacement;
import org.osgemu.api.device.GuestErrorLog;
import org.osgemu.api.irq.IrqLine;
import org.osgemu.api.machine.MachineControl;
import org.osgemu.api.memory.AddressSpace;

/** A board stand-in for a virtio-mmio slot: one recording IRQ line, a recording guest-error log, DMA into test RAM. */
public final class FakeDeviceContext implements DeviceContext {

    /** The first virtio-mmio slot of the virt board. */
    public static final DevicePlacement SLOT0 = new DevicePlacement(0x1000_1000L, 0x1000, List.of(1), 1);

    public final List<String> guestErrors = new CopyOnWriteArrayList<>();
    public final RecordingLine irq = new RecordingLine();
    private final AddressSpace dma;

    public FakeDeviceContext(AddressSpace dma) {
        this.dma = dma;
    }

    @Override
    public DevicePlacement placement() {
        return SLOT0;
    }

    @Override
    public IrqLine irq(int index) {
        if (index != 0) {
            throw new IllegalArgumentException("a virtio-mmio slot has one interrupt, not index " + index);
        }
        return irq;
    }

    @Override
    public IrqLine cpuInterrupt(int hart, int number) {
        throw new UnsupportedOperationException("virtio devices do not reach CPU interrupt lines");
    }

    @Override
    public Clock clock(ClockType type) {
        throw new UnsupportedOperationException("virtio devices use no clock");
    }

    @Override
    public long timebaseHz() {
        return 10_000_000L;
    }

    @Override
    public GuestErrorLog log() {
        return (format, args) -> guestErrors.add(String.format(format, args));
    }

    @Override
    public MachineControl machine() {
        throw new UnsupportedOperationException("virtio devices do not control the machine");
    }

    @Override
    public AddressSpace dma() {
        return dma;
    }

    /** An IRQ line that remembers its level and how often it rose; safe across threads. */
    public static final class RecordingLine implements IrqLine {
        private volatile boolean level;
        private final AtomicInteger rises = new AtomicInteger();

        @Override
        public synchronized void setLevel(boolean level) {
            if (level && !this.level) {
                rises.incrementAndGet();
            }
            this.level = level;
        }

        public boolean level() {
            return level;
        }

        public int rises() {
            return rises.get();
        }
    }
}
