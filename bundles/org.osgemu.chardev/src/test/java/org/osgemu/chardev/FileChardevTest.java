package org.osgemu.chardev;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileChardevTest {

    @TempDir
    Path dir;

    @Test
    void outputIsAppendedAcrossInstances() throws IOException {
        Path log = dir.resolve("serial.log");
        FileChardev first = new FileChardev("s", log);
        first.write("one\n".getBytes(StandardCharsets.US_ASCII), 0, 4);
        first.close();
        FileChardev second = new FileChardev("s", log);
        second.write("xtwo\n".getBytes(StandardCharsets.US_ASCII), 1, 4);
        second.close();
        assertEquals("one\ntwo\n", Files.readString(log));
    }

    @Test
    void aFileThatCannotBeOpenedIsNamedInTheError() {
        Path missing = dir.resolve("no-such-dir").resolve("serial.log");
        UncheckedIOException e = assertThrows(UncheckedIOException.class, () -> new FileChardev("s0", missing));
        assertTrue(e.getMessage().contains(missing.toString()) && e.getMessage().contains("s0"), e.getMessage());
    }

    @Test
    void pathIsRequired() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new FileChardev(new FileChardev.Config() {
            @Override public Class<? extends java.lang.annotation.Annotation> annotationType() { return FileChardev.Config.class; }
            @Override public String id() { return "s"; }
            @Override public String path() { return null; }
        }));
        assertTrue(e.getMessage().contains(FileChardev.PID) && e.getMessage().contains("'path'"), e.getMessage());
    }

    @Test
    void writesAfterCloseAreDroppedNotThrown() {
        FileChardev chardev = new FileChardev("s", dir.resolve("closed.log"));
        chardev.close();
        chardev.write(new byte[] {1, 2}, 0, 2);
        chardev.write(new byte[] {3}, 0, 1);
    }
}
