package org.osgemu.migration;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import org.osgemu.api.block.BlockBackend;
import org.osgemu.api.machine.MachineControl;

/**
 * A drive of a test machine over a {@link Image} that several drives (of several machines, as of
 * several processes) open: an active drive holds the image, as a host file lock would, and
 * {@link #events} records each (in)activation with the run state its machine was in, and
 * {@link #flushStates} each flush; {@link #failFlush} makes flushes fail as a full disk would.
 */
final class FakeDrive implements BlockBackend {

    /** The image file: who holds it. */
    static final class Image {
        final AtomicReference<FakeDrive> holder = new AtomicReference<>();
    }

    final String id;
    final Image image;
    final List<String> events = new CopyOnWriteArrayList<>();
    final AtomicInteger flushes = new AtomicInteger();
    /** The run state of the machine at each flush. */
    final List<String> flushStates = new CopyOnWriteArrayList<>();
    volatile boolean failFlush;
    private final MachineControl machine;
    private volatile boolean active;

    /** An active drive takes the image at once (it must be free). */
    FakeDrive(String id, Image image, MachineControl machine, boolean active) {
        this.id = id;
        this.image = image;
        this.machine = machine;
        if (active && !image.holder.compareAndSet(null, this)) {
            throw new IllegalStateException(id + ": image locked");
        }
        this.active = active;
    }

    @Override public String id() { return id; }
    @Override public long size() { return 1 << 20; }
    @Override public boolean isReadOnly() { return false; }
    @Override public boolean supportsDiscard() { return false; }
    @Override public void read(long offset, ByteBuffer dst) { dst.position(dst.limit()); }
    @Override public void discard(long offset, long length) { }
    @Override public void writeZeroes(long offset, long length, boolean mayUnmap) { }

    @Override
    public void write(long offset, ByteBuffer src) throws IOException {
        if (!active) {
            throw new IOException(id + ": inactive");
        }
        src.position(src.limit());
    }

    @Override
    public void flush() throws IOException {
        if (failFlush) {
            throw new IOException("No space left on device");
        }
        flushes.incrementAndGet();
        flushStates.add(machine.state().qapiName());
    }

    @Override
    public void inactivateImage() throws IOException {
        if (active) {
            flush();
            active = false;
            image.holder.compareAndSet(this, null);
            events.add("inactivated in " + machine.state().qapiName());
        }
    }

    @Override
    public void activateImage() throws IOException {
        if (!active) {
            if (!image.holder.compareAndSet(null, this) && image.holder.get() != this) {
                throw new IOException("the image of " + id + " is locked by another user");
            }
            active = true;
            events.add("activated in " + machine.state().qapiName());
        }
    }

    @Override
    public boolean isImageActive() {
        return active;
    }
}
