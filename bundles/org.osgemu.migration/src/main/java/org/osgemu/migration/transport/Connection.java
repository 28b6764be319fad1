package org.osgemu.migration.transport;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.ByteChannel;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.util.Objects;

/**
 * One migration connection: the stream's direction (source to destination) and, on a socket, the
 * return path in the other direction. The reading and the writing side are used by different
 * threads at once, so the channels handed out here go straight to the socket's own read and
 * write, never through a lock the two would share. {@link #close()} from any thread ends a
 * blocked read or write (that is how a migration is cancelled).
 */
public final class Connection implements Closeable {

    /** What to do when the stream was written completely (a file is moved into place). */
    @FunctionalInterface
    public interface Commit {
        void run() throws IOException;
    }

    private final ByteChannel channel;
    private final boolean returnPath;
    private final String description;
    private final Commit commit;
    private final Runnable onClose;

    private Connection(ByteChannel channel, boolean returnPath, String description, Commit commit, Runnable onClose) {
        this.channel = Objects.requireNonNull(channel, "channel");
        this.returnPath = returnPath;
        this.description = description;
        this.commit = commit;
        this.onClose = onClose;
    }

    /** A socket: both directions. */
    static Connection socket(ByteChannel channel, String description) {
        return new Connection(channel, true, description, () -> { }, () -> { });
    }

    /**
     * A caller's channel to write a stream into (a snapshot to a channel): no return path, and
     * closing the connection leaves the channel open, for the caller to close.
     */
    public static Connection writingTo(WritableByteChannel target, String description) {
        ByteChannel channel = new ByteChannel() {
            private volatile boolean open = true;

            @Override
            public int read(ByteBuffer dst) {
                throw new UnsupportedOperationException(description + " is written, not read");
            }

            @Override
            public int write(ByteBuffer src) throws IOException {
                if (!open) {
                    throw new java.nio.channels.ClosedChannelException();
                }
                return target.write(src);
            }

            @Override
            public boolean isOpen() {
                return open;
            }

            @Override
            public void close() {
                open = false;
            }
        };
        return oneWay(channel, description, () -> { }, () -> { });
    }

    /** A file or any one-way channel: no return path; {@code commit} runs after a complete stream, {@code onClose} always. */
    static Connection oneWay(ByteChannel channel, String description, Commit commit, Runnable onClose) {
        return new Connection(channel, false, description, commit, onClose);
    }

    /** Whether a return path can run over this connection. */
    public boolean hasReturnPath() {
        return returnPath;
    }

    /** The stream's bytes as they arrive (destination). */
    public ReadableByteChannel input() {
        return new ReadableByteChannel() {
            @Override public int read(ByteBuffer dst) throws IOException { return channel.read(dst); }
            @Override public boolean isOpen() { return channel.isOpen(); }
            @Override public void close() throws IOException { channel.close(); }
        };
    }

    /** Where the stream goes (source). */
    public WritableByteChannel output() {
        return new WritableByteChannel() {
            @Override public int write(ByteBuffer src) throws IOException { return channel.write(src); }
            @Override public boolean isOpen() { return channel.isOpen(); }
            @Override public void close() throws IOException { channel.close(); }
        };
    }

    /** The return path as the source reads it. */
    public InputStream returnPathInput() {
        requireReturnPath();
        return new InputStream() {
            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                if (len == 0) {
                    return 0;
                }
                int n;
                do {
                    n = channel.read(ByteBuffer.wrap(b, off, len));
                } while (n == 0);
                return n;
            }
        };
    }

    /** The return path as the destination writes it. */
    public OutputStream returnPathOutput() {
        requireReturnPath();
        return new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                ByteBuffer buffer = ByteBuffer.wrap(b, off, len);
                while (buffer.hasRemaining()) {
                    channel.write(buffer);
                }
            }
        };
    }

    private void requireReturnPath() {
        if (!returnPath) {
            throw new IllegalStateException(description + " has no return path");
        }
    }

    /** The stream was written completely: a file goes into place. */
    public void commit() throws IOException {
        commit.run();
    }

    /** Ends the connection; a read or write blocked on it ends too. Idempotent. */
    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException ignored) {
            // nothing more to do with a connection that cannot even close
        } finally {
            onClose.run();
        }
    }

    @Override
    public String toString() {
        return description;
    }
}
