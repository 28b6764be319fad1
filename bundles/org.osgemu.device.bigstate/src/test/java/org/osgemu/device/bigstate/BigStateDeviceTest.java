package org.osgemu.device.bigstate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.osgemu.api.device.DevicePlacement;
import org.osgemu.testkit.FakeDeviceContext;

/** The bigstate device as the guest sees it: its memory through the registers, its index, its own changes. */
class BigStateDeviceTest {

    private final BigStateDevice device = new BigStateDevice("big0", 1 << 20, 400 << 10, 2);
    private final FakeDeviceContext context = new FakeDeviceContext(new DevicePlacement(0x102000, 0x1000, List.of(), 1));

    BigStateDeviceTest() {
        device.realize(context);
    }

    @AfterEach
    void close() {
        device.close();
    }

    @Test
    void itIntroducesItselfAndItsMemoryIsIndexed() {
        assertEquals(BigStateRegisters.MAGIC_VALUE, read(BigStateRegisters.MAGIC, 4));
        assertEquals(256, read(BigStateRegisters.BLOCKS, 4));
        assertEquals(4096, read(BigStateRegisters.BLOCK_SIZE, 4));
        for (int block = 0; block < 256; block += 51) {
            write(BigStateRegisters.BLOCK, block, 4);
            assertEquals(1, read(BigStateRegisters.VERIFY, 4), "block " + block);
        }
    }

    @Test
    void aWordTheGuestWritesIsReadBackAndTheBlockIsReindexedAndFoundByItsHash() {
        write(BigStateRegisters.BLOCK, 7, 4);
        write(BigStateRegisters.WORD, 3, 4);
        long before = read(BigStateRegisters.HASH, 8);
        write(BigStateRegisters.DATA, 0x1234_5678_9ABC_DEF0L, 8);

        assertEquals(0x1234_5678_9ABC_DEF0L, read(BigStateRegisters.DATA, 8));
        long after = read(BigStateRegisters.HASH, 8);
        assertNotEquals(before, after);
        assertEquals(1, read(BigStateRegisters.VERIFY, 4));
        write(BigStateRegisters.LOOKUP, after, 8);
        assertEquals(7, read(BigStateRegisters.FOUND, 4));
        write(BigStateRegisters.LOOKUP, before, 8);
        assertEquals(0xFFFF_FFFFL, read(BigStateRegisters.FOUND, 4), "the old contents are nowhere now");
    }

    @Test
    void aBlockBeyondTheMemoryIsAGuestErrorAndIsNotSelected() {
        write(BigStateRegisters.BLOCK, 256, 4);
        assertEquals(0, read(BigStateRegisters.BLOCK, 4));
        assertEquals(List.of("bigstate big0: BLOCK 256 is beyond its 256 blocks; kept at 0"), context.guestErrors);
    }

    @Test
    void whileGuestTimePassesItRewritesBlocksAtItsDirtyRateAndKeepsItsIndexRight() {
        context.virtualClock.advanceBy(TimeUnit.SECONDS.toNanos(1));
        long generation = read(BigStateRegisters.GENERATION, 4);
        assertTrue(generation >= 95 && generation <= 100, "400 KiB/s of 4 KiB blocks: about 100 a second, got " + generation);
        for (int block = 0; block < 256; block++) {
            write(BigStateRegisters.BLOCK, block, 4);
            assertEquals(1, read(BigStateRegisters.VERIFY, 4), "block " + block);
        }
        write(BigStateRegisters.DIRTY_RATE, 0, 4);
        context.virtualClock.advanceBy(TimeUnit.SECONDS.toNanos(1));
        assertEquals(generation, read(BigStateRegisters.GENERATION, 4), "a dirty rate of 0 stops it");
    }

    @Test
    void badSizesAndRoundsAreRefusedNamingTheDeviceAndTheValue() {
        assertEquals("bigstate b: size must be a multiple of 4 KiB up to 1 GiB, not 1000",
                assertThrows(IllegalArgumentException.class, () -> new BigStateDevice("b", 1000, 0, 1)).getMessage());
        assertEquals("bigstate b: index-rounds must be 1..4096, not 0",
                assertThrows(IllegalArgumentException.class, () -> new BigStateDevice("b", 4096, 0, 0)).getMessage());
        assertEquals("osgemu.device.bigstate: size=64Q is not a size (e.g. 64M)",
                assertThrows(IllegalArgumentException.class, () -> BigStateComponent.size("size", "64Q", "64M")).getMessage());
        assertEquals(64L << 20, BigStateComponent.size("size", null, "64M"));
    }

    private long read(int offset, int size) {
        return device.region().handler().read(offset, size);
    }

    private void write(int offset, long value, int size) {
        device.region().handler().write(offset, value, size);
    }
}
