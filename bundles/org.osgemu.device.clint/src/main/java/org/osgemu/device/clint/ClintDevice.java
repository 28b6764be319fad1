package org.osgemu.device.clint;

import static org.osgemu.device.clint.ClintRegisters.MAX_HARTS;
import static org.osgemu.device.clint.ClintRegisters.MIP_MSIP;
import static org.osgemu.device.clint.ClintRegisters.MIP_MTIP;
import static org.osgemu.device.clint.ClintRegisters.MSIP;
import static org.osgemu.device.clint.ClintRegisters.MTIMECMP;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import org.osgemu.api.clock.Clock;
import org.osgemu.api.clock.ClockType;
import org.osgemu.api.clock.Timer;
import org.osgemu.api.device.DeviceContext;
import org.osgemu.api.device.DevicePlacement;
import org.osgemu.api.device.GuestErrorLog;
import org.osgemu.api.device.PlatformDevice;
import org.osgemu.api.device.RegisterMap;
import org.osgemu.api.fdt.FdtNode;
import org.osgemu.api.irq.IrqLine;
import org.osgemu.api.memory.AccessRules;
import org.osgemu.api.memory.MemoryRegion;
import org.osgemu.api.memory.MmioHandler;
import org.osgemu.api.vmstate.Migratable;
import org.osgemu.api.vmstate.VMStateDescription;
import org.osgemu.api.vmstate.VMStateException;

/**
 * The SiFive CLINT ({@code clint}) of QEMU's {@code virt} board: per hart a software-interrupt
 * bit (MSIP, wired to the hart's {@code mip.MSIP}) and a timer compare register (MTIMECMP); one
 * shared 64-bit MTIME counting at the timebase frequency. A hart's {@code mip.MTIP} is a level,
 * high while MTIME &ge; its MTIMECMP (unsigned); a timer on the virtual clock is armed for the
 * moment MTIME reaches MTIMECMP, so the interrupt rises on time without polling, and re-armed
 * whenever MTIMECMP or MTIME is written.
 *
 * <p>MTIME is the machine's virtual clock in timebase ticks, the same count the harts' {@code time}
 * CSR reads. Not modelled: a guest write to MTIME moves only the CLINT's view (the harts'
 * {@code time} CSR does not follow it), and MTIME keeps counting across a reset instead of
 * clearing (clearing it would set it apart from {@code time}); the ACLINT's separate SSWI
 * (supervisor software interrupts) does not exist on the SiFive CLINT.
 *
 * <p>The register arrays are sized by the machine's hart count, known only at {@link #realize};
 * before that the window reads as zero and ignores writes.
 */
public class ClintDevice implements PlatformDevice, Migratable<ClintState> {

    /** The type name, as {@code -device} spells it. */
    public static final String TYPE = "clint";

    /** What a realized CLINT is connected to, sized by the hart count. */
    private record Wiring(RegisterMap registers, int harts, Clock clock, Timebase timebase,
                          IrqLine[] softwareLines, IrqLine[] timerLines, Timer[] timers) {
    }

    private final String id;
    private final MemoryRegion region;
    private volatile Wiring wiring;
    private long mtimeDelta; // guarded by this: MTIME minus the virtual clock, in ticks

    /** A CLINT named {@code id}; its registers exist once {@link #realize realized}. */
    public ClintDevice(String id) {
        this.id = Objects.requireNonNull(id, "id");
        // 32- and 64-bit accesses; MTIMECMP and MTIME also take 32-bit halves.
        this.region = MemoryRegion.mmio(TYPE + "." + id, ClintRegisters.SIZE, new Window(), AccessRules.sizes(4, 8));
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
    public void realize(DeviceContext context) {
        unrealize(); // realizing again (a re-plug) starts from fresh registers and timers
        int harts = context.placement().hartCount();
        if (harts < 1 || harts > MAX_HARTS) {
            throw new IllegalArgumentException(TYPE + " " + id + ": " + harts + " harts, the CLINT serves 1.." + MAX_HARTS);
        }
        Timebase timebase;
        try {
            timebase = new Timebase(context.timebaseHz());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(TYPE + " " + id + ": " + e.getMessage(), e);
        }
        Clock clock = context.clock(ClockType.VIRTUAL);
        RegisterMap registers = ClintRegisters.declare(harts, this);
        registers.setLog(context.log());
        IrqLine[] software = new IrqLine[harts];
        IrqLine[] timer = new IrqLine[harts];
        Timer[] timers = new Timer[harts];
        for (int h = 0; h < harts; h++) {
            int hart = h;
            software[h] = context.cpuInterrupt(h, MIP_MSIP);
            timer[h] = context.cpuInterrupt(h, MIP_MTIP);
            timers[h] = clock.newTimer(TYPE + "." + id + ".mtimecmp" + h, () -> timerExpired(hart));
        }
        synchronized (this) {
            wiring = new Wiring(registers, harts, clock, timebase, software, timer, timers);
            updateAllLines();
        }
    }

    @Override
    public synchronized void unrealize() {
        Wiring w = wiring;
        if (w == null) {
            return;
        }
        for (int h = 0; h < w.harts; h++) {
            w.timers[h].free();
            w.softwareLines[h].lower();
            w.timerLines[h].lower();
        }
        w.registers.setLog(GuestErrorLog.NONE);
        wiring = null;
    }

    @Override
    public synchronized void reset() {
        mtimeDelta = 0;
        Wiring w = wiring;
        if (w != null) {
            w.registers.reset();
            updateAllLines();
        }
    }

    @Override
    public FdtNode describe(DevicePlacement placement) {
        List<Object> cells = new ArrayList<>();
        for (int h = 0; h < placement.hartCount(); h++) {
            String intc = DevicePlacement.cpuInterruptController(h);
            cells.addAll(List.of(intc, MIP_MSIP, intc, MIP_MTIP));
        }
        return FdtNode.at("clint", placement.base())
                .string("compatible", "sifive,clint0", "riscv,clint0")
                .reg(placement.base(), placement.size())
                .cells("interrupts-extended", cells.toArray());
    }

    // ---- register behaviour (called by the register map) ----

    synchronized void softwareInterruptWritten(int hart) {
        Wiring w = wiring;
        if (w != null) {
            w.softwareLines[hart].setLevel((w.registers.get(MSIP, hart) & 1) != 0);
        }
    }

    synchronized void timerCompareWritten(int hart) {
        Wiring w = wiring;
        if (w != null) {
            updateTimer(w, hart);
        }
    }

    /** Current MTIME. */
    synchronized long mtime() {
        Wiring w = wiring;
        return w == null ? 0 : w.timebase.ticksAt(w.clock.nanos()) + mtimeDelta;
    }

    /** A write of {@code bits} to the bytes of MTIME covered by {@code mask}: the rest keeps counting. */
    synchronized void mtimeWritten(long bits, long mask) {
        Wiring w = wiring;
        if (w == null) {
            return;
        }
        long clockTicks = w.timebase.ticksAt(w.clock.nanos());
        long current = clockTicks + mtimeDelta;
        long updated = (current & ~mask) | (bits & mask);
        mtimeDelta = updated - clockTicks;
        for (int h = 0; h < w.harts; h++) {
            updateTimer(w, h);
        }
    }

    // ---- migration ----

    @Override
    public VMStateDescription<ClintState> vmstate() {
        return ClintState.VMSTATE;
    }

    @Override
    public synchronized ClintState saveState() {
        Wiring w = realized();
        long[] msip = w.registers.getAll(MSIP);
        int[] msipBits = new int[msip.length];
        for (int h = 0; h < msip.length; h++) {
            msipBits[h] = (int) msip[h];
        }
        return new ClintState(msipBits, w.registers.getAll(MTIMECMP), mtimeDelta);
    }

    @Override
    public synchronized void loadState(ClintState state) throws VMStateException {
        Wiring w = realized();
        int[] msip = state.msip();
        if (msip.length != w.harts) {
            throw new VMStateException(TYPE + ".msip: the state has " + msip.length + " harts, this machine has " + w.harts);
        }
        long[] msipValues = new long[msip.length];
        for (int h = 0; h < msip.length; h++) {
            msipValues[h] = msip[h];
        }
        w.registers.setAll(MSIP, msipValues);
        w.registers.setAll(MTIMECMP, state.mtimecmp());
        mtimeDelta = state.mtimeDelta();
        updateAllLines();
    }

    // ---- internals ----

    private Wiring realized() {
        Wiring w = wiring;
        if (w == null) {
            throw new IllegalStateException(TYPE + " " + id + " is not realized: its hart count is not known yet");
        }
        return w;
    }

    private void updateAllLines() {
        Wiring w = wiring;
        for (int h = 0; h < w.harts; h++) {
            w.softwareLines[h].setLevel((w.registers.get(MSIP, h) & 1) != 0);
            updateTimer(w, h);
        }
    }

    /** Sets the hart's MTIP from MTIME and MTIMECMP, and arms its timer for the crossing still ahead. */
    private void updateTimer(Wiring w, int hart) {
        long clockTicks = w.timebase.ticksAt(w.clock.nanos());
        long mtime = clockTicks + mtimeDelta;
        long compare = w.registers.get(MTIMECMP, hart);
        if (Long.compareUnsigned(mtime, compare) >= 0) {
            w.timers[hart].cancel();
            w.timerLines[hart].raise();
            return;
        }
        w.timerLines[hart].lower();
        long remaining = compare - mtime; // unsigned, positive
        long targetTicks = clockTicks + remaining;
        long deadline = remaining < 0 || targetTicks < 0 ? -1 : w.timebase.nanosAt(targetTicks);
        if (deadline < 0) {
            w.timers[hart].cancel(); // further away than the clock can count: never
        } else {
            w.timers[hart].modNanos(deadline);
        }
    }

    private synchronized void timerExpired(int hart) {
        Wiring w = wiring;
        if (w != null && hart < w.harts) {
            updateTimer(w, hart);
        }
    }

    /**
     * The MMIO window: the register map exists only once the hart count is known, so the region
     * (which the board may ask for earlier) reaches it through here.
     */
    private final class Window implements MmioHandler {
        @Override
        public long read(long offset, int size) {
            Wiring w = wiring;
            return w == null ? 0 : w.registers.read(offset, size);
        }

        @Override
        public void write(long offset, long value, int size) {
            Wiring w = wiring;
            if (w != null) {
                w.registers.write(offset, value, size);
            }
        }
    }
}
