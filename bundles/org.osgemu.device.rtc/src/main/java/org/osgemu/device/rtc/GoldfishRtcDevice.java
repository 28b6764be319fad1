package org.osgemu.device.rtc;

import static org.osgemu.device.rtc.GoldfishRtcRegisters.*;

import java.util.Objects;

import org.osgemu.api.clock.Clock;
import org.osgemu.api.clock.ClockType;
import org.osgemu.api.clock.Timer;
import org.osgemu.api.device.DeviceContext;
import org.osgemu.api.device.DevicePlacement;
import org.osgemu.api.device.GuestErrorLog;
import org.osgemu.api.device.PlatformDevice;
import org.osgemu.api.fdt.FdtNode;
import org.osgemu.api.irq.IrqLine;
import org.osgemu.api.memory.AccessRules;
import org.osgemu.api.memory.MemoryRegion;
import org.osgemu.api.memory.MmioHandler;
import org.osgemu.api.vmstate.Migratable;
import org.osgemu.api.vmstate.VMStateDescription;
import org.osgemu.api.vmstate.VMStateException;

/**
 * The Goldfish RTC at QEMU virt's address: the guest reads the host's wall-clock time (plus any
 * offset the guest set by writing the time registers), and may arm an alarm that raises its
 * interrupt. Reading TIME_LOW latches the high word, so a LOW-then-HIGH read pair is consistent.
 *
 * <p>Not modelled: nothing the Linux driver uses is missing. The alarm runs on the host clock.
 */
public class GoldfishRtcDevice implements PlatformDevice, Migratable<GoldfishRtcState>, MmioHandler {

    public static final String TYPE = "goldfish_rtc";

    private final String id;
    private final MemoryRegion region;
    private Clock host;
    private Timer alarm;
    private IrqLine irq = IrqLine.NONE;
    private GuestErrorLog log = GuestErrorLog.NONE;
    private long tickOffset;
    private long alarmNext;
    private boolean alarmRunning;
    private boolean irqPending;
    private boolean irqEnabled;
    private long timeHigh;
    private long alarmHigh;

    public GoldfishRtcDevice(String id) {
        this.id = Objects.requireNonNull(id, "id");
        this.region = MemoryRegion.mmio(TYPE + "." + id, SIZE, this, AccessRules.sizes(4, 4));
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public MemoryRegion region() {
        return region;
    }

    @Override
    public synchronized void realize(DeviceContext context) {
        host = context.clock(ClockType.HOST);
        irq = context.irq(0);
        log = context.log();
        alarm = host.newTimer(TYPE + "." + id + ".alarm", this::alarmFired);
        rearm();
    }

    @Override
    public synchronized void unrealize() {
        if (alarm != null) {
            alarm.free();
            alarm = null;
        }
        irq = IrqLine.NONE;
        log = GuestErrorLog.NONE;
    }

    /** Reset keeps the time (a real RTC keeps counting); the alarm and interrupt are cleared. */
    @Override
    public synchronized void reset() {
        alarmRunning = false;
        irqPending = false;
        irqEnabled = false;
        timeHigh = 0;
        alarmHigh = 0;
        if (alarm != null) alarm.cancel();
        updateIrq();
    }

    @Override
    public FdtNode describe(DevicePlacement placement) {
        return FdtNode.at("rtc", placement.base())
                .u32("interrupts", placement.irqs().get(0))
                .phandleRef("interrupt-parent", DevicePlacement.INTERRUPT_CONTROLLER)
                .reg(placement.base(), placement.size())
                .string("compatible", "google,goldfish-rtc");
    }

    private long now() {
        return host.nanos() + tickOffset;
    }

    @Override
    public synchronized long read(long offset, int size) {
        return switch ((int) offset) {
            case TIME_LOW -> {
                long t = now();
                timeHigh = t >>> 32;
                yield t & 0xFFFF_FFFFL;
            }
            case TIME_HIGH -> timeHigh;
            case ALARM_LOW -> alarmNext & 0xFFFF_FFFFL;
            case ALARM_HIGH -> alarmNext >>> 32;
            case IRQ_ENABLED -> irqEnabled ? 1 : 0;
            case ALARM_STATUS -> alarmRunning ? 1 : 0;
            default -> {
                log.guestError("%s %s: read of unknown register 0x%x", TYPE, id, offset);
                yield 0;
            }
        };
    }

    @Override
    public synchronized void write(long offset, long value, int size) {
        value &= 0xFFFF_FFFFL;
        switch ((int) offset) {
            case TIME_LOW -> tickOffset = ((now() & 0xFFFF_FFFF_0000_0000L) | value) - host.nanos();
            case TIME_HIGH -> tickOffset = ((value << 32) | (now() & 0xFFFF_FFFFL)) - host.nanos();
            case ALARM_HIGH -> alarmHigh = value;
            case ALARM_LOW -> {
                alarmNext = (alarmHigh << 32) | value;
                alarmRunning = true;
                rearm();
            }
            case IRQ_ENABLED -> {
                irqEnabled = (value & 1) != 0;
                updateIrq();
            }
            case CLEAR_ALARM -> {
                alarmRunning = false;
                if (alarm != null) alarm.cancel();
            }
            case CLEAR_INTERRUPT -> {
                irqPending = false;
                updateIrq();
            }
            default -> log.guestError("%s %s: write of 0x%x to unknown or read-only register 0x%x", TYPE, id, value, offset);
        }
    }

    private void rearm() {
        if (alarm == null) return;
        if (!alarmRunning) {
            alarm.cancel();
            return;
        }
        long hostDeadline = alarmNext - tickOffset;
        if (hostDeadline <= host.nanos()) {
            fire();
        } else {
            alarm.modNanos(hostDeadline);
        }
    }

    private synchronized void alarmFired() {
        if (alarmRunning) fire();
    }

    private void fire() {
        alarmRunning = false;
        irqPending = true;
        updateIrq();
    }

    private void updateIrq() {
        irq.setLevel(irqPending && irqEnabled);
    }

    @Override
    public VMStateDescription<GoldfishRtcState> vmstate() {
        return GoldfishRtcState.VMSTATE;
    }

    @Override
    public synchronized GoldfishRtcState saveState() {
        return new GoldfishRtcState(tickOffset, alarmNext, alarmRunning, irqPending, irqEnabled, timeHigh, alarmHigh);
    }

    @Override
    public synchronized void loadState(GoldfishRtcState s) throws VMStateException {
        Objects.requireNonNull(s, "state");
        if (s.timeHigh() > 0xFFFF_FFFFL || s.timeHigh() < 0) {
            throw new VMStateException("goldfish_rtc.timeHigh: " + s.timeHigh() + " is not a 32-bit value");
        }
        if (s.alarmHigh() > 0xFFFF_FFFFL || s.alarmHigh() < 0) {
            throw new VMStateException("goldfish_rtc.alarmHigh: " + s.alarmHigh() + " is not a 32-bit value");
        }
        tickOffset = s.tickOffset();
        alarmNext = s.alarmNext();
        alarmRunning = s.alarmRunning();
        irqPending = s.irqPending();
        irqEnabled = s.irqEnabled();
        timeHigh = s.timeHigh();
        alarmHigh = s.alarmHigh();
        rearm();
        updateIrq();
    }
}
