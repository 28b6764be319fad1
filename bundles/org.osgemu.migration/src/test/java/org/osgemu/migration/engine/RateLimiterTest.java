package org.osgemu.migration.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

/** The bandwidth limit in 100 ms windows, and the bandwidth it measures, on a hand-driven clock. */
class RateLimiterTest {

    private long now = 1_000_000_000L;
    private long maxBandwidth = 10_000_000; // 10 MB/s: 1 MB per window

    private final RateLimiter limiter = new RateLimiter(() -> maxBandwidth, () -> now);

    @Test
    void aWindowTakesATenthOfTheBandwidthThenTheNextWindowBegins() {
        assertFalse(limiter.exceeded(999_999));
        assertTrue(limiter.exceeded(1_000_000));
        assertEquals(TimeUnit.MILLISECONDS.toNanos(100), limiter.untilWindowEnd());

        advanceMillis(100);
        assertFalse(limiter.exceeded(1_000_000), "a new window, a new budget");
        assertTrue(limiter.exceeded(2_000_000));
        assertEquals(10_000_000, limiter.bandwidth(), 1, "1 MB in 100 ms");
    }

    @Test
    void whatAChunkSentBeyondTheBudgetCountsAgainstTheNextWindow() {
        assertTrue(limiter.exceeded(1_400_000)); // a big chunk went over by 400 kB
        advanceMillis(100);
        assertFalse(limiter.exceeded(1_900_000));
        assertTrue(limiter.exceeded(2_000_000), "600 kB left in the second window, not 1 MB");
    }

    @Test
    void idleTimeDoesNotMakeTheLinkLookSlow() {
        limiter.exceeded(0);
        limiter.idle(TimeUnit.MILLISECONDS.toNanos(90)); // nothing to send for 90 ms, then 100 kB in 10 ms
        advanceMillis(100);
        assertTrue(limiter.roll(100_000));
        assertEquals(10_000_000, limiter.bandwidth(), 1);
    }

    @Test
    void aNewLimitAppliesFromTheNextWindowAndZeroMeansNone() {
        maxBandwidth = 0;
        assertTrue(limiter.exceeded(1_000_000), "the window that began keeps its budget");
        advanceMillis(100);
        assertFalse(limiter.exceeded(1_000_000));
        assertFalse(limiter.exceeded(1L << 40), "no limit");
        maxBandwidth = 20_000_000;
        advanceMillis(100);
        assertFalse(limiter.exceeded(1L << 40), "what the unlimited window sent is not carried over");
        assertFalse(limiter.exceeded((1L << 40) + 1_999_999));
        assertTrue(limiter.exceeded((1L << 40) + 2_000_000));
    }

    private void advanceMillis(long millis) {
        now += TimeUnit.MILLISECONDS.toNanos(millis);
    }
}
