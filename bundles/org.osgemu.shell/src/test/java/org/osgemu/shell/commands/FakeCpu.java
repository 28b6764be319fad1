package org.osgemu.shell.commands;

import java.util.LinkedHashMap;
import java.util.Map;

import org.osgemu.api.cpu.Cpu;
import org.osgemu.api.irq.IrqLine;

/** A CPU that only holds register values. */
final class FakeCpu implements Cpu {

    private final int index;
    private final long pc;
    private final Map<String, Long> registers;

    FakeCpu(int index, long pc, Map<String, Long> registers) {
        this.index = index;
        this.pc = pc;
        this.registers = new LinkedHashMap<>(registers);
    }

    @Override public int index() { return index; }
    @Override public void reset() { }
    @Override public ExitReason execute(long maxInstructions) { return ExitReason.BUDGET; }
    @Override public boolean hasWork() { return true; }
    @Override public void kick() { }
    @Override public IrqLine interruptLine(int number) { throw new UnsupportedOperationException(); }
    @Override public long pc() { return pc; }
    @Override public Map<String, Long> registers() { return registers; }
    @Override public long instructionsRetired() { return 0; }
}
