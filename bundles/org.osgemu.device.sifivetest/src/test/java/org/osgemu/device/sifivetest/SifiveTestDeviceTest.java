package org.osgemu.device.sifivetest;

import org.osgemu.testkit.FakeDeviceContext;
import org.osgemu.testkit.FdtAssert;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.osgemu.api.device.DevicePlacement;
import org.osgemu.api.fdt.FdtNode;
import org.osgemu.api.memory.MmioHandler;
import org.osgemu.api.vmstate.VMStateException;

class SifiveTestDeviceTest {

    private static final DevicePlacement PLACEMENT = new DevicePlacement(0x100000, 0x1000, List.of(), 1);

    private final FakeMachine machine = new FakeMachine();
    private final FakeDeviceContext context = new FakeDeviceContext(PLACEMENT);
    private SifiveTestDevice device;
    private MmioHandler mmio;

    @BeforeEach
    void realize() {
        context.machine = machine;
        device = new SifiveTestDevice("test0");
        device.realize(context);
        mmio = device.region().handler();
    }

    @Test
    void passPowersOffWithStatusZero() {
        mmio.write(0x0, 0x5555, 4);
        assertEquals(List.of("shutdown guest-shutdown 0"), machine.requests);
    }

    @Test
    void failPowersOffWithTheCodeFromTheHighHalf() {
        mmio.write(0x0, (42 << 16) | 0x3333, 4);
        assertEquals(List.of("shutdown guest-shutdown 42"), machine.requests);
    }

    @Test
    void resetAsksForAGuestReset() {
        mmio.write(0x0, 0x7777, 4);
        assertEquals(List.of("reset guest-reset"), machine.requests);
    }

    @Test
    void aHalfWordWriteOfPassIsEnough() {
        mmio.write(0x0, 0x5555, 2);
        assertEquals(List.of("shutdown guest-shutdown 0"), machine.requests);
    }

    @Test
    void aFailCodeDoesNotLingerIntoTheNextWrite() {
        mmio.write(0x2, 7, 2); // code half alone: not a command
        mmio.write(0x0, 0x3333, 2);
        assertEquals(List.of("shutdown guest-shutdown 0"), machine.requests);
    }

    @Test
    void unknownCommandIsLoggedAndIgnored() {
        mmio.write(0x0, 0x1234, 4);
        assertEquals(List.of(), machine.requests);
        assertEquals(1, context.guestErrors.size());
        assertTrue(context.guestErrors.get(0).contains("0x1234"), context.guestErrors.get(0));
    }

    @Test
    void badOffsetIsLoggedNotThrown() {
        mmio.write(0x8, 0x5555, 4);
        assertEquals(0, mmio.read(0x10, 4));
        assertEquals(List.of(), machine.requests);
        assertEquals(2, context.guestErrors.size());
    }

    @Test
    void readsReturnZero() {
        mmio.write(0x0, 0x1234, 4);
        assertEquals(0, mmio.read(0x0, 4));
    }

    @Test
    void unrealizedFinisherDoesNothing() {
        device.unrealize();
        mmio.write(0x0, 0x5555, 4);
        assertEquals(List.of(), machine.requests);
    }

    @Test
    void accessRulesFollowQemu() {
        assertTrue(device.region().rules().accepts(0, 4));
        assertTrue(device.region().rules().accepts(0, 2));
        assertEquals(false, device.region().rules().accepts(0, 1));
        assertEquals(false, device.region().rules().accepts(0, 8));
        assertEquals(0x1000, device.region().size());
    }

    @Test
    void deviceTreeNodeIsQemusVirtTestNode() {
        FdtNode node = device.describe(PLACEMENT);
        assertEquals("test@100000", node.name());
        assertEquals(SifiveTestDevice.FDT_LABEL, node.label());
        FdtAssert.assertStrings(node, "compatible", "sifive,test1", "sifive,test0", "syscon");
        FdtAssert.assertCells(node, "reg", 0, 0x100000, 0, 0x1000);
    }

    @Test
    void stateRoundTripsThroughTheStream() throws VMStateException {
        byte[] bytes = SifiveTestState.VMSTATE.save(device.saveState());
        SifiveTestDevice fresh = new SifiveTestDevice("test0");
        FakeMachine other = new FakeMachine();
        FakeDeviceContext otherContext = new FakeDeviceContext(PLACEMENT);
        otherContext.machine = other;
        fresh.realize(otherContext);
        fresh.loadState(SifiveTestState.VMSTATE.load(bytes, 1));
        fresh.region().handler().write(0, 0x5555, 4);
        assertEquals(List.of("shutdown guest-shutdown 0"), other.requests);
    }

    @Test
    void malformedStateIsRefusedNamingTheDevice() {
        VMStateException e = assertThrows(VMStateException.class,
                () -> SifiveTestState.VMSTATE.load(new byte[] {1}, 1));
        assertTrue(e.getMessage().contains("sifive_test"), e.getMessage());
        VMStateException newer = assertThrows(VMStateException.class,
                () -> SifiveTestState.VMSTATE.load(new byte[0], 2));
        assertTrue(newer.getMessage().contains("version 2"), newer.getMessage());
    }

    @Test
    void componentRefusesAConfigurationWithoutId() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new SifiveTestComponent(config(null, "m0")));
        assertTrue(e.getMessage().contains(SifiveTestComponent.PID) && e.getMessage().contains("'id'"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new SifiveTestComponent(config("t", null)));
        assertEquals("t", new SifiveTestComponent(config("t", "m0")).id());
    }

    private static SifiveTestConfig config(String id, String machine) {
        return new SifiveTestConfig() {
            @Override public Class<? extends java.lang.annotation.Annotation> annotationType() { return SifiveTestConfig.class; }
            @Override public String id() { return id; }
            @Override public String machine() { return machine; }
        };
    }
}
