package org.osgemu.device.uart16550;

import org.osgemu.testkit.FakeDeviceContext;
import org.osgemu.testkit.FdtAssert;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.osgemu.api.device.DevicePlacement;
import org.osgemu.api.fdt.FdtNode;
import org.osgemu.api.memory.MmioHandler;
import org.osgemu.api.vmstate.VMStateException;

class Uart16550DeviceTest {

    private static final DevicePlacement PLACEMENT = new DevicePlacement(0x1000_0000L, 0x100, List.of(10), 1);
    private static final int RBR = 0, THR = 0, DLL = 0, IER = 1, DLM = 1, IIR = 2, FCR = 2, LCR = 3, MCR = 4,
            LSR = 5, MSR = 6, SCR = 7;
    /** Four character times of 8N1 at divisor 1 (3686400 Hz / 16), rounded up. */
    private static final long TIMEOUT_8N1 = 4 * 43_403L;

    private final FakeDeviceContext context = new FakeDeviceContext(PLACEMENT);
    private final FakeChardev chardev = new FakeChardev();
    private Uart16550Device uart;
    private MmioHandler mmio;

    @BeforeEach
    void realize() {
        uart = new Uart16550Device("serial0");
        uart.connectChardev(chardev);
        uart.realize(context);
        mmio = uart.region().handler();
    }

    private int read(int offset) {
        return (int) mmio.read(offset, 1);
    }

    private void write(int offset, int value) {
        mmio.write(offset, value, 1);
    }

    private boolean irq() {
        return context.irqLine(0).level;
    }

    @Test
    void bytesWrittenToThrReachTheChardev() {
        for (char c : "hello\n".toCharArray()) {
            write(THR, c);
        }
        assertEquals("hello\n", chardev.output());
    }

    @Test
    void outputWithoutABackendIsDropped() {
        uart.disconnectChardev(chardev);
        write(THR, 'x');
        assertEquals("", chardev.output());
        assertNull(chardev.receiver);
    }

    @Test
    void receivedBytesAreReadInOrderAndDataReadyFollowsTheFifo() {
        write(FCR, 0x01);
        assertEquals(0x60, read(LSR)); // THRE and TEMT, no data
        chardev.type("ab");
        assertEquals(0x61, read(LSR));
        assertEquals('a', read(RBR));
        assertEquals('b', read(RBR));
        assertEquals(0x60, read(LSR));
    }

    @Test
    void theFifoTakesSixteenBytesAndTheBackendHoldsTheRestUntilThereIsRoom() {
        write(FCR, 0x01);
        chardev.type("0123456789abcdefXYZ");
        assertEquals(3, chardev.held());
        assertEquals('0', read(RBR));
        assertEquals(2, chardev.held()); // one byte of room: the backend sent one more
        StringBuilder got = new StringBuilder();
        while ((read(LSR) & 1) != 0) {
            got.append((char) read(RBR));
        }
        assertEquals("123456789abcdefXYZ", got.toString());
        assertEquals(0, chardev.held());
    }

    @Test
    void withoutFifosTheReceiverHoldsOneByte() {
        chardev.type("xy");
        assertEquals(1, chardev.held());
        assertEquals('x', read(RBR));
        assertEquals('y', read(RBR));
        assertEquals(0, chardev.held());
    }

    @Test
    void receivedDataRaisesTheInterruptUntilRead() {
        write(IER, 0x01);
        assertFalse(irq());
        assertEquals(0x01, read(IIR));
        chardev.type("k");
        assertTrue(irq());
        assertEquals(0x04, read(IIR));
        read(RBR);
        assertFalse(irq());
        assertEquals(0x01, read(IIR));
    }

    @Test
    void belowTheTriggerLevelDataIsAnnouncedByTheCharacterTimeout() {
        write(LCR, 0x03);       // 8N1
        write(FCR, 0x81);       // FIFOs on, trigger at 8 bytes
        write(IER, 0x01);
        chardev.type("abc");
        assertFalse(irq(), "three bytes are below the trigger level");
        context.virtualClock.advanceBy(TIMEOUT_8N1 - 1000);
        assertFalse(irq(), "not yet four character times");
        context.virtualClock.advanceBy(1000);
        assertTrue(irq());
        assertEquals(0xCC, read(IIR)); // FIFOs enabled + character timeout
        assertEquals('a', read(RBR));
        assertFalse(irq(), "reading RBR clears the timeout and restarts it");
        context.virtualClock.advanceBy(TIMEOUT_8N1);
        assertTrue(irq());
        read(RBR);
        read(RBR);
        context.virtualClock.advanceBy(10 * TIMEOUT_8N1);
        assertFalse(irq(), "an empty FIFO never times out");
    }

    @Test
    void reachingTheTriggerLevelRaisesReceivedDataAtOnce() {
        write(FCR, 0x41);       // trigger at 4 bytes
        write(IER, 0x01);
        chardev.type("abc");
        assertFalse(irq());
        chardev.type("d");
        assertTrue(irq());
        assertEquals(0xC4, read(IIR));
    }

    @Test
    void fifoControlClearsTheReceiver() {
        write(FCR, 0x01);
        chardev.type("abc");
        write(FCR, 0x03);
        assertEquals(0x60, read(LSR));
        chardev.type("d");
        write(FCR, 0x00); // turning the FIFOs off clears them too
        assertEquals(0x60, read(LSR));
        assertEquals(0x01, read(IIR), "IIR bits 7:6 are clear without FIFOs");
    }

    @Test
    void enablingTheThrEmptyInterruptRaisesItAndReadingIirClearsIt() {
        write(IER, 0x02);
        assertTrue(irq());
        assertEquals(0x02, read(IIR));
        assertFalse(irq());
        assertEquals(0x01, read(IIR));
        write(THR, 'z');
        assertTrue(irq(), "THR empties at once after a write");
        write(IER, 0x00);
        assertFalse(irq());
    }

    @Test
    void receivedDataOutranksThrEmpty() {
        write(IER, 0x03);
        chardev.type("q");
        assertEquals(0x04, read(IIR));
        read(RBR);
        assertEquals(0x02, read(IIR));
    }

    @Test
    void anOverrunIsALineStatusInterruptClearedByReadingLsr() {
        write(IER, 0x05);
        // A backend that ignores canReceive(): the second byte overruns the single RBR.
        chardev.receiver.receive(new byte[] {'a', 'b'}, 0, 2);
        assertEquals(0x06, read(IIR));
        assertEquals(0x63, read(LSR)); // data ready + overrun
        assertEquals(0x04, read(IIR));
        assertEquals('a', read(RBR));
        assertFalse(irq());
    }

    @Test
    void dlabSwitchesTheFirstTwoOffsetsToTheDivisorLatch() {
        write(IER, 0x05);
        write(LCR, 0x83);
        write(DLL, 0x12);
        write(DLM, 0x34);
        assertEquals(0x12, read(DLL));
        assertEquals(0x34, read(DLM));
        assertEquals("", chardev.output(), "DLL writes are not transmitted");
        write(LCR, 0x03);
        assertEquals(0x05, read(IER));
        assertEquals(0x03, read(LCR));
        chardev.type("r");
        assertEquals('r', read(RBR));
    }

    @Test
    void scratchModemControlAndModemStatus() {
        write(SCR, 0xA5);
        assertEquals(0xA5, read(SCR));
        write(MCR, 0xFF);
        assertEquals(0x1F, read(MCR));
        assertEquals(0xB0, read(MSR));
    }

    @Test
    void guestMistakesAreLoggedNotThrown() {
        assertEquals(0, mmio.read(0x10, 1));
        mmio.write(0x80, 1, 1);
        write(LSR, 0);
        write(MSR, 0);
        assertEquals(4, context.guestErrors.size(), context.guestErrors.toString());
        assertTrue(context.guestErrors.get(2).contains("LSR"), context.guestErrors.get(2));
    }

    @Test
    void accessRulesAcceptOneToEightBytesAlignedAsQemusSerialMm() {
        assertTrue(uart.region().rules().accepts(0, 1));
        assertTrue(uart.region().rules().accepts(4, 4));
        assertTrue(uart.region().rules().accepts(0, 8));
        assertFalse(uart.region().rules().accepts(5, 4));
        // the handler takes wide accesses whole: the bus must not split them into the neighbours
        assertEquals(8, uart.region().rules().implMax());
        assertEquals(0x100, uart.region().size());
    }

    @Test
    void wideAccessesReachOneRegisterThroughTheLowByte() {
        mmio.write(THR, 0x1234_5678_9abc_de41L, 8);
        mmio.write(THR, 0xffff_ff42L, 4);
        assertEquals("AB", chardev.output());
        mmio.write(SCR, 0x7700_00a5L, 8);
        assertEquals(0xA5, mmio.read(SCR, 8));
        // a doubleword read of LSR is LSR alone, zero-extended
        assertEquals(0x60, mmio.read(LSR, 8));
        chardev.type("xy");
        // a word read at 0 pops one byte from RBR, not RBR, IER, IIR and LCR together
        assertEquals('x', mmio.read(RBR, 4));
        assertEquals('y', mmio.read(RBR, 2));
        assertEquals(0, context.guestErrors.size(), context.guestErrors.toString());
    }

    @Test
    void resetReturnsToPowerOnState() {
        write(IER, 0x0F);
        write(LCR, 0x1B);
        write(SCR, 0x55);
        chardev.type("x");
        assertTrue(irq());
        uart.reset();
        assertFalse(irq());
        assertEquals(0, read(IER));
        assertEquals(0, read(LCR));
        assertEquals(0, read(SCR));
        assertEquals(0x60, read(LSR));
    }

    @Test
    void unrealizeDropsTheLineAndFreesTheTimer() {
        write(FCR, 0x01);
        write(IER, 0x01);
        chardev.type("x");
        context.virtualClock.advanceBy(TIMEOUT_8N1);
        assertTrue(irq());
        uart.unrealize();
        assertFalse(irq());
        assertEquals(List.of(), context.virtualClock.liveTimers());
        uart.unrealize(); // twice is harmless
    }

    @Test
    void deviceTreeNodeIsQemusVirtSerialNode() {
        FdtNode node = uart.describe(PLACEMENT);
        assertEquals("serial@10000000", node.name());
        FdtAssert.assertStrings(node, "compatible", "ns16550a");
        FdtAssert.assertCells(node, "reg", 0, 0x1000_0000, 0, 0x100);
        FdtAssert.assertCells(node, "clock-frequency", 0x384000);
        FdtAssert.assertCells(node, "interrupt-parent", DevicePlacement.INTERRUPT_CONTROLLER);
        FdtAssert.assertCells(node, "interrupts", 10);
    }

    @Test
    void aPlacementWithoutInterruptIsAHostError() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> uart.describe(new DevicePlacement(0x1000_0000L, 0x100, List.of(), 1)));
        assertTrue(e.getMessage().contains("serial0"), e.getMessage());
    }

    @Test
    void stateRoundTripsThroughTheStream() throws VMStateException {
        write(LCR, 0x80);
        write(DLL, 0x01);
        write(LCR, 0x03);
        write(FCR, 0x81);
        write(IER, 0x03);
        write(SCR, 0x5A);
        chardev.type("mig");
        read(IIR); // clears THRE: the received data is below the trigger, so IIR shows THRE
        byte[] bytes = Uart16550State.VMSTATE.save(uart.saveState());

        FakeDeviceContext otherContext = new FakeDeviceContext(PLACEMENT);
        FakeChardev otherChardev = new FakeChardev();
        Uart16550Device other = new Uart16550Device("serial0");
        other.connectChardev(otherChardev);
        other.realize(otherContext);
        other.loadState(Uart16550State.VMSTATE.load(bytes, 1));
        MmioHandler otherMmio = other.region().handler();

        assertFalse(otherContext.irqLine(0).level);
        otherContext.virtualClock.advanceBy(TIMEOUT_8N1);
        assertTrue(otherContext.irqLine(0).level, "the receive timeout is re-armed after loading");
        assertEquals(0xCC, otherMmio.read(IIR, 1));
        assertEquals(0x5A, otherMmio.read(SCR, 1));
        assertEquals(0x03, otherMmio.read(LCR, 1));
        assertEquals('m', otherMmio.read(RBR, 1));
        assertEquals('i', otherMmio.read(RBR, 1));
        assertEquals('g', otherMmio.read(RBR, 1));
        otherMmio.write(LCR, 0x83, 1);
        assertEquals(0x01, otherMmio.read(DLL, 1));
    }

    @Test
    void inputTypedBeforeTheStateArrivesQueuesBehindTheSavedFifo() throws VMStateException {
        write(FCR, 0x01);
        chardev.type("ab");
        byte[] bytes = Uart16550State.VMSTATE.save(uart.saveState());

        // a migration destination: its user types while the state is still on its way
        FakeDeviceContext otherContext = new FakeDeviceContext(PLACEMENT);
        FakeChardev otherChardev = new FakeChardev();
        Uart16550Device other = new Uart16550Device("serial0");
        other.connectChardev(otherChardev);
        other.realize(otherContext);
        otherChardev.type("e");
        other.loadState(Uart16550State.VMSTATE.load(bytes, 1));
        MmioHandler otherMmio = other.region().handler();

        assertEquals('a', otherMmio.read(RBR, 1));
        assertEquals('b', otherMmio.read(RBR, 1));
        assertEquals('e', otherMmio.read(RBR, 1), "the byte typed at the destination is not lost");
        assertEquals(0, otherMmio.read(LSR, 1) & 0x02, "no overrun");
    }

    @Test
    void outOfRangeStateIsRefusedNamingTheField() {
        byte[] bytes = Uart16550State.VMSTATE.save(uart.saveState());
        bytes[2] = (byte) 0xFF; // ier follows the two bytes of divisor; only bits 3:0 exist
        VMStateException e = assertThrows(VMStateException.class, () -> Uart16550State.VMSTATE.load(bytes, 1));
        assertTrue(e.getMessage().contains("ier"), e.getMessage());
    }

    @Test
    void aFifoLongerThanTheReceiverIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new Uart16550State(0, 0, 0, 0, 0, 0, 0, false, false, new byte[2]));
        assertTrue(e.getMessage().startsWith("rxFifo"), e.getMessage());
    }

    @Test
    void componentRefusesAConfigurationWithoutId() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new Uart16550Component(config(null, "m0")));
        assertTrue(e.getMessage().contains(Uart16550Component.PID) && e.getMessage().contains("'id'"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new Uart16550Component(config("s", "")));
    }

    @Test
    void componentHandsItsChardevOverOnRebind() {
        Uart16550Component component = new Uart16550Component(config("serial0", "m0"));
        FakeChardev first = new FakeChardev();
        FakeChardev second = new FakeChardev();
        component.bindChardev(first);
        component.bindChardev(second); // greedy: the better match arrives before the old one leaves
        component.unbindChardev(first);
        component.region().handler().write(THR, 'o', 1);
        assertEquals("", first.output());
        assertEquals("o", second.output());
        assertNull(first.receiver);
        component.deactivate();
        assertNull(second.receiver);
    }

    private static Uart16550Config config(String id, String machine) {
        return new Uart16550Config() {
            @Override public Class<? extends java.lang.annotation.Annotation> annotationType() { return Uart16550Config.class; }
            @Override public String id() { return id; }
            @Override public String machine() { return machine; }
            @Override public String chardev_target() { return "(id=serial0)"; }
        };
    }
}
