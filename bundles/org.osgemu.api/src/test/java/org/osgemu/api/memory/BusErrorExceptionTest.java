package org.osgemu.api.memory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** What a bus error tells the CPU and a person. */
class BusErrorExceptionTest {

    @Test
    void theMessageSaysWhatWhereAndWhy() {
        BusErrorException read = new BusErrorException(0x1000_0000L, 4, false, "unassigned address");
        BusErrorException write = new BusErrorException(-8L, 8, true, "ROM");

        assertEquals("bus error: read of 4 byte(s) at 0x10000000: unassigned address", read.getMessage());
        assertEquals("bus error: write of 8 byte(s) at 0xfffffffffffffff8: ROM", write.getMessage());
    }

    @Test
    void theAccessIsKept() {
        BusErrorException e = new BusErrorException(0x42, 2, true, "x");

        assertEquals(0x42, e.address());
        assertEquals(2, e.size());
        assertTrue(e.isWrite());
    }

    @Test
    void noStackTraceIsRecordedSinceFirmwareProbesRaiseMany() {
        BusErrorException e = new BusErrorException(0, 1, false, "x");

        assertEquals(0, e.getStackTrace().length);
        assertNull(e.getCause());
    }
}
