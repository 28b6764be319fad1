package org.osgemu.device.clint;

import org.osgemu.testkit.FakeClock;
import org.osgemu.testkit.FakeDeviceContext;
import org.osgemu.testkit.FdtAssert;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.osgemu.api.device.DevicePlacement;
import org.osgemu.api.fdt.FdtNode;
import org.osgemu.api.memory.MmioHandler;
import org.osgemu.api.vmstate.VMStateException;

class ClintDeviceTest {

    private static final DevicePlacement PLACEMENT = new DevicePlacement(0x200_0000L, 0x10000, List.of(), 2);
    private static final long MTIMECMP = 0x4000;
    private static final long MTIME = 0xBFF8;
    /** One tick of the 10 MHz timebase. */
    private static final long TICK = 100;

    private final FakeDeviceContext context = new FakeDeviceContext(PLACEMENT);
    private ClintDevice clint;
    private MmioHandler mmio;

    @BeforeEach
    void realize() {
        clint = new ClintDevice("clint");
        clint.realize(context);
        mmio = clint.region().handler();
    }

    private boolean msip(int hart) {
        return context.cpuLine(hart, 3).level;
    }

    private boolean mtip(int hart) {
        return context.cpuLine(hart, 7).level;
    }

    @Test
    void msipRaisesAndLowersTheHartsSoftwareInterrupt() {
        mmio.write(0x4, 1, 4);
        assertTrue(msip(1));
        assertFalse(msip(0));
        assertEquals(1, mmio.read(0x4, 4));
        mmio.write(0x4, 0, 4);
        assertFalse(msip(1));
    }

    @Test
    void onlyBitZeroOfMsipExists() {
        mmio.write(0x0, 0xFFFF_FFFEL, 4);
        assertFalse(msip(0));
        assertEquals(0, mmio.read(0x0, 4));
        mmio.write(0x0, 0xFFFF_FFFFL, 4);
        assertEquals(1, mmio.read(0x0, 4));
    }

    @Test
    void mtimeCountsTheVirtualClockAtTheTimebase() {
        assertEquals(0, mmio.read(MTIME, 8));
        context.virtualClock.advanceTo(1_000_000L); // 1 ms
        assertEquals(10_000, mmio.read(MTIME, 8));
        assertEquals(10_000, mmio.read(MTIME, 4));
        assertEquals(0, mmio.read(MTIME + 4, 4));
    }

    @Test
    void noTimerInterruptBeforeSoftwareProgramsMtimecmp() {
        context.virtualClock.advanceTo(1_000_000_000_000L);
        assertFalse(mtip(0));
        assertEquals(-1L, mmio.read(MTIMECMP, 8));
        assertTrue(context.virtualClock.liveTimers().stream().noneMatch(FakeClock.FakeTimer::isPending));
    }

    @Test
    void mtipRisesWhenTheClockPassesTheDeadlineAndFallsWhenReArmed() {
        mmio.write(MTIMECMP + 8, 1000, 8); // hart 1, 100 us from now
        assertFalse(mtip(1));
        context.virtualClock.advanceTo(1000 * TICK - 1);
        assertFalse(mtip(1));
        context.virtualClock.advanceTo(1000 * TICK);
        assertTrue(mtip(1), "the timer fired at the deadline");
        assertFalse(mtip(0));
        mmio.write(MTIMECMP + 8, 3000, 8);
        assertFalse(mtip(1), "a later compare value lowers MTIP");
        context.virtualClock.advanceTo(3000 * TICK);
        assertTrue(mtip(1));
    }

    @Test
    void aCompareValueInThePastRaisesAtOnce() {
        context.virtualClock.advanceTo(5000 * TICK);
        mmio.write(MTIMECMP, 4999, 8);
        assertTrue(mtip(0));
    }

    @Test
    void mtimecmpTakesThirtyTwoBitHalves() {
        mmio.write(MTIMECMP + 4, 0, 4);
        mmio.write(MTIMECMP, 500, 4);
        assertEquals(500, mmio.read(MTIMECMP, 8));
        context.virtualClock.advanceTo(500 * TICK);
        assertTrue(mtip(0));
        mmio.write(MTIMECMP + 4, 1, 4); // 2^32 + 500
        assertFalse(mtip(0));
        assertEquals(1, mmio.read(MTIMECMP + 4, 4));
    }

    @Test
    void writingMtimeMovesTheTimelineOfEveryHart() {
        mmio.write(MTIMECMP, 6000, 8);
        mmio.write(MTIMECMP + 8, 6000, 8);
        mmio.write(MTIME, 5000, 8);
        assertEquals(5000, mmio.read(MTIME, 8));
        context.virtualClock.advanceTo(999 * TICK);
        assertFalse(mtip(0));
        context.virtualClock.advanceTo(1000 * TICK);
        assertTrue(mtip(0));
        assertTrue(mtip(1));
        assertEquals(6000, mmio.read(MTIME, 8));
        mmio.write(MTIME, 0, 8);
        assertFalse(mtip(0), "moving MTIME back below MTIMECMP lowers MTIP");
    }

    @Test
    void aHalfWriteOfMtimeKeepsTheOtherHalfCounting() {
        context.virtualClock.advanceTo(1234 * TICK);
        mmio.write(MTIME + 4, 2, 4);
        assertEquals((2L << 32) + 1234, mmio.read(MTIME, 8));
        context.virtualClock.advanceTo(1300 * TICK);
        assertEquals((2L << 32) + 1300, mmio.read(MTIME, 8));
    }

    @Test
    void aFarDeadlineArmsNoTimerItCannotReach() {
        mmio.write(MTIMECMP, 1L << 62, 8);
        assertFalse(mtip(0));
        context.virtualClock.advanceTo(Long.MAX_VALUE / 2);
        assertFalse(mtip(0));
    }

    @Test
    void guestMistakesAreLoggedNotThrown() {
        assertEquals(0, mmio.read(0x8, 4));        // MSIP of a third hart the machine lacks
        mmio.write(MTIMECMP + 16, 1, 8);           // MTIMECMP of a third hart
        assertEquals(0, mmio.read(0x0, 8));        // 8 bytes across MSIP 0 and 1
        mmio.write(0x8000, 1, 4);                  // reserved
        assertEquals(4, context.guestErrors.size(), context.guestErrors.toString());
        assertFalse(msip(0) || msip(1));
    }

    @Test
    void resetLowersLinesAndForgetsCompareValues() {
        mmio.write(0x0, 1, 4);
        mmio.write(MTIMECMP, 0, 8);
        assertTrue(msip(0) && mtip(0));
        clint.reset();
        assertFalse(msip(0));
        assertFalse(mtip(0));
        assertEquals(-1L, mmio.read(MTIMECMP, 8));
    }

    @Test
    void unrealizeFreesTimersAndDropsLines() {
        mmio.write(0x4, 1, 4);
        mmio.write(MTIMECMP, 10, 8);
        clint.unrealize();
        assertFalse(msip(1));
        assertEquals(List.of(), context.virtualClock.liveTimers());
        assertEquals(0, mmio.read(0x4, 4), "an unrealized CLINT reads as zero");
    }

    @Test
    void aMachineTooLargeOrABadTimebaseIsAHostError() {
        FakeDeviceContext huge = new FakeDeviceContext(new DevicePlacement(0x200_0000L, 0x10000, List.of(), 5000));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new ClintDevice("c1").realize(huge));
        assertTrue(e.getMessage().contains("c1") && e.getMessage().contains("5000"), e.getMessage());
        FakeDeviceContext slow = new FakeDeviceContext(PLACEMENT);
        slow.timebaseHz = 0;
        e = assertThrows(IllegalArgumentException.class, () -> new ClintDevice("c2").realize(slow));
        assertTrue(e.getMessage().contains("c2") && e.getMessage().contains("timebase"), e.getMessage());
    }

    @Test
    void deviceTreeNodeIsQemusVirtClintNode() {
        FdtNode node = clint.describe(PLACEMENT);
        assertEquals("clint@2000000", node.name());
        FdtAssert.assertStrings(node, "compatible", "sifive,clint0", "riscv,clint0");
        FdtAssert.assertCells(node, "reg", 0, 0x200_0000, 0, 0x10000);
        FdtAssert.assertCells(node, "interrupts-extended",
                "cpu0-intc", 3, "cpu0-intc", 7, "cpu1-intc", 3, "cpu1-intc", 7);
    }

    @Test
    void stateRoundTripsThroughTheStream() throws VMStateException {
        mmio.write(0x4, 1, 4);
        mmio.write(MTIMECMP, 2000, 8);
        mmio.write(MTIME, 700, 8);
        byte[] bytes = ClintState.VMSTATE.save(clint.saveState());

        FakeDeviceContext otherContext = new FakeDeviceContext(PLACEMENT);
        ClintDevice other = new ClintDevice("clint");
        other.realize(otherContext);
        other.loadState(ClintState.VMSTATE.load(bytes, 1));
        MmioHandler otherMmio = other.region().handler();

        assertTrue(otherContext.cpuLine(1, 3).level, "MSIP is driven from the loaded state");
        assertFalse(otherContext.cpuLine(0, 3).level);
        assertEquals(700, otherMmio.read(MTIME, 8));
        assertEquals(2000, otherMmio.read(MTIMECMP, 8));
        otherContext.virtualClock.advanceTo(1300 * TICK - 1);
        assertFalse(otherContext.cpuLine(0, 7).level);
        otherContext.virtualClock.advanceTo(1300 * TICK);
        assertTrue(otherContext.cpuLine(0, 7).level, "the compare timer is re-armed after loading");
    }

    @Test
    void outOfRangeStateIsRefusedNamingTheField() {
        byte[] bytes = ClintState.VMSTATE.save(clint.saveState());
        bytes[4 + 3] = 2; // msip: 4-byte count, then hart 0's word (big-endian); only bit 0 exists
        VMStateException e = assertThrows(VMStateException.class, () -> ClintState.VMSTATE.load(bytes, 1));
        assertTrue(e.getMessage().contains("msip"), e.getMessage());
    }

    @Test
    void aStateForAnotherHartCountIsRefused() {
        ClintState oneHart = new ClintState(new int[] {0}, new long[] {-1L}, 0);
        VMStateException e = assertThrows(VMStateException.class, () -> clint.loadState(oneHart));
        assertTrue(e.getMessage().contains("msip") && e.getMessage().contains("1 harts"), e.getMessage());
        assertEquals(-1L, mmio.read(MTIMECMP, 8), "a refused state changes nothing");
    }

    @Test
    void componentRefusesAConfigurationWithoutId() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new ClintComponent(config(null, "m0")));
        assertTrue(e.getMessage().contains(ClintComponent.PID) && e.getMessage().contains("'id'"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new ClintComponent(config("c", null)));
    }

    private static ClintConfig config(String id, String machine) {
        return new ClintConfig() {
            @Override public Class<? extends java.lang.annotation.Annotation> annotationType() { return ClintConfig.class; }
            @Override public String id() { return id; }
            @Override public String machine() { return machine; }
        };
    }
}
