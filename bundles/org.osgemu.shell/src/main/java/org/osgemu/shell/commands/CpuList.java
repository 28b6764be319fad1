package org.osgemu.shell.commands;

import java.util.List;
import java.util.function.IntToLongFunction;

import org.osgemu.api.cpu.Cpu;

/** {@code info cpus}: one line per CPU, the current one marked with {@code *}, as QEMU lists them. */
final class CpuList {

    private CpuList() {
    }

    /**
     * @param cpus the machine's CPUs
     * @param current hart id of the monitor's current CPU
     * @param threadIds vCPU thread id by hart id, negative when unknown
     */
    static String format(List<Cpu> cpus, int current, IntToLongFunction threadIds) {
        StringBuilder text = new StringBuilder();
        for (Cpu cpu : cpus) {
            if (!text.isEmpty()) {
                text.append('\n');
            }
            long threadId = threadIds.applyAsLong(cpu.index());
            text.append(cpu.index() == current ? '*' : ' ')
                    .append(" CPU #").append(cpu.index())
                    .append(": thread_id=").append(threadId < 0 ? "unknown" : Long.toString(threadId));
        }
        return text.toString();
    }
}
