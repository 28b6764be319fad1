package org.osgemu.device.clint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class TimebaseTest {

    private final Timebase tenMegahertz = new Timebase(10_000_000L);

    @Test
    void countsTicksRoundingDown() {
        assertEquals(0, tenMegahertz.ticksAt(99));
        assertEquals(1, tenMegahertz.ticksAt(100));
        assertEquals(10_000_000L, tenMegahertz.ticksAt(1_000_000_000L));
    }

    @Test
    void theDeadlineOfATickIsTheFirstNanosecondThatCountsIt() {
        Timebase odd = new Timebase(3);
        long at = odd.nanosAt(1);
        assertEquals(333_333_334L, at);
        assertEquals(1, odd.ticksAt(at));
        assertEquals(0, odd.ticksAt(at - 1));
    }

    @Test
    void doesNotOverflowNearTheEndOfTime() {
        assertEquals(Long.MAX_VALUE / 1_000_000_000L * 10_000_000L + 8_547_758L, tenMegahertz.ticksAt(Long.MAX_VALUE));
        assertEquals(-1, tenMegahertz.nanosAt(Long.MAX_VALUE));
        assertEquals(-1, tenMegahertz.nanosAt(-1L)); // 2^64 - 1 unsigned
    }

    @Test
    void refusesFrequenciesItCannotConvert() {
        assertThrows(IllegalArgumentException.class, () -> new Timebase(0));
        assertThrows(IllegalArgumentException.class, () -> new Timebase(2_000_000_000L));
    }
}
