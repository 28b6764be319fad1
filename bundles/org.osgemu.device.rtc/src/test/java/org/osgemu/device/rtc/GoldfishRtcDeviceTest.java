package org.osgemu.device.rtc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.osgemu.device.rtc.GoldfishRtcRegisters.*;

import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.osgemu.api.clock.ClockType;
import org.osgemu.api.device.DevicePlacement;
import org.osgemu.api.vmstate.VMStateException;
import org.osgemu.testkit.FakeClock;
import org.osgemu.testkit.FakeDeviceContext;
import org.osgemu.testkit.FdtAssert;

class GoldfishRtcDeviceTest {

    private static final long EPOCH_2026 = 1_795_651_200_000_000_000L; // 2026-11-26T00:00:00Z in ns

    private final FakeDeviceContext ctx = new FakeDeviceContext(new DevicePlacement(0x101000, 0x1000, List.of(11), 1));
    private final FakeClock host = ctx.fakeClock(ClockType.HOST);
    private GoldfishRtcDevice rtc;

    @BeforeEach
    void setUp() {
        host.advanceTo(EPOCH_2026);
        rtc = new GoldfishRtcDevice("rtc0");
        rtc.realize(ctx);
    }

    private long readTime() {
        long low = rtc.read(TIME_LOW, 4);
        long high = rtc.read(TIME_HIGH, 4);
        return (high << 32) | low;
    }

    @Test
    void guestReadsHostTime() {
        assertEquals(EPOCH_2026, readTime());
        host.advanceBy(1_500_000_000L);
        assertEquals(EPOCH_2026 + 1_500_000_000L, readTime());
    }

    @Test
    void lowReadLatchesHigh() {
        host.advanceTo((EPOCH_2026 | 0xFFFF_FFFFL) - 10);
        long low = rtc.read(TIME_LOW, 4);
        host.advanceBy(100); // the low word wraps; the latched high word must not move
        long high = rtc.read(TIME_HIGH, 4);
        assertEquals((EPOCH_2026 | 0xFFFF_FFFFL) - 10, (high << 32) | low);
    }

    @Test
    void guestSettingTheTimeKeepsAnOffset() {
        long target = EPOCH_2026 + 3_600_000_000_000L;
        rtc.write(TIME_HIGH, target >>> 32, 4);
        rtc.write(TIME_LOW, target & 0xFFFF_FFFFL, 4);
        assertEquals(target, readTime());
        host.advanceBy(1000);
        assertEquals(target + 1000, readTime());
    }

    @Test
    void alarmRaisesTheInterruptWhenEnabledAndClears() {
        rtc.write(IRQ_ENABLED, 1, 4);
        long when = EPOCH_2026 + 5_000_000_000L;
        rtc.write(ALARM_HIGH, when >>> 32, 4);
        rtc.write(ALARM_LOW, when & 0xFFFF_FFFFL, 4);
        assertEquals(1, rtc.read(ALARM_STATUS, 4));
        host.advanceBy(4_999_999_999L);
        assertFalse(ctx.irqLine(0).level);
        host.advanceBy(1);
        assertTrue(ctx.irqLine(0).level);
        assertEquals(0, rtc.read(ALARM_STATUS, 4));
        rtc.write(CLEAR_INTERRUPT, 1, 4);
        assertFalse(ctx.irqLine(0).level);
    }

    @Test
    void clearedAlarmNeverFires() {
        rtc.write(IRQ_ENABLED, 1, 4);
        rtc.write(ALARM_HIGH, (EPOCH_2026 + 10) >>> 32, 4);
        rtc.write(ALARM_LOW, (EPOCH_2026 + 10) & 0xFFFF_FFFFL, 4);
        rtc.write(CLEAR_ALARM, 1, 4);
        host.advanceBy(1_000);
        assertFalse(ctx.irqLine(0).level);
    }

    @Test
    void unknownRegistersAreGuestErrorsNotExceptions() {
        assertEquals(0, rtc.read(0x40, 4));
        rtc.write(ALARM_STATUS, 1, 4);
        assertEquals(2, ctx.guestErrors.size());
    }

    @Test
    void vmstateRoundTripKeepsOffsetAndAlarm() throws Exception {
        long target = EPOCH_2026 + 86_400_000_000_000L;
        rtc.write(TIME_HIGH, target >>> 32, 4);
        rtc.write(TIME_LOW, target & 0xFFFF_FFFFL, 4);
        rtc.write(IRQ_ENABLED, 1, 4);
        rtc.write(ALARM_HIGH, (target + 100) >>> 32, 4);
        rtc.write(ALARM_LOW, (target + 100) & 0xFFFF_FFFFL, 4);
        byte[] bytes = GoldfishRtcState.VMSTATE.save(rtc.saveState());

        GoldfishRtcDevice other = new GoldfishRtcDevice("rtc0");
        FakeDeviceContext ctx2 = new FakeDeviceContext(ctx.placement);
        ctx2.fakeClock(ClockType.HOST).advanceTo(EPOCH_2026);
        other.realize(ctx2);
        other.loadState(GoldfishRtcState.VMSTATE.load(bytes, 1));
        long low = other.read(TIME_LOW, 4);
        assertEquals(target, (other.read(TIME_HIGH, 4) << 32) | low);
        ctx2.fakeClock(ClockType.HOST).advanceBy(100);
        assertTrue(ctx2.irqLine(0).level);
    }

    @Test
    void malformedStateIsRefusedNamingTheField() {
        VMStateException e = assertThrows(VMStateException.class,
                () -> rtc.loadState(new GoldfishRtcState(0, 0, false, false, false, 1L << 40, 0)));
        assertTrue(e.getMessage().startsWith("goldfish_rtc.timeHigh"), e.getMessage());
    }

    @Test
    void deviceTreeNodeAsQemuVirt() {
        var node = rtc.describe(ctx.placement);
        assertEquals("rtc@101000", node.name());
        FdtAssert.assertStrings(node, "compatible", "google,goldfish-rtc");
        FdtAssert.assertCells(node, "interrupts", 11);
        FdtAssert.assertCells(node, "interrupt-parent", DevicePlacement.INTERRUPT_CONTROLLER);
    }
}
