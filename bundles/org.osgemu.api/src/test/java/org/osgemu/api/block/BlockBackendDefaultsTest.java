package org.osgemu.api.block;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

/** A backend that holds no lock: always active, and inactivating it only flushes. */
class BlockBackendDefaultsTest {

    private final List<String> calls = new ArrayList<>();

    private final BlockBackend backend = new BlockBackend() {
        @Override public String id() { return "hd0"; }
        @Override public long size() { return 512; }
        @Override public boolean isReadOnly() { return false; }
        @Override public boolean supportsDiscard() { return false; }
        @Override public void read(long offset, ByteBuffer dst) { }
        @Override public void write(long offset, ByteBuffer src) { }
        @Override public void flush() { calls.add("flush"); }
        @Override public void discard(long offset, long length) { }
        @Override public void writeZeroes(long offset, long length, boolean mayUnmap) { }
    };

    @Test
    void inactivatingFlushesAndTheImageStaysActive() throws IOException {
        backend.inactivateImage();

        assertEquals(List.of("flush"), calls);
        assertTrue(backend.isImageActive());
    }

    @Test
    void activatingALocklessBackendDoesNothing() throws IOException {
        backend.activateImage();

        assertEquals(List.of(), calls);
        assertTrue(backend.isImageActive());
    }
}
