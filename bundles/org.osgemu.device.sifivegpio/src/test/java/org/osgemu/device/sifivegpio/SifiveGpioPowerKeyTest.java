package org.osgemu.device.sifivegpio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.osgemu.device.sifivegpio.SifiveGpioRegisters.*;

import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.osgemu.api.fdt.FdtNode;
import org.osgemu.api.vmstate.VMStateException;
import org.osgemu.testkit.FakeClock;
import org.osgemu.testkit.FakeDeviceContext;
import org.osgemu.testkit.FdtAssert;

/**
 * The power key on pin 0, driven the way Linux's gpio-sifive and gpio-keys drivers use it: the
 * pin is an input with both edge interrupts enabled, each interrupt ends with the pending bits
 * cleared (the driver's eoi), and gpio-keys reads the level after its debounce delay.
 */
class SifiveGpioPowerKeyTest {

    private static final long MS = TimeUnit.MILLISECONDS.toNanos(1);

    private final FakeDeviceContext ctx = new FakeDeviceContext(SifiveGpioDeviceTest.PLACEMENT);
    private final FakeClock clock = ctx.virtualClock;
    private SifiveGpioDevice gpio;

    @BeforeEach
    void realize() {
        clock.advanceTo(1_000 * MS);
        gpio = new SifiveGpioDevice("gpio0");
        gpio.realize(ctx);
        gpio.reset();
    }

    /** What gpio-sifive does for gpio-keys: pin 0 an input, stale pending bits cleared, both edges enabled. */
    private static void enableKeyInterrupt(SifiveGpioDevice gpio) {
        gpio.write(OUTPUT_EN_OFFSET, 0, 4);
        gpio.write(INPUT_EN_OFFSET, 0xFFFF_FFFFL, 4);
        clearPending(gpio);
        gpio.write(RISE_IE_OFFSET, 1, 4);
        gpio.write(FALL_IE_OFFSET, 1, 4);
    }

    /** gpio-sifive's eoi for pin 0. */
    private static void clearPending(SifiveGpioDevice gpio) {
        for (int ip : new int[] {RISE_IP_OFFSET, FALL_IP_OFFSET, HIGH_IP_OFFSET, LOW_IP_OFFSET}) {
            gpio.write(ip, 1, 4);
        }
    }

    private long keyLevel() {
        return gpio.read(INPUT_VAL_OFFSET, 4) & 1;
    }

    private boolean keyLine() {
        return ctx.irqLine(0).level;
    }

    @Test
    void aPressReachesTheGuestAsARisingThenAFallingEdge() {
        enableKeyInterrupt(gpio);
        assertFalse(keyLine());

        gpio.press();
        assertTrue(keyLine(), "the rising edge interrupts");
        clearPending(gpio);
        assertFalse(keyLine());
        clock.advanceBy(10 * MS);
        assertEquals(1, keyLevel(), "gpio-keys reads the key pressed after its debounce delay");

        clock.advanceBy(89 * MS);
        assertTrue(gpio.isKeyPressed());
        clock.advanceBy(MS);
        assertFalse(gpio.isKeyPressed(), "released 100 ms after the press");
        assertTrue(keyLine(), "the falling edge interrupts");
        assertEquals(1, gpio.read(FALL_IP_OFFSET, 4));
        clearPending(gpio);
        assertFalse(keyLine());
        assertEquals(0, keyLevel());
        assertEquals(List.of(), ctx.guestErrors);
    }

    @Test
    void aGuestThatReadsLateStillSeesThePress() {
        enableKeyInterrupt(gpio);
        gpio.press();
        clearPending(gpio);
        clock.advanceBy(300 * MS);
        assertTrue(gpio.isKeyPressed(), "held past 100 ms: the guest has not read it yet");

        assertEquals(1, keyLevel());
        assertTrue(gpio.isKeyPressed(), "the read that sees the press does not change the pin itself");
        clock.advanceBy(0);
        assertFalse(gpio.isKeyPressed(), "released right after the guest saw it");
        assertTrue(keyLine());
    }

    @Test
    void aGuestWithoutADriverGetsTheKeyBackAfterFiveSeconds() {
        gpio.press();
        assertFalse(keyLine(), "no interrupt is enabled");
        clock.advanceBy(4_999 * MS);
        assertTrue(gpio.isKeyPressed());
        clock.advanceBy(MS);
        assertFalse(gpio.isKeyPressed());
        assertEquals(0, gpio.read(INPUT_VAL_OFFSET, 4), "input was never enabled");
    }

    @Test
    void aPressWhileHeldIsPartOfTheSamePress() {
        enableKeyInterrupt(gpio);
        gpio.press();
        clearPending(gpio);
        clock.advanceBy(50 * MS);
        gpio.press();
        assertFalse(keyLine(), "no second edge");
        assertEquals(1, keyLevel());
        clock.advanceBy(50 * MS);
        assertFalse(gpio.isKeyPressed(), "released 100 ms after the first press");
    }

    @Test
    void aDeviceOnNoMachineIgnoresPresses() {
        SifiveGpioDevice loose = new SifiveGpioDevice("loose");
        loose.press();
        assertFalse(loose.isKeyPressed());
        gpio.press();
        gpio.unrealize();
        assertFalse(gpio.isKeyPressed(), "unplugged: the key is let go");
        gpio.press();
        assertFalse(gpio.isKeyPressed());
        assertEquals(List.of(), clock.liveTimers(), "unrealize frees the key's timer");
    }

    @Test
    void resetLetsTheKeyGo() {
        gpio.press();
        gpio.reset();
        assertFalse(gpio.isKeyPressed());
        clock.advanceBy(200 * MS);
        assertFalse(gpio.isKeyPressed());
    }

    @Test
    void enablingOutputOnTheKeyPinIsAGuestErrorAndTheKeyWins() {
        gpio.write(OUTPUT_EN_OFFSET, 1, 4);
        gpio.write(OUTPUT_VAL_OFFSET, 1, 4);
        gpio.write(INPUT_EN_OFFSET, 1, 4);
        assertEquals(0, keyLevel());
        assertEquals(1, ctx.guestErrors.size());
        assertTrue(ctx.guestErrors.get(0).contains("power key"), ctx.guestErrors.get(0));
    }

    @Test
    void aMigrationDuringAPressReleasesOnTheDestinationOnTime() throws VMStateException {
        enableKeyInterrupt(gpio);
        gpio.press();
        clearPending(gpio);
        clock.advanceBy(20 * MS);
        assertEquals(1, keyLevel());
        byte[] stream = SifiveGpioState.VMSTATE.save(gpio.saveState());

        FakeDeviceContext destination = new FakeDeviceContext(SifiveGpioDeviceTest.PLACEMENT);
        destination.virtualClock.advanceTo(clock.nanos()); // the migration carries guest time over
        SifiveGpioDevice copy = new SifiveGpioDevice("gpio0");
        copy.realize(destination);
        copy.loadState(SifiveGpioState.VMSTATE.load(stream, 1));

        assertTrue(copy.isKeyPressed());
        assertFalse(destination.irqLine(0).level);
        assertEquals(1, copy.read(INPUT_VAL_OFFSET, 4) & 1);
        destination.virtualClock.advanceBy(79 * MS);
        assertTrue(copy.isKeyPressed());
        destination.virtualClock.advanceBy(MS);
        assertFalse(copy.isKeyPressed());
        assertTrue(destination.irqLine(0).level, "the release's falling edge");
    }

    @Test
    void malformedStateIsRefusedNamingTheField() {
        SifiveGpioState good = gpio.saveState();
        VMStateException tooWide = assertThrows(VMStateException.class, () -> gpio.loadState(new SifiveGpioState(
                good.inputEn(), good.outputEn(), good.outputVal(), good.pue(), good.ds(), 0x1_0000, good.riseIp(),
                good.fallIe(), good.fallIp(), good.highIe(), good.highIp(), good.lowIe(), good.lowIp(), good.iofEn(),
                good.iofSel(), good.outXor(), false, 0, false)));
        assertTrue(tooWide.getMessage().startsWith("sifive_gpio.riseIe: 0x10000"), tooWide.getMessage());
        VMStateException seen = assertThrows(VMStateException.class, () -> gpio.loadState(new SifiveGpioState(
                0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, false, 0, true)));
        assertTrue(seen.getMessage().startsWith("sifive_gpio.keySeen"), seen.getMessage());
        assertThrows(VMStateException.class, () -> SifiveGpioState.VMSTATE.load(new byte[3], 1));
    }

    @Test
    void deviceTreeHasTheControllerAsGpioSifiveReadsIt() {
        FdtNode node = gpio.describe(SifiveGpioDeviceTest.PLACEMENT);
        assertEquals("gpio@103000", node.name());
        assertEquals("gpio-gpio0", node.label());
        FdtAssert.assertStrings(node, "compatible", "sifive,gpio0");
        FdtAssert.assertCells(node, "reg", 0, 0x103000, 0, 0x1000);
        FdtAssert.assertCells(node, "interrupts", 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27);
        FdtAssert.assertCells(node, "interrupt-parent", "plic");
        FdtAssert.assertFlag(node, "gpio-controller");
        FdtAssert.assertFlag(node, "interrupt-controller");
        FdtAssert.assertCells(node, "#gpio-cells", 2);
        FdtAssert.assertCells(node, "#interrupt-cells", 2);
    }

    @Test
    void thePowerKeyIsAGpioKeysNodeOnPinZeroActiveHigh() {
        List<FdtNode> roots = gpio.rootNodes(SifiveGpioDeviceTest.PLACEMENT);
        assertEquals(1, roots.size());
        FdtNode keys = roots.get(0);
        assertEquals("gpio-keys", keys.name());
        FdtAssert.assertStrings(keys, "compatible", "gpio-keys");
        FdtNode key = keys.children().get(0);
        FdtAssert.assertCells(key, "linux,code", 116);
        FdtAssert.assertCells(key, "gpios", "gpio-gpio0", 0, 0);
        FdtAssert.assertStrings(key, "label", "GPIO Key Poweroff");
    }

    @Test
    void componentRefusesAConfigurationWithoutIdOrMachine() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new SifiveGpioComponent(config(null, "m0")));
        assertTrue(e.getMessage().contains(SifiveGpioComponent.PID) && e.getMessage().contains("'id'"), e.getMessage());
        IllegalArgumentException noMachine = assertThrows(IllegalArgumentException.class,
                () -> new SifiveGpioComponent(config("g", null)));
        assertTrue(noMachine.getMessage().contains("'machine'"), noMachine.getMessage());
        assertEquals("g", new SifiveGpioComponent(config("g", "m0")).id());
    }

    private static SifiveGpioConfig config(String id, String machine) {
        return new SifiveGpioConfig() {
            @Override public Class<? extends java.lang.annotation.Annotation> annotationType() { return SifiveGpioConfig.class; }
            @Override public String id() { return id; }
            @Override public String machine() { return machine; }
        };
    }
}
