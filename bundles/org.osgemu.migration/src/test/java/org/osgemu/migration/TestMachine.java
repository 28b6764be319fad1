package org.osgemu.migration;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import org.osgemu.api.clock.Clock;
import org.osgemu.api.clock.ClockType;
import org.osgemu.api.device.Device;
import org.osgemu.api.device.DeviceContext;
import org.osgemu.api.device.DevicePlacement;
import org.osgemu.api.device.GuestErrorLog;
import org.osgemu.api.device.PlatformDevice;
import org.osgemu.api.irq.IrqLine;
import org.osgemu.api.machine.MachineControl;
import org.osgemu.api.memory.MemoryRegion;
import org.osgemu.api.memory.RamBlock;
import org.osgemu.core.machine.CoreMachineRuntime;
import org.osgemu.device.clint.ClintDevice;
import org.osgemu.device.uart16550.Uart16550Device;

/**
 * A small virt-like machine on the real machine runtime: RAM {@code riscv.virt.ram} at
 * 0x8000_0000, a ROM {@code riscv.virt.mrom}, fake harts, the real CLINT ({@code clint0}, no
 * interrupt line) and NS16550A UARTs (the i-th at {@code UART_BASE + 0x100 * i}, interrupt
 * {@code 10 + i}), and any extra devices. Built paused unless asked to stay in prelaunch. Its
 * {@link #control()} answers the devices' placements as a board does, unless built
 * {@link Builder#withoutPlacements()}.
 */
final class TestMachine implements AutoCloseable {

    static final long RAM_BASE = 0x8000_0000L;
    static final long ROM_BASE = 0x1000L;
    static final long ROM_SIZE = 0x1000L;
    static final long CLINT_BASE = 0x0200_0000L;
    static final long UART_BASE = 0x1000_0000L;
    static final long TIMEBASE_HZ = 10_000_000L;
    /** mip bit of the machine timer interrupt. */
    static final int MTIP = 7;

    final CoreMachineRuntime runtime;
    final RamBlock ram;
    final RamBlock rom;
    final List<FakeHart> harts = new ArrayList<>();
    final ClintDevice clint;
    final List<Uart16550Device> uarts = new ArrayList<>();
    private final Map<Device, DevicePlacement> placements = new ConcurrentHashMap<>();
    private final MachineControl control;

    private TestMachine(Builder b) {
        runtime = new CoreMachineRuntime(b.name, b.machineType, 1_000, m -> { });
        ram = runtime.allocateRam("riscv.virt.ram", b.ramSize);
        runtime.systemMemory().addSubregion(RAM_BASE, MemoryRegion.ram("riscv.virt.ram", ram));
        rom = runtime.allocateRam("riscv.virt.mrom", ROM_SIZE);
        runtime.systemMemory().addSubregion(ROM_BASE, MemoryRegion.rom("riscv.virt.mrom", rom));
        for (int h = 0; h < b.harts; h++) {
            FakeHart hart = new FakeHart(h, runtime.cpuEnvironment(h, ROM_BASE, TIMEBASE_HZ));
            harts.add(hart);
            runtime.addCpu(hart);
        }
        clint = new ClintDevice("clint0");
        plug(clint, CLINT_BASE, List.of());
        for (int i = 0; i < b.uartIds.size(); i++) {
            Uart16550Device uart = new Uart16550Device(b.uartIds.get(i));
            uarts.add(uart);
            plug(uart, UART_BASE + 0x100L * i, List.of(10 + i));
        }
        b.extra.forEach(runtime::addDevice);
        control = b.placements ? withPlacements(runtime) : runtime;
        if (!b.prelaunch) {
            runtime.start(true);
        }
    }

    static Builder named(String name) {
        return new Builder(name);
    }

    private void plug(PlatformDevice device, long base, List<Integer> irqs) {
        DevicePlacement placement = new DevicePlacement(base, device.region().size(), irqs, harts.size());
        device.realize(new Context(placement));
        runtime.systemMemory().addSubregion(base, device.region());
        runtime.addDevice(device);
        placements.put(device, placement);
    }

    /** The machine as commands see it. */
    MachineControl control() {
        return control;
    }

    /**
     * {@code runtime}, answering {@link MachineControl#devicePlacement} with the placements this
     * board gave; every other call goes to the runtime.
     */
    private MachineControl withPlacements(MachineControl runtime) {
        InvocationHandler handler = (proxy, method, args) -> {
            switch (method.getName()) {
                case "devicePlacement" -> {
                    return Optional.ofNullable(placements.get((Device) args[0]));
                }
                case "equals" -> {
                    return proxy == args[0];
                }
                case "hashCode" -> {
                    return System.identityHashCode(proxy);
                }
                default -> {
                    try {
                        return method.invoke(runtime, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                }
            }
        };
        return (MachineControl) Proxy.newProxyInstance(MachineControl.class.getClassLoader(),
                new Class<?>[] {MachineControl.class}, handler);
    }

    /** Fills every page of {@code block} with {@code value}. */
    static void fill(RamBlock block, byte value) {
        block.segment().fill(value);
    }

    @Override
    public void close() {
        runtime.destroy();
    }

    /** Chooses what the machine has. */
    static final class Builder {
        private final String name;
        private String machineType = "virt";
        private long ramSize = 1 << 20;
        private int harts = 1;
        private List<String> uartIds = List.of("uart0");
        private final List<Device> extra = new ArrayList<>();
        private boolean prelaunch;
        private boolean placements = true;

        private Builder(String name) {
            this.name = name;
        }

        Builder machineType(String type) { machineType = type; return this; }
        Builder ram(long bytes) { ramSize = bytes; return this; }
        Builder harts(int count) { harts = count; return this; }
        Builder uarts(String... ids) { uartIds = List.of(ids); return this; }
        Builder device(Device device) { extra.add(device); return this; }
        Builder prelaunch() { prelaunch = true; return this; }
        /** A machine that does not say where its devices are (the runtime's default). */
        Builder withoutPlacements() { placements = false; return this; }

        TestMachine build() {
            return new TestMachine(this);
        }
    }

    /** What the board gives a device: the runtime's clocks and the fake harts' interrupt inputs. */
    private final class Context implements DeviceContext {
        private final DevicePlacement placement;

        Context(DevicePlacement placement) {
            this.placement = placement;
        }

        @Override public DevicePlacement placement() { return placement; }
        @Override public IrqLine irq(int index) { return IrqLine.NONE; }
        @Override public IrqLine cpuInterrupt(int hart, int number) { return harts.get(hart).interruptLine(number); }
        @Override public Clock clock(ClockType type) { return runtime.clock(type); }
        @Override public long timebaseHz() { return TIMEBASE_HZ; }
        @Override public GuestErrorLog log() { return GuestErrorLog.NONE; }
        @Override public MachineControl machine() { return runtime; }
    }
}
