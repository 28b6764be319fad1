package org.osgemu.migration.engine;

import java.io.IOException;
import java.nio.ByteBuffer;

import org.osgemu.api.machine.MachineControl;
import org.osgemu.api.migration.MigrationException;
import org.osgemu.api.migration.MigrationHandler;
import org.osgemu.api.migration.Section;
import org.osgemu.api.migration.SectionOutput;
import org.osgemu.migration.stream.PayloadReader;

/**
 * Guest time (id string {@code clock}, label {@code virtual}): the machine's virtual clock in
 * nanoseconds, one 64-bit field. It is set before any device or CPU state is loaded, so that
 * timers they re-arm on load (the CLINT's mtimecmp) count from the restored time.
 */
final class VirtualClockHandler implements MigrationHandler {

    static final String ID = "clock";
    static final int VERSION = 1;

    private final MachineControl machine;
    private final int priority;
    private long loadedNanos = -1;

    VirtualClockHandler(MachineControl machine, int priority) {
        this.machine = machine;
        this.priority = priority;
    }

    @Override public String idString() { return ID; }
    @Override public int instanceId() { return 0; }
    @Override public String label() { return "virtual"; }
    @Override public int version() { return VERSION; }
    @Override public int priority() { return priority; }

    @Override
    public void complete(SectionOutput out) throws IOException {
        out.send(ByteBuffer.allocate(Long.BYTES).putLong(machine.virtualClockNanos()).array());
    }

    @Override
    public void load(Section section) throws MigrationException {
        PayloadReader in = new PayloadReader(section.payload());
        long nanos = in.u64("nanos");
        in.expectEnd();
        if (nanos < 0) {
            throw new MigrationException("field nanos: " + Long.toUnsignedString(nanos) + " is beyond what the clock counts");
        }
        loadedNanos = nanos;
    }

    @Override
    public void loadComplete() {
        machine.setVirtualClockNanos(loadedNanos);
    }

    @Override
    public void loadCleanup() {
        loadedNanos = -1;
    }
}
