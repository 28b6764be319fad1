package org.osgemu.device.uart16550;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.osgemu.api.clock.Clock;
import org.osgemu.api.clock.ClockType;
import org.osgemu.api.device.DeviceContext;
import org.osgemu.api.device.DevicePlacement;
import org.osgemu.api.device.GuestErrorLog;
import org.osgemu.api.irq.IrqLine;
import org.osgemu.api.machine.MachineControl;

/** A board stand-in: recording IRQ lines, a hand-driven virtual clock, a recording guest-error log. */
final class FakeDeviceContext implements DeviceContext {

    final DevicePlacement placement;
    final FakeClock virtualClock = new FakeClock(ClockType.VIRTUAL);
    final List<String> guestErrors = new ArrayList<>();
    final Map<Integer, RecordingLine> irqs = new HashMap<>();
    final Map<String, RecordingLine> cpuLines = new HashMap<>();
    long timebaseHz = 10_000_000L;
    MachineControl machine;

    FakeDeviceContext(DevicePlacement placement) {
        this.placement = placement;
    }

    @Override
    public DevicePlacement placement() {
        return placement;
    }

    @Override
    public IrqLine irq(int index) {
        return irqs.computeIfAbsent(index, i -> new RecordingLine());
    }

    @Override
    public IrqLine cpuInterrupt(int hart, int number) {
        return cpuLine(hart, number);
    }

    /** The line to hart {@code hart}'s interrupt input {@code number} (a mip bit). */
    RecordingLine cpuLine(int hart, int number) {
        return cpuLines.computeIfAbsent(hart + ":" + number, k -> new RecordingLine());
    }

    RecordingLine irqLine(int index) {
        return irqs.computeIfAbsent(index, i -> new RecordingLine());
    }

    @Override
    public Clock clock(ClockType type) {
        if (type != ClockType.VIRTUAL) {
            throw new IllegalArgumentException("fake context has only the virtual clock, not " + type);
        }
        return virtualClock;
    }

    @Override
    public long timebaseHz() {
        return timebaseHz;
    }

    @Override
    public GuestErrorLog log() {
        return (format, args) -> guestErrors.add(String.format(format, args));
    }

    @Override
    public MachineControl machine() {
        return machine;
    }

    /** An IRQ line that remembers its level and how often it changed. */
    static final class RecordingLine implements IrqLine {
        boolean level;
        int rises;

        @Override
        public void setLevel(boolean level) {
            if (level && !this.level) {
                rises++;
            }
            this.level = level;
        }
    }
}
