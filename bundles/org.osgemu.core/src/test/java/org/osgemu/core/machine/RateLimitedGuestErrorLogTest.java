package org.osgemu.core.machine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

class RateLimitedGuestErrorLogTest {

    private static final long SECOND = 1_000_000_000L;

    private final List<String> lines = new ArrayList<>();
    private final AtomicLong now = new AtomicLong(5 * SECOND);
    private final RateLimitedGuestErrorLog log = new RateLimitedGuestErrorLog("uart0", lines::add, now::get, 3, SECOND);

    @Test
    void linesNameTheSourceAndFormatTheMessage() {
        log.guestError("write to reserved register at 0x%x", 0x1c);

        assertEquals(List.of("guest error: uart0: write to reserved register at 0x1c"), lines);
    }

    @Test
    void aFloodIsCutAfterTheLimitAndReportedAsOneLineLater() {
        for (int i = 0; i < 10; i++) {
            log.guestError("bad access %d", i);
        }
        assertEquals(3, lines.size());

        now.addAndGet(SECOND);
        log.guestError("bad access %d", 10);

        assertEquals(List.of("guest error: uart0: bad access 0", "guest error: uart0: bad access 1",
                "guest error: uart0: bad access 2", "guest error: uart0: ... 7 more suppressed",
                "guest error: uart0: bad access 10"), lines);
    }

    @Test
    void aBrokenPatternIsLoggedRawInsteadOfThrown() {
        log.guestError("value %d", "not a number");

        assertEquals(List.of("guest error: uart0: value %d [not a number]"), lines);
    }
}
