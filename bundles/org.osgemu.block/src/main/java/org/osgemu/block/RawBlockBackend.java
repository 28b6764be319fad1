package org.osgemu.block;

import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

import org.osgemu.api.block.BlockBackend;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;

/**
 * A raw image file as a {@link BlockBackend} ({@code -drive format=raw}): byte {@code n} of the
 * disk is byte {@code n} of the file, so images are interchangeable with {@code qemu-img} and
 * {@code dd}. The size is the file's size when opened. Reads and writes are positional on one
 * {@link FileChannel} (safe for concurrent requests); a write returns when the bytes are in the
 * host's page cache and {@link #flush()} forces them to the disk. A read-write image is locked
 * (an exclusive host file lock) so that two emulators cannot write it at once.
 *
 * <p>Activation ({@link BlockBackend#inactivateImage()}): with {@code inactive=true} (what the launcher
 * sets for {@code -incoming}) the image is opened without the lock and refuses writes until the
 * migration activates it, so a destination can open the image its source still runs on. Requests
 * that write hold a read lock of {@link #activation}; (in)activation takes its write lock, so that
 * no write is under way once {@link #inactivateImage()} returns.
 *
 * <p>Discard and write-zeroes write zeroes (the JDK cannot punch holes); discard does it only
 * with {@code discard=unmap}, so guests see freed blocks read back as zeroes.
 */
@Component(immediate = true, service = BlockBackend.class, configurationPid = RawBlockBackend.PID,
        configurationPolicy = ConfigurationPolicy.REQUIRE)
public final class RawBlockBackend implements BlockBackend, AutoCloseable {

    /** Factory PID of the configurations. */
    public static final String PID = "osgemu.block.raw";

    private static final int ZERO_CHUNK = 1 << 20;
    private static final ByteBuffer ZEROES = ByteBuffer.allocateDirect(ZERO_CHUNK).asReadOnlyBuffer();

    private final String id;
    private final Path file;
    private final boolean readOnly;
    private final boolean discard;
    private final FileChannel channel;
    private final long size;
    /** Writers share it; activation and inactivation take it alone. */
    private final ReadWriteLock activation = new ReentrantReadWriteLock();
    /** The host lock, held while active and read-write; guarded by {@link #activation}. */
    private FileLock lock;
    private volatile boolean active;

    @Activate
    public RawBlockBackend(RawBlockConfig config) {
        this(required("id", config.id()), path(config), flag(config.id(), "readonly", config.readonly(), "true", "false", false),
                flag(config.id(), "discard", config.discard(), "unmap", "ignore", true),
                !flag(config.id(), "inactive", config.inactive(), "true", "false", false));
    }

    /** Opens {@code file} as active backend {@code id}; {@code discard} passes discards on. */
    public RawBlockBackend(String id, Path file, boolean readOnly, boolean discard) {
        this(id, file, readOnly, discard, true);
    }

    /**
     * Opens {@code file} as backend {@code id}; {@code discard} passes discards on; an
     * {@code active} read-write image is locked at once, an inactive one when {@link #activateImage()}d.
     */
    public RawBlockBackend(String id, Path file, boolean readOnly, boolean discard, boolean active) {
        this.id = Objects.requireNonNull(id, "id");
        this.file = Objects.requireNonNull(file, "file");
        this.readOnly = readOnly;
        this.discard = discard;
        try {
            this.channel = readOnly ? FileChannel.open(file, StandardOpenOption.READ)
                    : FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE);
        } catch (IOException e) {
            throw new UncheckedIOException(PID + " " + id + ": cannot open " + file + (readOnly ? " for reading: " : " for reading and writing: ") + e, e);
        }
        FileLock held = null;
        try {
            held = readOnly || !active ? null : tryLock();
            if (held == null && !readOnly && active) {
                throw new IllegalStateException(lockedMessage() + "; use readonly=on to share it");
            }
            this.size = channel.size();
        } catch (IOException e) {
            release(held, channel);
            throw new UncheckedIOException(PID + " " + id + ": " + file + ": " + e, e);
        } catch (RuntimeException e) {
            release(held, channel);
            throw e;
        }
        this.lock = held;
        this.active = active;
    }

    /** The exclusive lock of the whole file, or null when another process (or channel) holds it. */
    private FileLock tryLock() throws IOException {
        try {
            return channel.tryLock();
        } catch (OverlappingFileLockException e) {
            return null; // another channel of this JVM has it: as taken as by another process
        }
    }

    private String lockedMessage() {
        return PID + " " + id + ": " + file + " is locked by another user (another emulator has it open read-write)";
    }

    @Override
    public String id() {
        return id;
    }

    /** The image file. */
    public Path file() {
        return file;
    }

    @Override
    public long size() {
        return size;
    }

    @Override
    public boolean isReadOnly() {
        return readOnly;
    }

    @Override
    public boolean isImageActive() {
        return active;
    }

    /** Flushes, releases the lock and refuses writes from now on; waits for writes under way. */
    @Override
    public void inactivateImage() throws IOException {
        activation.writeLock().lock();
        try {
            if (!active) {
                return;
            }
            flush();
            active = false;
            if (lock != null) {
                lock.release();
                lock = null;
            }
        } finally {
            activation.writeLock().unlock();
        }
    }

    /** Takes the lock again (a read-only image needs none) and accepts writes. */
    @Override
    public void activateImage() throws IOException {
        activation.writeLock().lock();
        try {
            if (active) {
                return;
            }
            if (!readOnly) {
                FileLock held = tryLock();
                if (held == null) {
                    throw new IOException(lockedMessage());
                }
                lock = held;
            }
            active = true;
        } finally {
            activation.writeLock().unlock();
        }
    }

    @Override
    public boolean supportsDiscard() {
        return discard && !readOnly;
    }

    @Override
    public void read(long offset, ByteBuffer dst) throws IOException {
        checkRange("read", offset, dst.remaining());
        long at = offset;
        while (dst.hasRemaining()) {
            int n = channel.read(dst, at);
            if (n < 0) {
                throw new EOFException(id + ": " + file + " ends at " + at + ", before the image size " + size
                        + " (was it truncated while in use?)");
            }
            at += n;
        }
    }

    @Override
    public void write(long offset, ByteBuffer src) throws IOException {
        checkWritable("write");
        checkRange("write", offset, src.remaining());
        whileActive("write", () -> {
            long at = offset;
            while (src.hasRemaining()) {
                at += channel.write(src, at);
            }
        });
    }

    @Override
    public void flush() throws IOException {
        if (!readOnly && active) { // an inactive image was flushed when it was let go
            channel.force(true);
        }
    }

    @Override
    public void discard(long offset, long length) throws IOException {
        checkWritable("discard");
        checkRange("discard", offset, length);
        if (discard) {
            whileActive("discard", () -> zero(offset, length));
        }
    }

    @Override
    public void writeZeroes(long offset, long length, boolean mayUnmap) throws IOException {
        checkWritable("write-zeroes");
        checkRange("write-zeroes", offset, length);
        whileActive("write-zeroes", () -> zero(offset, length));
    }

    @FunctionalInterface
    private interface Io {
        void run() throws IOException;
    }

    /** Runs a write, refused while inactive; inactivation waits for it to end. */
    private void whileActive(String what, Io io) throws IOException {
        activation.readLock().lock();
        try {
            if (!active) {
                throw new IOException(id + ": " + what + " refused: the drive is inactive (a migration handed " + file
                        + " over to the other side)");
            }
            io.run();
        } finally {
            activation.readLock().unlock();
        }
    }

    private void zero(long offset, long length) throws IOException {
        long at = offset;
        long end = offset + length;
        while (at < end) {
            ByteBuffer chunk = ZEROES.duplicate();
            chunk.limit((int) Math.min(ZERO_CHUNK, end - at));
            while (chunk.hasRemaining()) {
                at += channel.write(chunk, at);
            }
        }
    }

    private void checkWritable(String what) throws IOException {
        if (readOnly) {
            throw new IOException(id + ": " + what + " refused: the drive is read-only");
        }
    }

    private void checkRange(String what, long offset, long length) throws IOException {
        if (offset < 0 || length < 0 || offset > size || length > size - offset) {
            throw new IOException(id + ": " + what + " of " + length + " bytes at " + offset + " is outside the "
                    + size + " bytes of " + file);
        }
    }

    /** Closes the image: forces written data out first, so nothing written is lost. */
    @Override
    @Deactivate
    public void close() {
        try {
            if (!readOnly && active && channel.isOpen()) {
                channel.force(true);
            }
        } catch (IOException e) {
            System.getLogger(RawBlockBackend.class.getName()).log(System.Logger.Level.ERROR,
                    PID + " " + id + ": flushing " + file + " on close failed", e);
        }
        closeQuietly();
    }

    private void closeQuietly() {
        activation.writeLock().lock();
        try {
            release(lock, channel);
            lock = null;
            active = false;
        } finally {
            activation.writeLock().unlock();
        }
    }

    private static void release(FileLock lock, FileChannel channel) {
        try {
            if (lock != null && lock.isValid()) {
                lock.release();
            }
        } catch (IOException e) {
            // closing the channel below releases the lock anyway
        }
        try {
            channel.close();
        } catch (IOException e) {
            // nothing left to do for a file being let go
        }
    }

    private static String required(String property, String value) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(PID + ": configuration property '" + property + "' is missing");
        }
        return value;
    }

    private static Path path(RawBlockConfig config) {
        String file = required("file", config.file());
        Path p;
        try {
            p = Path.of(file);
        } catch (InvalidPathException e) {
            throw new IllegalArgumentException(PID + " " + config.id() + ": file '" + file + "' is not a valid path", e);
        }
        if (!p.isAbsolute()) {
            throw new IllegalArgumentException(PID + " " + config.id() + ": file '" + file + "' must be an absolute path");
        }
        return p;
    }

    /** {@code value} as a flag: {@code yes} means true, {@code no} false, absent the default. */
    private static boolean flag(String id, String property, String value, String yes, String no, boolean absent) {
        if (value == null || value.isBlank()) {
            return absent;
        }
        String v = value.trim().toLowerCase(Locale.ROOT);
        if (v.equals(yes) || v.equals("on")) {
            return true;
        }
        if (v.equals(no) || v.equals("off")) {
            return false;
        }
        throw new IllegalArgumentException(PID + " " + id + ": " + property + "='" + value + "' must be " + yes + " or " + no);
    }
}
