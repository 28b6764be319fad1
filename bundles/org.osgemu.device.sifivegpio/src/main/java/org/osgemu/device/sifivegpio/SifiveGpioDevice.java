package org.osgemu.device.sifivegpio;

import static org.osgemu.device.sifivegpio.SifiveGpioRegisters.*;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

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
import org.osgemu.api.machine.PowerButton;
import org.osgemu.api.memory.AccessRules;
import org.osgemu.api.memory.MemoryRegion;
import org.osgemu.api.memory.MmioHandler;
import org.osgemu.api.vmstate.Migratable;
import org.osgemu.api.vmstate.VMStateDescription;
import org.osgemu.api.vmstate.VMStateException;

/**
 * The SiFive GPIO controller ({@code sifive_gpio}, device-tree {@code sifive,gpio0}) with 16 pins
 * and one interrupt line per pin, and the board's power key wired to pin 0. A pin's level is the
 * key's (pin 0), else {@code output_val ^ out_xor} where {@code output_en} is set, else the pull-up
 * ({@code pue}); {@code input_val} shows the levels of the pins whose {@code input_en} is set. Each
 * change of an input sets the pin's {@code rise_ip} or {@code fall_ip}; a high or low input keeps
 * setting {@code high_ip} or {@code low_ip} (clearing one while the level lasts has no effect). A
 * pin's interrupt line is high while one of its pending bits is set together with its enable.
 *
 * <p>The power key (what QEMU's ARM {@code virt} board has as a {@code gpio-keys} power button)
 * is active high: {@link #press()} drives pin 0 high for {@value #KEY_HOLD_MILLIS} ms of guest
 * time, and longer until the guest has read the pressed level, so that a slow guest does not miss
 * it (at most {@value #KEY_MAX_HOLD_MILLIS} ms, for a guest with no driver). The device describes
 * the key in a root {@code gpio-keys} node ({@code linux,code} 116, KEY_POWER).
 *
 * <p>Not modelled: the hardware functions ({@code iof_en}, {@code iof_sel}) and drive strength
 * ({@code ds}) are kept for reading back only; outputs drive nothing outside the controller.
 */
public class SifiveGpioDevice implements PlatformDevice, Migratable<SifiveGpioState>, PowerButton, MmioHandler {

    /** The type name, as {@code -device} spells it. */
    public static final String TYPE = "sifive_gpio";
    /** The pin the power key drives. */
    public static final int POWER_KEY_PIN = 0;
    /** Linux's KEY_POWER, the code the {@code gpio-keys} node gives the key. */
    public static final int KEY_POWER = 116;
    /** How long a press lasts at least, in guest milliseconds (as QEMU's {@code gpio-key}). */
    public static final long KEY_HOLD_MILLIS = 100;
    /** How long a press that the guest never reads lasts. */
    public static final long KEY_MAX_HOLD_MILLIS = 5_000;

    private static final int KEY_BIT = 1 << POWER_KEY_PIN;
    private static final long KEY_HOLD_NANOS = TimeUnit.MILLISECONDS.toNanos(KEY_HOLD_MILLIS);
    private static final long KEY_MAX_HOLD_NANOS = TimeUnit.MILLISECONDS.toNanos(KEY_MAX_HOLD_MILLIS);
    /** The {@code gpios} flag of the key: GPIO_ACTIVE_HIGH from Linux's dt-bindings/gpio/gpio.h. */
    private static final int GPIO_ACTIVE_HIGH = 0;

    private final String id;
    private final RegisterMap registers;
    private final MemoryRegion region;
    private final IrqLine[] lines = new IrqLine[PINS];
    private GuestErrorLog log = GuestErrorLog.NONE;
    private Clock clock;
    private Timer keyTimer;
    /** The input value as {@code input_val} reads it; follows from the registers and the key. */
    private int inputValue;
    /** The levels the interrupt lines were last given; follows from the registers. */
    private int lineLevels;
    private boolean keyPressed;
    private long keyPressedAt;
    private boolean keySeen;

    /** A controller named {@code id}; it takes interrupts and key presses once {@link #realize realized}. */
    public SifiveGpioDevice(String id) {
        this.id = Objects.requireNonNull(id, "id");
        this.registers = SifiveGpioRegisters.declare(index -> readInputValue(), () -> update(true),
                (index, enabled) -> checkOutputsAgainstKey(enabled));
        // 32-bit registers; QEMU's model takes narrower accesses too, and so does the register map.
        this.region = MemoryRegion.mmio(TYPE + "." + id, SIZE, this, AccessRules.sizes(1, 4));
        Arrays.fill(lines, IrqLine.NONE);
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

    /** The label of the device's node, which the power key's {@code gpios} refers to. */
    public String fdtLabel() {
        return "gpio-" + id;
    }

    @Override
    public synchronized void realize(DeviceContext context) {
        log = context.log();
        registers.setLog(log);
        for (int pin = 0; pin < PINS; pin++) {
            lines[pin] = context.irq(pin);
        }
        clock = context.clock(ClockType.VIRTUAL);
        keyTimer = clock.newTimer(TYPE + "." + id + ".power-key", this::keyTimerFired);
        update(false);
        driveLines(true);
        armKeyTimer();
    }

    /** Off the machine, the key is let go too: its press time belongs to that machine's clock. */
    @Override
    public synchronized void unrealize() {
        releaseKey();
        if (keyTimer != null) {
            keyTimer.free();
            keyTimer = null;
        }
        clock = null;
        Arrays.fill(lines, IrqLine.NONE);
        log = GuestErrorLog.NONE;
        registers.setLog(GuestErrorLog.NONE);
    }

    /** Registers to their reset values (zero), the key released. */
    @Override
    public synchronized void reset() {
        registers.reset();
        releaseKey();
        update(false);
    }

    @Override
    public synchronized long read(long offset, int size) {
        return registers.read(offset, size);
    }

    @Override
    public synchronized void write(long offset, long value, int size) {
        registers.write(offset, value, size);
    }

    /** Presses the power key; ignored while it is held, or while the device is on no machine. */
    @Override
    public synchronized void press() {
        if (clock == null || keyPressed) {
            return;
        }
        keyPressed = true;
        keyPressedAt = clock.nanos();
        keySeen = false;
        update(true);
        armKeyTimer();
    }

    /** Whether the power key holds its pin high now. */
    public synchronized boolean isKeyPressed() {
        return keyPressed;
    }

    @Override
    public FdtNode describe(DevicePlacement placement) {
        long[] irqs = placement.irqs().stream().limit(PINS).mapToLong(Integer::longValue).toArray();
        // What gpio-sifive.c reads: one interrupt per pin (their count is the pin count), a parent
        // domain to map them into, and two-cell gpio and interrupt specifiers.
        return FdtNode.at("gpio", placement.base())
                .string("compatible", "sifive,gpio0")
                .reg(placement.base(), placement.size())
                .phandleRef("interrupt-parent", DevicePlacement.INTERRUPT_CONTROLLER)
                .u32("interrupts", irqs)
                .flag("gpio-controller")
                .u32("#gpio-cells", 2)
                .flag("interrupt-controller")
                .u32("#interrupt-cells", 2)
                .u32("ngpios", PINS)
                .label(fdtLabel());
    }

    /** The power key, as Linux's gpio-keys driver finds it (the node QEMU's ARM virt board has). */
    @Override
    public List<FdtNode> rootNodes(DevicePlacement placement) {
        FdtNode key = new FdtNode("poweroff")
                .string("label", "GPIO Key Poweroff")
                .u32("linux,code", KEY_POWER)
                .cells("gpios", fdtLabel(), POWER_KEY_PIN, GPIO_ACTIVE_HIGH);
        return List.of(new FdtNode("gpio-keys").string("compatible", "gpio-keys").child(key));
    }

    @Override
    public VMStateDescription<SifiveGpioState> vmstate() {
        return SifiveGpioState.VMSTATE;
    }

    @Override
    public synchronized SifiveGpioState saveState() {
        return new SifiveGpioState(reg(INPUT_EN), reg(OUTPUT_EN), reg(OUTPUT_VAL), reg(PUE), reg(DS),
                reg(RISE_IE), reg(RISE_IP), reg(FALL_IE), reg(FALL_IP),
                reg(HIGH_IE), reg(HIGH_IP), reg(LOW_IE), reg(LOW_IP),
                reg(IOF_EN), reg(IOF_SEL), reg(OUT_XOR),
                keyPressed, keyPressedAt, keySeen);
    }

    @Override
    public synchronized void loadState(SifiveGpioState s) throws VMStateException {
        Objects.requireNonNull(s, "state");
        int[] values = {s.inputEn(), s.outputEn(), s.outputVal(), s.pue(), s.ds(), s.riseIe(), s.riseIp(), s.fallIe(),
                s.fallIp(), s.highIe(), s.highIp(), s.lowIe(), s.lowIp(), s.iofEn(), s.iofSel(), s.outXor()};
        String[] fields = {"inputEn", "outputEn", "outputVal", "pue", "ds", "riseIe", "riseIp", "fallIe",
                "fallIp", "highIe", "highIp", "lowIe", "lowIp", "iofEn", "iofSel", "outXor"};
        for (int i = 0; i < values.length; i++) {
            if ((values[i] & ~PIN_MASK) != 0) {
                throw new VMStateException(String.format("%s.%s: 0x%x sets bits of pins beyond the %d the device has",
                        TYPE, fields[i], values[i], PINS));
            }
        }
        if (s.keyPressedAt() < 0) {
            throw new VMStateException(TYPE + ".keyPressedAt: " + s.keyPressedAt() + " is not a virtual-clock time");
        }
        if (s.keySeen() && !s.keyPressed()) {
            throw new VMStateException(TYPE + ".keySeen: set while keyPressed is not");
        }
        String[] names = {INPUT_EN, OUTPUT_EN, OUTPUT_VAL, PUE, DS, RISE_IE, RISE_IP, FALL_IE,
                FALL_IP, HIGH_IE, HIGH_IP, LOW_IE, LOW_IP, IOF_EN, IOF_SEL, OUT_XOR};
        for (int i = 0; i < names.length; i++) {
            registers.set(names[i], values[i]);
        }
        keyPressed = s.keyPressed();
        keyPressedAt = s.keyPressedAt();
        keySeen = s.keySeen();
        update(false);
        driveLines(true);
        armKeyTimer();
    }

    private int reg(String name) {
        return (int) registers.get(name);
    }

    /** The pin levels: the key's on its pin, then what the controller drives, then the pull-ups. */
    private int pinLevels() {
        int outputEn = reg(OUTPUT_EN);
        int levels = ((reg(OUTPUT_VAL) ^ reg(OUT_XOR)) & outputEn) | (reg(PUE) & ~outputEn);
        return (levels & ~KEY_BIT) | (keyPressed ? KEY_BIT : 0);
    }

    /**
     * Samples the inputs again: with {@code edges}, changes since the last sample set the rise and
     * fall pending bits; high and low levels always set theirs. Then the lines follow.
     */
    private void update(boolean edges) {
        int sampled = pinLevels() & reg(INPUT_EN) & PIN_MASK;
        if (edges) {
            setPending(RISE_IP, sampled & ~inputValue);
            setPending(FALL_IP, ~sampled & inputValue);
        }
        setPending(HIGH_IP, sampled);
        setPending(LOW_IP, ~sampled);
        inputValue = sampled;
        driveLines(false);
    }

    private void setPending(String register, int bits) {
        registers.set(register, (reg(register) | bits) & PIN_MASK);
    }

    /** Gives each pin's line its level: all of them when {@code all}, else those that changed. */
    private void driveLines(boolean all) {
        int pending = (reg(RISE_IP) & reg(RISE_IE)) | (reg(FALL_IP) & reg(FALL_IE))
                | (reg(HIGH_IP) & reg(HIGH_IE)) | (reg(LOW_IP) & reg(LOW_IE));
        int changed = all ? PIN_MASK : pending ^ lineLevels;
        lineLevels = pending;
        for (int pin = 0; pin < PINS; pin++) {
            if ((changed & (1 << pin)) != 0) {
                lines[pin].setLevel((pending & (1 << pin)) != 0);
            }
        }
    }

    /** {@code input_val}; a read that shows the pressed key lets the key go once it was held long enough. */
    private long readInputValue() {
        if (keyPressed && !keySeen && (inputValue & KEY_BIT) != 0) {
            keySeen = true;
            if (clock != null && clock.nanos() - keyPressedAt >= KEY_HOLD_NANOS) {
                keyTimer.modNanos(clock.nanos()); // past the hold: release on the timer thread, not in this read
            }
        }
        return inputValue;
    }

    private void checkOutputsAgainstKey(long enabled) {
        if ((enabled & KEY_BIT) != 0) {
            log.guestError("%s %s: output enabled on pin %d, which the power key drives; the key's level wins",
                    TYPE, id, POWER_KEY_PIN);
        }
    }

    /** Timer of the key: it lets go once held long enough and seen, or held for the longest. */
    private synchronized void keyTimerFired() {
        if (!keyPressed || clock == null) {
            return;
        }
        long held = clock.nanos() - keyPressedAt;
        if (keySeen || held >= KEY_MAX_HOLD_NANOS) {
            releaseKey();
            update(true);
        } else {
            keyTimer.modNanos(keyPressedAt + KEY_MAX_HOLD_NANOS); // a read of the pressed level brings it forward
        }
    }

    private void armKeyTimer() {
        if (keyTimer == null) {
            return;
        }
        if (keyPressed) {
            keyTimer.modNanos(keyPressedAt + KEY_HOLD_NANOS);
        } else {
            keyTimer.cancel();
        }
    }

    private void releaseKey() {
        keyPressed = false;
        keySeen = false;
        if (keyTimer != null) {
            keyTimer.cancel();
        }
    }
}
