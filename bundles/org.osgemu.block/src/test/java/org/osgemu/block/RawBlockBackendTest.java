package org.osgemu.block;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.annotation.Annotation;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RawBlockBackendTest {

    @TempDir
    Path dir;

    private Path image(int size, int fill) throws IOException {
        byte[] b = new byte[size];
        Arrays.fill(b, (byte) fill);
        Path p = dir.resolve("disk.img");
        Files.write(p, b);
        return p;
    }

    private static RawBlockConfig config(String id, String file, String readonly, String discard) {
        return config(id, file, readonly, discard, null);
    }

    private static RawBlockConfig config(String id, String file, String readonly, String discard, String inactive) {
        return new RawBlockConfig() {
            @Override public Class<? extends Annotation> annotationType() { return RawBlockConfig.class; }
            @Override public String id() { return id; }
            @Override public String file() { return file; }
            @Override public String readonly() { return readonly; }
            @Override public String discard() { return discard; }
            @Override public String inactive() { return inactive; }
        };
    }

    @Test
    void writesReachTheFileAndReadsSeeThem() throws IOException {
        Path p = image(4096, 0);
        try (RawBlockBackend b = new RawBlockBackend(config("hd0", p.toString(), "false", "unmap"))) {
            assertEquals(4096, b.size());
            b.write(512, ByteBuffer.wrap("data".getBytes()));
            b.flush();
            assertEquals("data", new String(Files.readAllBytes(p), 512, 4));
            ByteBuffer dst = ByteBuffer.allocate(6);
            b.read(510, dst);
            assertArrayEquals(new byte[] {0, 0, 'd', 'a', 't', 'a'}, dst.array());
        }
    }

    @Test
    void dataWrittenWithoutAFlushIsInTheFileAfterClose() throws IOException {
        Path p = image(1024, 0);
        RawBlockBackend b = new RawBlockBackend("hd0", p, false, true);
        b.write(0, ByteBuffer.wrap(new byte[] {7, 7, 7}));
        b.close();
        assertEquals(7, Files.readAllBytes(p)[2]);
    }

    @Test
    void requestsOutsideTheImageAreRefusedAndChangeNothing() throws IOException {
        Path p = image(1024, 1);
        try (RawBlockBackend b = new RawBlockBackend("hd0", p, false, true)) {
            IOException e = assertThrows(IOException.class, () -> b.write(1020, ByteBuffer.allocate(8)));
            assertTrue(e.getMessage().contains("outside the 1024 bytes"), e.getMessage());
            assertThrows(IOException.class, () -> b.read(-1, ByteBuffer.allocate(1)));
            assertThrows(IOException.class, () -> b.writeZeroes(0, 2048, false));
        }
        assertEquals(1024, Files.size(p), "the image did not grow");
    }

    @Test
    void aReadOnlyImageRefusesEveryWrite() throws IOException {
        Path p = image(1024, 5);
        try (RawBlockBackend b = new RawBlockBackend(config("cd0", p.toString(), "true", null))) {
            assertTrue(b.isReadOnly());
            assertFalse(b.supportsDiscard());
            assertThrows(IOException.class, () -> b.write(0, ByteBuffer.allocate(1)));
            assertThrows(IOException.class, () -> b.discard(0, 512));
            assertThrows(IOException.class, () -> b.writeZeroes(0, 512, true));
            b.flush();
        }
        assertEquals(5, Files.readAllBytes(p)[0]);
    }

    @Test
    void writeZeroesAndDiscardZeroTheRange() throws IOException {
        Path p = image(3 << 20, 0x55);
        try (RawBlockBackend b = new RawBlockBackend("hd0", p, false, true)) {
            b.writeZeroes(100, (2 << 20) + 10, false);
            b.discard(3000000, 1000);
        }
        byte[] after = Files.readAllBytes(p);
        assertEquals(0x55, after[99]);
        assertEquals(0, after[100]);
        assertEquals(0, after[(2 << 20) + 109]);
        assertEquals(0x55, after[(2 << 20) + 110]);
        assertEquals(0, after[3000500]);
    }

    @Test
    void discardIgnoredLeavesTheData() throws IOException {
        Path p = image(1024, 3);
        try (RawBlockBackend b = new RawBlockBackend(config("hd0", p.toString(), "false", "ignore"))) {
            assertFalse(b.supportsDiscard());
            b.discard(0, 512);
        }
        assertEquals(3, Files.readAllBytes(p)[0]);
    }

    @Test
    void aSecondWriterOfTheSameImageIsRefused() throws IOException {
        Path p = image(1024, 0);
        try (RawBlockBackend first = new RawBlockBackend("hd0", p, false, true)) {
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> new RawBlockBackend("hd1", p, false, true));
            assertTrue(e.getMessage().contains("hd1") && e.getMessage().contains("locked"), e.getMessage());
        }
        new RawBlockBackend("hd1", p, false, true).close(); // free again once the first is closed
    }

    @Test
    void anImageOpenedInactiveReadsButRefusesWritesUntilActivated() throws IOException {
        Path p = image(1024, 9);
        try (RawBlockBackend b = new RawBlockBackend(config("hd0", p.toString(), "false", "unmap", "true"))) {
            assertFalse(b.isImageActive());
            ByteBuffer dst = ByteBuffer.allocate(2);
            b.read(0, dst);
            assertArrayEquals(new byte[] {9, 9}, dst.array());
            IOException e = assertThrows(IOException.class, () -> b.write(0, ByteBuffer.wrap(new byte[] {1})));
            assertTrue(e.getMessage().contains("hd0") && e.getMessage().contains("inactive"), e.getMessage());
            assertThrows(IOException.class, () -> b.writeZeroes(0, 512, false));
            assertThrows(IOException.class, () -> b.discard(0, 512));
            assertEquals(9, Files.readAllBytes(p)[0], "nothing was written");

            b.activateImage();
            assertTrue(b.isImageActive());
            b.write(0, ByteBuffer.wrap(new byte[] {1}));
        }
        assertEquals(1, Files.readAllBytes(p)[0]);
    }

    @Test
    void anInactivatedImageRefusesWritesAndAnotherWriterMayTakeItOver() throws IOException {
        Path p = image(1024, 0);
        try (RawBlockBackend source = new RawBlockBackend("hd0", p, false, true);
             RawBlockBackend destination = new RawBlockBackend(config("hd0", p.toString(), "false", "unmap", "true"))) {
            IOException locked = assertThrows(IOException.class, destination::activateImage);
            assertTrue(locked.getMessage().contains("hd0") && locked.getMessage().contains(p.toString())
                    && locked.getMessage().contains("locked"), locked.getMessage());
            assertFalse(destination.isImageActive(), "a failed activation leaves the drive inactive");

            source.write(0, ByteBuffer.wrap(new byte[] {4, 2}));
            source.inactivateImage();
            assertFalse(source.isImageActive());
            assertThrows(IOException.class, () -> source.write(0, ByteBuffer.allocate(1)));

            destination.activateImage();
            ByteBuffer seen = ByteBuffer.allocate(2);
            destination.read(0, seen);
            assertArrayEquals(new byte[] {4, 2}, seen.array(), "what the source wrote before it let go");
            destination.write(2, ByteBuffer.wrap(new byte[] {7}));
            assertThrows(IOException.class, source::activateImage, "the destination holds the image now");

            destination.inactivateImage();
            source.activateImage(); // a failed migration: the source takes its image back
            source.write(3, ByteBuffer.wrap(new byte[] {8}));
        }
        byte[] after = Files.readAllBytes(p);
        assertArrayEquals(new byte[] {4, 2, 7, 8}, Arrays.copyOf(after, 4));
    }

    @Test
    void activationTwiceAndInactivationTwiceAreHarmless() throws IOException {
        Path p = image(1024, 0);
        try (RawBlockBackend b = new RawBlockBackend("hd0", p, false, true)) {
            b.activateImage();
            b.inactivateImage();
            b.inactivateImage();
            new RawBlockBackend("hd1", p, false, true).close(); // the lock is free while inactive
            b.activateImage();
            b.activateImage();
            assertThrows(IllegalStateException.class, () -> new RawBlockBackend("hd1", p, false, true));
        }
    }

    @Test
    void badConfigurationsNameThePropertyAndValue() throws IOException {
        Path p = image(512, 0);
        assertMessage("'file' is missing", () -> new RawBlockBackend(config("hd0", null, "false", "unmap")));
        assertMessage("must be an absolute path", () -> new RawBlockBackend(config("hd0", "disk.img", "false", "unmap")));
        assertMessage("readonly='maybe' must be true or false", () -> new RawBlockBackend(config("hd0", p.toString(), "maybe", "unmap")));
        assertMessage("discard='trim' must be unmap or ignore", () -> new RawBlockBackend(config("hd0", p.toString(), "false", "trim")));
        assertMessage("inactive='soon' must be true or false",
                () -> new RawBlockBackend(config("hd0", p.toString(), "false", "unmap", "soon")));
        assertMessage("cannot open " + dir.resolve("none.img"), () -> new RawBlockBackend(config("hd0", dir.resolve("none.img").toString(), "false", null)));
    }

    private static void assertMessage(String expected, org.junit.jupiter.api.function.Executable action) {
        RuntimeException e = assertThrows(RuntimeException.class, action);
        assertTrue(e.getMessage().contains(expected), e.getMessage() + " should say " + expected);
        assertTrue(e.getMessage().startsWith("osgemu.block.raw"), e.getMessage());
    }
}
