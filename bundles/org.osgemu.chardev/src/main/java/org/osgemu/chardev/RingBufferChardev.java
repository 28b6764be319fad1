package org.osgemu.chardev;

import java.util.Objects;

import org.osgemu.api.chardev.Chardev;
import org.osgemu.api.chardev.ChardevReceiver;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;

/**
 * The {@code ringbuf} backend ({@code -chardev ringbuf,size=}): keeps the last {@code size} bytes
 * written, for tests and for QMP's {@code ringbuf-read}; input can be injected with
 * {@link #send(byte[])} (QMP's {@code ringbuf-write}).
 */
@Component(immediate = true, service = Chardev.class, configurationPid = RingBufferChardev.PID,
        configurationPolicy = ConfigurationPolicy.REQUIRE)
public final class RingBufferChardev implements Chardev {

    /** Factory PID of the configurations. */
    public static final String PID = "osgemu.chardev.ringbuf";
    /** The largest size accepted (1 GiB). */
    static final int MAX_SIZE = 1 << 30;
    /** Injected input waiting for the front end, at most. */
    private static final int INPUT_CAPACITY = 4096;

    /** Configuration of a {@code ringbuf} backend. */
    public @interface Config {
        /** Backend id ({@code -chardev ringbuf,id=}); required. */
        String id();

        /** Bytes kept, 1..2^30. */
        int size() default 65536;
    }

    private final String id;
    private final byte[] ring;
    private final InputQueue input = new InputQueue(INPUT_CAPACITY);
    private long written; // guarded by this: total bytes ever written

    @Activate
    public RingBufferChardev(Config config) {
        this(Configs.required(PID, "id", config.id()), config.size());
    }

    RingBufferChardev(String id, int size) {
        if (size < 1 || size > MAX_SIZE) {
            throw new IllegalArgumentException(PID + " " + id + ": size " + size + " is outside 1.." + MAX_SIZE);
        }
        this.id = Objects.requireNonNull(id, "id");
        this.ring = new byte[size];
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public String backend() {
        return "ringbuf";
    }

    @Override
    public synchronized void write(byte[] data, int offset, int length) {
        Objects.checkFromIndexSize(offset, length, data.length);
        // Only the last ring.length bytes can survive: skip what would be overwritten anyway.
        int skip = Math.max(0, length - ring.length);
        written += skip;
        for (int i = skip; i < length; i++) {
            ring[(int) (written % ring.length)] = data[offset + i];
            written++;
        }
    }

    /** The bytes kept, oldest first (at most {@code size}). */
    public synchronized byte[] contents() {
        int kept = (int) Math.min(written, ring.length);
        byte[] out = new byte[kept];
        long first = written - kept;
        for (int i = 0; i < kept; i++) {
            out[i] = ring[(int) ((first + i) % ring.length)];
        }
        return out;
    }

    /** Forgets what was written. */
    public synchronized void clear() {
        written = 0;
    }

    /**
     * Offers {@code data} as input to the front end, delivered as fast as it takes it; returns how
     * many bytes were accepted (fewer when {@value #INPUT_CAPACITY} bytes already wait).
     */
    public int send(byte[] data) {
        return input.offer(data, 0, data.length);
    }

    @Override
    public void setReceiver(ChardevReceiver receiver) {
        input.setReceiver(receiver);
    }

    @Override
    public void acceptInput() {
        input.drain();
    }
}
