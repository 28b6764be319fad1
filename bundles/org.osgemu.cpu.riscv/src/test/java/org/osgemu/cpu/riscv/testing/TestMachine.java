package org.osgemu.cpu.riscv.testing;

import java.util.concurrent.atomic.AtomicInteger;

import org.osgemu.api.clock.Clock;
import org.osgemu.api.clock.ClockType;
import org.osgemu.api.cpu.CpuEnvironment;
import org.osgemu.api.memory.AccessRules;
import org.osgemu.api.memory.AddressSpace;
import org.osgemu.api.memory.MemoryRegion;
import org.osgemu.api.memory.MmioHandler;
import org.osgemu.cpu.riscv.hart.RiscvHart;
import org.osgemu.testkit.FakeClock;

/**
 * A machine for CPU tests: 1 MiB of RAM at 0x8000_0000, 4 KiB of ROM at 0x1000, a scratch MMIO
 * device at 0x1000_0000 (32 doubleword registers, 4- and 8-byte accesses only), a settable
 * virtual clock at 10 MHz whose timers fire as tests advance it, and a count of wake-ups.
 */
public final class TestMachine implements CpuEnvironment {

    public static final long RAM_BASE = 0x8000_0000L;
    public static final long RAM_SIZE = 1 << 20;
    public static final long ROM_BASE = 0x1000;
    public static final long MMIO_BASE = 0x1000_0000L;
    public static final long TIMEBASE_HZ = 10_000_000L;

    public final TestRam ram = new TestRam("test.ram", RAM_SIZE);
    public final TestRam rom = new TestRam("test.rom", 0x1000);
    public final TestBus bus = new TestBus();
    /** Values of the scratch device's registers; writes land here. */
    public final long[] mmioRegisters = new long[32];
    public final AtomicInteger mmioWrites = new AtomicInteger();
    public final AtomicInteger wakeups = new AtomicInteger();
    /** The virtual clock; its timers fire when a test advances it. */
    public final FakeClock clock = new FakeClock(ClockType.VIRTUAL);

    public TestMachine() {
        MmioHandler scratch = new MmioHandler() {
            @Override
            public long read(long offset, int size) {
                return mmioRegisters[(int) (offset / 8)] >>> (8 * (offset % 8));
            }

            @Override
            public void write(long offset, long value, int size) {
                mmioWrites.incrementAndGet();
                int i = (int) (offset / 8);
                long mask = size == 8 ? -1L : 0xFFFF_FFFFL << (8 * (offset % 8));
                mmioRegisters[i] = (mmioRegisters[i] & ~mask) | ((value << (8 * (offset % 8))) & mask);
            }
        };
        bus.map(RAM_BASE, MemoryRegion.ram("ram", ram))
                .map(ROM_BASE, MemoryRegion.rom("rom", rom))
                .map(MMIO_BASE, MemoryRegion.mmio("scratch", 0x100, scratch, AccessRules.sizes(4, 8)));
    }

    /** Copies {@code program} to its origin and returns a new hart 0 that starts there. */
    public RiscvHart load(Asm program) {
        byte[] code = program.assemble();
        bus.loadBytes(program.origin(), code, 0, code.length);
        return new RiscvHart(0, this);
    }

    public long readRam(long address, int size) {
        return bus.read(address, size);
    }

    public void writeRam(long address, long value, int size) {
        bus.write(address, value, size);
    }

    @Override
    public AddressSpace addressSpace() {
        return bus;
    }

    @Override
    public Clock virtualClock() {
        return clock;
    }

    @Override
    public long timebaseHz() {
        return TIMEBASE_HZ;
    }

    @Override
    public long resetVector() {
        return RAM_BASE;
    }

    @Override
    public void wake() {
        wakeups.incrementAndGet();
    }
}
