package org.osgemu.testkit;

import java.util.ArrayList;
import java.util.EnumMap;
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

/** A board stand-in for device tests: recording IRQ lines, hand-driven clocks, a recording guest-error log. */
public final class FakeDeviceContext implements DeviceContext {

    public final DevicePlacement placement;
    public final Map<ClockType, FakeClock> clocks = new EnumMap<>(ClockType.class);
    /** The virtual clock, the one most devices run their timers on. */
    public final FakeClock virtualClock;
    public final List<String> guestErrors = new ArrayList<>();
    public final Map<Integer, RecordingLine> irqs = new HashMap<>();
    public final Map<String, RecordingLine> cpuLines = new HashMap<>();
    public long timebaseHz = 10_000_000L;
    public MachineControl machine;

    public FakeDeviceContext(DevicePlacement placement) {
        this.placement = placement;
        for (ClockType t : ClockType.values()) {
            clocks.put(t, new FakeClock(t));
        }
        virtualClock = clocks.get(ClockType.VIRTUAL);
    }

    @Override
    public DevicePlacement placement() {
        return placement;
    }

    @Override
    public IrqLine irq(int index) {
        return irqLine(index);
    }

    /** The recording line behind {@link #irq(int)}. */
    public RecordingLine irqLine(int index) {
        return irqs.computeIfAbsent(index, i -> new RecordingLine());
    }

    @Override
    public IrqLine cpuInterrupt(int hart, int number) {
        return cpuLine(hart, number);
    }

    /** The line to hart {@code hart}'s interrupt input {@code number} (a mip bit). */
    public RecordingLine cpuLine(int hart, int number) {
        return cpuLines.computeIfAbsent(hart + ":" + number, k -> new RecordingLine());
    }

    @Override
    public Clock clock(ClockType type) {
        return clocks.get(type);
    }

    /** The fake behind {@link #clock(ClockType)}. */
    public FakeClock fakeClock(ClockType type) {
        return clocks.get(type);
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

    /** An IRQ line that remembers its level and how often it rose. */
    public static final class RecordingLine implements IrqLine {
        public boolean level;
        public int rises;

        @Override
        public void setLevel(boolean level) {
            if (level && !this.level) {
                rises++;
            }
            this.level = level;
        }
    }
}
