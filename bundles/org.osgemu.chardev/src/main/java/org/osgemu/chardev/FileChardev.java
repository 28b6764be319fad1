package org.osgemu.chardev;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Objects;

import org.osgemu.api.chardev.Chardev;
import org.osgemu.api.chardev.ChardevReceiver;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;

/**
 * The {@code file} backend ({@code -chardev file,path=}): output is appended to a file, which is
 * created when missing and closed when the backend goes away. There is no input.
 */
@Component(immediate = true, service = Chardev.class, configurationPid = FileChardev.PID, configurationPolicy = ConfigurationPolicy.REQUIRE)
public final class FileChardev implements Chardev {

    /** Factory PID of the configurations. */
    public static final String PID = "osgemu.chardev.file";

    private static final System.Logger LOG = System.getLogger(FileChardev.class.getName());

    /** Configuration of a {@code file} backend. */
    public @interface Config {
        /** Backend id ({@code -chardev file,id=}); required. */
        String id();

        /** File the output is appended to; required. */
        String path();
    }

    private final String id;
    private final Path path;
    private final FileChannel channel;
    private boolean failed; // guarded by this: a write failed once (reported once, then output is dropped)

    @Activate
    public FileChardev(Config config) {
        this(Configs.required(PID, "id", config.id()), toPath(config));
    }

    FileChardev(String id, Path path) {
        this.id = Objects.requireNonNull(id, "id");
        this.path = path;
        try {
            this.channel = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(PID + " " + id + ": cannot open " + path + " for appending: " + e, e);
        }
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public String backend() {
        return "file";
    }

    @Override
    public synchronized void write(byte[] data, int offset, int length) {
        if (failed) {
            return;
        }
        ByteBuffer buffer = ByteBuffer.wrap(data, offset, length);
        try {
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
        } catch (IOException e) {
            // A full disk must not stop the guest: say it once, then drop output.
            failed = true;
            LOG.log(System.Logger.Level.WARNING, PID + " " + id + ": writing " + path + " failed, output is dropped from now on", e);
        }
    }

    @Override
    public void setReceiver(ChardevReceiver receiver) {
        // a file gives no input
    }

    /** Closes the file. */
    @Deactivate
    public synchronized void close() {
        try {
            channel.close();
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, PID + " " + id + ": closing " + path + " failed", e);
        }
    }

    private static Path toPath(Config config) {
        String path = Configs.required(PID, "path", config.path());
        try {
            return Path.of(path);
        } catch (InvalidPathException e) {
            throw new IllegalArgumentException(PID + " " + config.id() + ": path '" + path + "' is not a valid path: "
                    + e.getMessage(), e);
        }
    }
}
