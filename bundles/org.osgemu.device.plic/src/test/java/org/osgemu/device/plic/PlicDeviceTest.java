package org.osgemu.device.plic;

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
import org.osgemu.api.irq.IrqLine;
import org.osgemu.api.memory.MmioHandler;
import org.osgemu.api.vmstate.VMStateException;

class PlicDeviceTest {

    private static final DevicePlacement PLACEMENT = new DevicePlacement(0xC00_0000L, 0x600000, List.of(), 2);
    private static final int UART = 10;

    private final FakeDeviceContext context = new FakeDeviceContext(PLACEMENT);
    private PlicDevice plic;
    private MmioHandler mmio;

    @BeforeEach
    void realize() {
        plic = new PlicDevice("plic", 96);
        plic.realize(context);
        mmio = plic.region().handler();
    }

    private void priority(int source, int level) {
        mmio.write(4L * source, level, 4);
    }

    private void enable(int context, int source) {
        long offset = 0x2000 + 0x80L * context + 4L * (source / 32);
        mmio.write(offset, mmio.read(offset, 4) | (1L << (source % 32)), 4);
    }

    private void threshold(int context, int level) {
        mmio.write(0x200000 + 0x1000L * context, level, 4);
    }

    private int claim(int context) {
        return (int) mmio.read(0x200004 + 0x1000L * context, 4);
    }

    private void complete(int context, int source) {
        mmio.write(0x200004 + 0x1000L * context, source, 4);
    }

    /** Hart {@code hart}'s MEIP (machine-mode context 2h). */
    private boolean meip(int hart) {
        return context.cpuLine(hart, 11).level;
    }

    /** Hart {@code hart}'s SEIP (supervisor-mode context 2h + 1). */
    private boolean seip(int hart) {
        return context.cpuLine(hart, 9).level;
    }

    @Test
    void anEnabledSourceInterruptsItsContextUntilClaimed() {
        priority(UART, 1);
        enable(0, UART);
        IrqLine line = plic.input(UART);
        line.raise();
        assertTrue(meip(0));
        assertEquals(1L << UART, mmio.read(0x1000, 4), "pending bit");
        assertEquals(UART, claim(0));
        assertFalse(meip(0));
        assertEquals(0, mmio.read(0x1000, 4), "claim clears the pending bit");
        assertEquals(0, claim(0), "nothing else pending");
    }

    @Test
    void completingWhileTheLineIsStillHighPendsTheSourceAgain() {
        priority(UART, 1);
        enable(0, UART);
        IrqLine line = plic.input(UART);
        line.raise();
        assertEquals(UART, claim(0));
        line.raise(); // still high: a claimed source does not pend again before completion
        assertFalse(meip(0));
        complete(0, UART);
        assertTrue(meip(0));
        assertEquals(UART, claim(0));
        line.lower();
        complete(0, UART);
        assertFalse(meip(0));
        assertEquals(0, claim(0));
    }

    @Test
    void aLineDroppedBeforeTheClaimWithdrawsTheRequest() {
        priority(UART, 1);
        enable(0, UART);
        plic.input(UART).raise();
        plic.input(UART).lower();
        assertFalse(meip(0));
        assertEquals(0, claim(0));
    }

    @Test
    void theThresholdMasksPrioritiesUpToItself() {
        priority(UART, 3);
        enable(0, UART);
        threshold(0, 3);
        plic.input(UART).raise();
        assertFalse(meip(0));
        assertEquals(0, claim(0), "claim honours the threshold too");
        threshold(0, 2);
        assertTrue(meip(0));
        assertEquals(UART, claim(0));
    }

    @Test
    void priorityZeroNeverInterrupts() {
        enable(0, UART);
        plic.input(UART).raise();
        assertFalse(meip(0));
        priority(UART, 1);
        assertTrue(meip(0), "raising the priority lets the pending source through");
    }

    @Test
    void claimReturnsTheHighestPriorityAndTheLowestIdAmongEquals() {
        for (int source : new int[] {3, 4, 5, 7}) {
            enable(0, source);
            plic.input(source).raise();
        }
        priority(3, 2);
        priority(4, 2);
        priority(5, 1);
        priority(7, 3);
        assertEquals(7, claim(0));
        assertEquals(3, claim(0));
        assertEquals(4, claim(0));
        assertEquals(5, claim(0));
        assertEquals(0, claim(0));
    }

    @Test
    void eachContextHasItsOwnEnablesAndTarget() {
        priority(UART, 1);
        priority(40, 1);
        enable(1, UART);  // hart 0, S-mode
        enable(2, 40);    // hart 1, M-mode
        plic.input(UART).raise();
        assertTrue(seip(0));
        assertFalse(meip(0));
        assertFalse(meip(1) || seip(1));
        plic.input(40).raise();
        assertTrue(meip(1));
        assertEquals(0, claim(0), "context 0 has nothing enabled");
        assertEquals(40, claim(2));
        assertEquals(UART, claim(1));
    }

    @Test
    void aSourceEnabledForTwoContextsIsClaimedOnce() {
        priority(UART, 1);
        enable(0, UART);
        enable(3, UART);
        plic.input(UART).raise();
        assertTrue(meip(0) && seip(1));
        assertEquals(UART, claim(3));
        assertFalse(meip(0) || seip(1));
        assertEquals(0, claim(0));
    }

    @Test
    void completionForAnotherContextsSourceIsIgnored() {
        priority(UART, 1);
        enable(0, UART);
        plic.input(UART).raise();
        assertEquals(UART, claim(0));
        complete(1, UART); // context 1 does not have the source enabled
        assertFalse(meip(0), "still claimed");
        complete(0, UART);
        assertTrue(meip(0));
        assertEquals(List.of(), context.guestErrors);
    }

    @Test
    void prioritiesHaveThreeBitsAndSourceZeroHasNone() {
        priority(UART, 0xFF);
        assertEquals(7, mmio.read(4L * UART, 4));
        mmio.write(0x0, 5, 4);
        assertEquals(0, mmio.read(0x0, 4));
        enable(0, 0);
        assertEquals(0, mmio.read(0x2000, 4), "source 0 cannot be enabled");
        assertEquals(1, context.guestErrors.size(), context.guestErrors.toString());
    }

    @Test
    void enableBitsBeyondTheLastSourceDoNotStick() {
        PlicDevice small = new PlicDevice("small", 40); // sources 1..39
        FakeDeviceContext smallContext = new FakeDeviceContext(new DevicePlacement(0xC00_0000L, 0x600000, List.of(), 1));
        small.realize(smallContext);
        small.region().handler().write(0x2004, 0xFFFF_FFFFL, 4);
        assertEquals(0xFFL, small.region().handler().read(0x2004, 4));
        assertEquals(39, small.inputCount());
    }

    @Test
    void guestMistakesAreLoggedNotThrown() {
        mmio.write(0x1000, 1, 4);                   // pending is read-only
        assertEquals(0, mmio.read(0x100C, 4));      // past the three pending words
        assertEquals(0, mmio.read(0x2000 + 0x80 * 4, 4)); // enables of a fifth context
        assertEquals(0, mmio.read(0x200000 + 0x1000 * 4, 4));
        complete(0, 0);
        complete(0, 96);
        assertEquals(0, mmio.read(0x200000, 8));    // wider than the registers
        assertEquals(7, context.guestErrors.size(), context.guestErrors.toString());
        assertTrue(context.guestErrors.get(4).contains("source 0"), context.guestErrors.get(4));
    }

    @Test
    void inputsAreOneToNinetyFive() {
        assertEquals(95, plic.inputCount());
        assertThrows(IllegalArgumentException.class, () -> plic.input(0));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> plic.input(96));
        assertTrue(e.getMessage().contains("96") && e.getMessage().contains("1..95"), e.getMessage());
    }

    @Test
    void linesRaisedBeforeRealizeAreSeenOnceRealized() {
        PlicDevice early = new PlicDevice("early", 96);
        early.input(UART).raise();
        FakeDeviceContext earlyContext = new FakeDeviceContext(PLACEMENT);
        early.realize(earlyContext);
        early.region().handler().write(4L * UART, 1, 4);
        early.region().handler().write(0x2000, 1L << UART, 4);
        assertTrue(earlyContext.cpuLine(0, 11).level);
    }

    @Test
    void resetForgetsRoutingAndClaimsButNotTheLines() {
        priority(UART, 1);
        enable(0, UART);
        plic.input(UART).raise();
        assertEquals(UART, claim(0));
        plic.reset();
        assertFalse(meip(0));
        assertEquals(0, mmio.read(4L * UART, 4));
        assertEquals(1L << UART, mmio.read(0x1000, 4), "the line is still high: pending again, the claim is gone");
    }

    @Test
    void unrealizeDropsTheOutputs() {
        priority(UART, 1);
        enable(0, UART);
        plic.input(UART).raise();
        plic.unrealize();
        assertFalse(meip(0));
        assertEquals(0, mmio.read(0x1000, 4));
    }

    @Test
    void aBadSourceCountOrHartCountIsAHostError() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new PlicDevice("p", 1));
        assertTrue(e.getMessage().contains("num-sources 1"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new PlicDevice("p", 1025));
        FakeDeviceContext huge = new FakeDeviceContext(new DevicePlacement(0xC00_0000L, 0x600000, List.of(), 513));
        e = assertThrows(IllegalArgumentException.class, () -> new PlicDevice("p2", 96).realize(huge));
        assertTrue(e.getMessage().contains("p2") && e.getMessage().contains("513"), e.getMessage());
    }

    @Test
    void deviceTreeNodeIsQemusVirtPlicNode() {
        FdtNode node = plic.describe(PLACEMENT);
        assertEquals("plic@c000000", node.name());
        assertEquals(DevicePlacement.INTERRUPT_CONTROLLER, node.label());
        FdtAssert.assertCells(node, "#interrupt-cells", 1);
        FdtAssert.assertCells(node, "#address-cells", 0);
        FdtAssert.assertStrings(node, "compatible", "sifive,plic-1.0.0", "riscv,plic0");
        FdtAssert.assertFlag(node, "interrupt-controller");
        FdtAssert.assertCells(node, "interrupts-extended",
                "cpu0-intc", 11, "cpu0-intc", 9, "cpu1-intc", 11, "cpu1-intc", 9);
        FdtAssert.assertCells(node, "reg", 0, 0xC00_0000, 0, 0x600000);
        FdtAssert.assertCells(node, "riscv,ndev", 0x5F);
    }

    @Test
    void accessRulesAreWordsOnly() {
        assertTrue(plic.region().rules().accepts(0x4, 4));
        assertFalse(plic.region().rules().accepts(0x4, 1));
        assertFalse(plic.region().rules().accepts(0x0, 8));
        assertEquals(0x600000, plic.region().size());
    }

    @Test
    void stateRoundTripsThroughTheStream() throws VMStateException {
        priority(UART, 2);
        priority(33, 5);
        enable(0, UART);
        enable(3, 33);
        threshold(0, 1);
        threshold(3, 4);
        plic.input(UART).raise();
        plic.input(33).raise();
        assertEquals(UART, claim(0)); // UART claimed, line still high; 33 pending for context 3
        byte[] bytes = PlicState.VMSTATE.save(plic.saveState());

        FakeDeviceContext otherContext = new FakeDeviceContext(PLACEMENT);
        PlicDevice other = new PlicDevice("plic", 96);
        other.realize(otherContext);
        other.loadState(PlicState.VMSTATE.load(bytes, 1));
        MmioHandler otherMmio = other.region().handler();

        assertFalse(otherContext.cpuLine(0, 11).level, "UART is still claimed");
        assertTrue(otherContext.cpuLine(1, 9).level, "source 33 interrupts hart 1 S-mode");
        assertEquals(5, otherMmio.read(4 * 33, 4));
        assertEquals(4, otherMmio.read(0x200000 + 0x1000 * 3, 4));
        otherMmio.write(0x200004, UART, 4); // complete: the line migrated as high
        assertTrue(otherContext.cpuLine(0, 11).level);
        assertEquals(33, otherMmio.read(0x200004 + 0x1000 * 3, 4));
    }

    @Test
    void outOfRangeStateIsRefusedNamingTheField() {
        byte[] bytes = PlicState.VMSTATE.save(plic.saveState());
        bytes[4 + 4 * UART + 3] = 9; // priority: 4-byte count, then one big-endian word per source
        VMStateException e = assertThrows(VMStateException.class, () -> PlicState.VMSTATE.load(bytes, 1));
        assertTrue(e.getMessage().contains("priority"), e.getMessage());
    }

    @Test
    void aStateForAnotherMachineIsRefusedAndChangesNothing() {
        priority(UART, 3);
        PlicState fourContexts = plic.saveState();
        PlicDevice oneHart = new PlicDevice("plic", 96);
        oneHart.realize(new FakeDeviceContext(new DevicePlacement(0xC00_0000L, 0x600000, List.of(), 1)));
        VMStateException e = assertThrows(VMStateException.class, () -> oneHart.loadState(fourContexts));
        assertTrue(e.getMessage().contains("threshold"), e.getMessage());
        assertEquals(0, oneHart.region().handler().read(4L * UART, 4));

        int[] pending = new int[3];
        pending[2] = 1 << 31; // source 95 exists in 96, not in a 80-source PLIC
        PlicState stray = new PlicState(new int[80], pending, new int[3], new int[3], new int[12], new int[4]);
        PlicDevice eighty = new PlicDevice("plic", 80);
        eighty.realize(new FakeDeviceContext(PLACEMENT));
        e = assertThrows(VMStateException.class, () -> eighty.loadState(stray));
        assertTrue(e.getMessage().contains("pending"), e.getMessage());
    }

    @Test
    void componentChecksItsConfiguration() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new PlicComponent(config(null, "m0", 96)));
        assertTrue(e.getMessage().contains(PlicComponent.PID) && e.getMessage().contains("'id'"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new PlicComponent(config("p", "m0", 0)));
        assertTrue(e.getMessage().contains("num-sources 0"), e.getMessage());
        assertEquals(95, new PlicComponent(config("p", "m0", 96)).inputCount());
    }

    private static PlicConfig config(String id, String machine, int sources) {
        return new PlicConfig() {
            @Override public Class<? extends java.lang.annotation.Annotation> annotationType() { return PlicConfig.class; }
            @Override public String id() { return id; }
            @Override public String machine() { return machine; }
            @Override public int num$_$sources() { return sources; }
        };
    }
}
