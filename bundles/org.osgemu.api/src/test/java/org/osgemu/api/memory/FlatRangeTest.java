package org.osgemu.api.memory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Address arithmetic of a flat range, unsigned up to the top of the 64-bit space. */
class FlatRangeTest {

    private static final MemoryRegion RAM = MemoryRegion.container("ram", 0x1000);

    @Test
    void aRangeContainsItsFirstAndLastAddressOnly() {
        FlatRange r = new FlatRange(0x8000_0000L, 0x1000, RAM, 0, false);

        assertEquals(0x8000_0FFFL, r.end());
        assertTrue(r.contains(0x8000_0000L));
        assertTrue(r.contains(0x8000_0FFFL));
        assertFalse(r.contains(0x7FFF_FFFFL));
        assertFalse(r.contains(0x8000_1000L));
    }

    @Test
    void addressesAboveTheSignedRangeCompareUnsigned() {
        FlatRange top = new FlatRange(0xFFFF_FFFF_FFFF_F000L, 0x1000, RAM, 0, false);

        assertEquals(-1L, top.end());
        assertTrue(top.contains(-1L));
        assertTrue(top.contains(0xFFFF_FFFF_FFFF_F000L));
        assertFalse(top.contains(0x10L));
        assertFalse(new FlatRange(0, 0x1000, RAM, 0, false).contains(0xFFFF_FFFF_FFFF_F000L));
    }
}
