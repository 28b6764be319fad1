package org.osgemu.migration.service;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

import org.osgemu.api.migration.MigrationException;

/**
 * Snapshot files: written to a temporary file beside the target, forced to disk and moved over
 * the target only when complete, so a failed save never leaves a half stream where a good one
 * was (or where a later load would take it for one).
 */
final class SnapshotFiles {

    /** Writes into an open channel. */
    @FunctionalInterface
    interface ChannelWriter {
        void write(FileChannel channel) throws IOException, MigrationException;
    }

    private SnapshotFiles() {
    }

    static void writeWhole(Path target, ChannelWriter writer) throws MigrationException {
        Path absolute = target.toAbsolutePath();
        Path directory = absolute.getParent();
        Path temporary;
        try {
            temporary = Files.createTempFile(directory, "." + absolute.getFileName() + ".", ".part");
        } catch (IOException e) {
            throw new MigrationException("cannot write " + target + ": " + describe(e, directory), e);
        }
        boolean done = false;
        try {
            try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                writer.write(channel);
                channel.force(true);
            }
            moveOver(temporary, absolute);
            done = true;
        } catch (IOException e) {
            throw new MigrationException("cannot write " + target + ": " + describe(e, absolute), e);
        } finally {
            if (!done) {
                try {
                    Files.deleteIfExists(temporary);
                } catch (IOException ignored) {
                    // the temporary name starts with a dot and ends in .part: recognizable leftovers
                }
            }
        }
    }

    static FileChannel openForReading(Path source) throws MigrationException {
        try {
            return FileChannel.open(source, StandardOpenOption.READ);
        } catch (IOException e) {
            throw new MigrationException("cannot read " + source + ": " + describe(e, source), e);
        }
    }

    private static void moveOver(Path temporary, Path target) throws IOException {
        try {
            Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /** An I/O failure in words: Java's file exceptions carry only the path as their message. */
    static String describe(IOException e, Path path) {
        if (e instanceof NoSuchFileException) {
            return "no such file or directory (" + path + ")";
        }
        if (e instanceof AccessDeniedException) {
            return "permission denied (" + path + ")";
        }
        if (e instanceof FileSystemException f && f.getReason() != null) {
            return f.getReason() + " (" + path + ")";
        }
        return e.getMessage() == null ? e.toString() : e.getMessage();
    }
}
