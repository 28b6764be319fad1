package org.osgemu.cpu.riscv.hart;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.osgemu.cpu.riscv.testing.Asm.*;

import java.lang.foreign.ValueLayout;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;
import org.osgemu.api.cpu.Cpu.ExitReason;
import org.osgemu.api.memory.AbsentPages;
import org.osgemu.api.memory.RamBlock;
import org.osgemu.cpu.riscv.testing.Asm;
import org.osgemu.cpu.riscv.testing.HartTest;
import org.osgemu.cpu.riscv.testing.TestMachine;

/**
 * A postcopy destination's absent pages as the hart meets them: a load from a page that has not
 * arrived waits for it and then sees its bytes; a kick while it waits (a stop) makes the hart
 * leave without executing the load, and the load runs once the hart resumes.
 */
class AbsentPageTest extends HartTest {

    /** DATA's page is absent until {@link #arrive}; waits are one millisecond slices. */
    private static final class DataPage implements AbsentPages {
        final AtomicInteger waits = new AtomicInteger();
        private volatile boolean arrived;
        private final RamBlock ram;

        DataPage(RamBlock ram) {
            this.ram = ram;
        }

        @Override
        public boolean isAbsent(long offset) {
            return !arrived && offset / RamBlock.PAGE_SIZE == (DATA - TestMachine.RAM_BASE) / RamBlock.PAGE_SIZE;
        }

        @Override
        public boolean await(long offset, long length, long timeoutNanos) {
            if (!isAbsent(offset)) {
                return true;
            }
            waits.incrementAndGet();
            try {
                Thread.sleep(1);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return !isAbsent(offset);
        }

        void arrive() {
            ram.segment().set(ValueLayout.JAVA_LONG, DATA - TestMachine.RAM_BASE, 0x5EED);
            arrived = true;
        }
    }

    @Test
    void aLoadFromAnAbsentPageWaitsGivesUpOnAKickAndRunsOnceResumed() throws Exception {
        DataPage page = new DataPage(machine.ram);
        machine.ram.setAbsentPages(page);
        Asm a = program().li(S0, DATA).li(A1, 1).label("load").ld(A0, 0, S0).li(A1, 2).wfi();
        loadProgram(a);
        AtomicReference<ExitReason> first = new AtomicReference<>();
        Thread vcpu = Thread.ofPlatform().start(() -> first.set(hart.execute(1_000_000)));
        while (page.waits.get() < 5) {
            Thread.sleep(1);
        }
        assertTrue(vcpu.isAlive(), "the hart waits for the page");

        hart.kick(); // the machine wants to stop: no waiting for a page that may never come
        vcpu.join(5_000);

        assertEquals(ExitReason.KICKED, first.get());
        long loadPc = a.address("load");
        assertEquals(loadPc, hart.pc(), "the load did not execute and runs again");
        assertEquals(1, x(A1));
        long retired = hart.instructionsRetired();

        page.arrive();
        assertEquals(ExitReason.WAIT_FOR_INTERRUPT, hart.execute(1_000_000));
        assertEquals(0x5EED, x(A0));
        assertEquals(2, x(A1));
        assertTrue(hart.instructionsRetired() > retired);
    }
}
