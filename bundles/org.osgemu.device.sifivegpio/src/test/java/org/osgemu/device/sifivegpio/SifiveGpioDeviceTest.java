package org.osgemu.device.sifivegpio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.osgemu.device.sifivegpio.SifiveGpioRegisters.*;

import java.util.List;
import java.util.stream.IntStream;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.osgemu.api.device.DevicePlacement;
import org.osgemu.testkit.FakeDeviceContext;

/** The controller's registers and interrupts, as a guest driver sees them. */
class SifiveGpioDeviceTest {

    static final DevicePlacement PLACEMENT = new DevicePlacement(0x103000, 0x1000,
            IntStream.range(12, 28).boxed().toList(), 1);

    private final FakeDeviceContext ctx = new FakeDeviceContext(PLACEMENT);
    private SifiveGpioDevice gpio;

    @BeforeEach
    void realize() {
        gpio = new SifiveGpioDevice("gpio0");
        gpio.realize(ctx);
        gpio.reset();
    }

    private long read(int offset) {
        return gpio.read(offset, 4);
    }

    private void write(int offset, long value) {
        gpio.write(offset, value, 4);
    }

    private boolean line(int pin) {
        return ctx.irqLine(pin).level;
    }

    @Test
    void registersReadBackWhatWasWrittenForTheSixteenPins() {
        int[] offsets = {INPUT_EN_OFFSET, OUTPUT_EN_OFFSET, OUTPUT_VAL_OFFSET, PUE_OFFSET, DS_OFFSET, RISE_IE_OFFSET,
                FALL_IE_OFFSET, HIGH_IE_OFFSET, LOW_IE_OFFSET, IOF_EN_OFFSET, IOF_SEL_OFFSET, OUT_XOR_OFFSET};
        for (int offset : offsets) {
            write(offset, 0xFFFF_A5A4L);
            assertEquals(0xA5A4, read(offset), "register at 0x" + Integer.toHexString(offset));
        }
        assertEquals(List.of(), ctx.guestErrors);
    }

    @Test
    void anOutputLoopsBackToTheInputAndOutXorInvertsIt() {
        write(OUTPUT_EN_OFFSET, 0b110);
        write(OUTPUT_VAL_OFFSET, 0b010);
        assertEquals(0, read(INPUT_VAL_OFFSET), "no pin is sampled before input_en is set");
        write(INPUT_EN_OFFSET, 0b110);
        assertEquals(0b010, read(INPUT_VAL_OFFSET));
        write(OUT_XOR_OFFSET, 0b110);
        assertEquals(0b100, read(INPUT_VAL_OFFSET));
    }

    @Test
    void aFloatingPinReadsItsPullUp() {
        write(INPUT_EN_OFFSET, 0b1000);
        assertEquals(0, read(INPUT_VAL_OFFSET));
        write(PUE_OFFSET, 0b1000);
        assertEquals(0b1000, read(INPUT_VAL_OFFSET));
    }

    @Test
    void inputValIsReadOnly() {
        write(INPUT_VAL_OFFSET, 0xFF);
        assertEquals(0, read(INPUT_VAL_OFFSET));
        assertEquals(1, ctx.guestErrors.size());
        assertTrue(ctx.guestErrors.get(0).contains("input_val"), ctx.guestErrors.get(0));
    }

    @Test
    void aRisingEdgeInterruptsOnThePinsOwnLineUntilCleared() {
        write(INPUT_EN_OFFSET, 0b100);
        write(OUTPUT_EN_OFFSET, 0b100);
        write(RISE_IE_OFFSET, 0b100);
        write(OUTPUT_VAL_OFFSET, 0b100);

        assertEquals(0b100, read(RISE_IP_OFFSET));
        assertTrue(line(2));
        assertFalse(line(0) || line(1) || line(3), "only pin 2's line");
        write(RISE_IP_OFFSET, 0b100);
        assertEquals(0, read(RISE_IP_OFFSET));
        assertFalse(line(2));
    }

    @Test
    void aFallingEdgeSetsFallIpAndOnlyAnEnabledOneInterrupts() {
        int pin5 = 1 << 5;
        write(INPUT_EN_OFFSET, pin5);
        write(PUE_OFFSET, pin5);
        write(RISE_IP_OFFSET, pin5);
        write(PUE_OFFSET, 0);
        assertEquals(pin5, read(FALL_IP_OFFSET));
        assertEquals(0, read(RISE_IP_OFFSET));
        assertFalse(line(5), "fall_ie is off");
        write(FALL_IE_OFFSET, pin5);
        assertTrue(line(5), "enabling with a pending edge raises the line");
    }

    @Test
    void aLevelInterruptStaysPendingWhileTheLevelLasts() {
        write(INPUT_EN_OFFSET, 0b10);
        write(PUE_OFFSET, 0b10);
        write(HIGH_IE_OFFSET, 0b10);
        assertTrue(line(1));
        write(HIGH_IP_OFFSET, 0b10);
        assertTrue(line(1), "still high: clearing high_ip does not hold");
        write(PUE_OFFSET, 0);
        write(HIGH_IP_OFFSET, 0b10);
        assertFalse(line(1));
        assertEquals(0b10, read(LOW_IP_OFFSET) & 0b10, "the pin is low now");
    }

    @Test
    void anUnknownOffsetIsAGuestErrorAndReadsZero() {
        assertEquals(0, read(0x44));
        write(0x80, 1);
        assertEquals(2, ctx.guestErrors.size());
    }

    @Test
    void resetClearsRegistersAndLowersTheLines() {
        write(INPUT_EN_OFFSET, 0b10);
        write(PUE_OFFSET, 0b10);
        write(HIGH_IE_OFFSET, 0b10);
        assertTrue(line(1));
        gpio.reset();
        assertFalse(line(1));
        assertEquals(0, read(INPUT_EN_OFFSET));
        assertEquals(0, read(HIGH_IE_OFFSET));
    }

    @Test
    void narrowAccessesReachTheRightBytes() {
        gpio.write(OUTPUT_VAL_OFFSET + 1, 0x80, 1);
        assertEquals(0x8000, read(OUTPUT_VAL_OFFSET));
        assertEquals(0x80, gpio.read(OUTPUT_VAL_OFFSET + 1, 1));
        assertTrue(gpio.region().rules().accepts(0, 4));
        assertFalse(gpio.region().rules().accepts(0, 8));
    }
}
