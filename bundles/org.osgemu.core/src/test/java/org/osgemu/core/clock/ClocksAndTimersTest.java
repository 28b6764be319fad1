package org.osgemu.core.clock;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.osgemu.api.clock.Clock;
import org.osgemu.api.clock.ClockType;
import org.osgemu.api.clock.Timer;

class ClocksAndTimersTest {

    private static final long MS = 1_000_000L;

    private final MachineClocks clocks = new MachineClocks("test-timers");

    @AfterEach
    void endTimerThread() {
        clocks.close();
    }

    @Test
    void virtualTimeStopsExactlyWhilePausedAndResumesFromTheSameValue() {
        AtomicLong host = new AtomicLong(1_000);
        TimerScheduler scheduler = new TimerScheduler("fake-host-timers");
        try {
            VirtualClock clock = new VirtualClock(scheduler, host::get);
            assertEquals(0, clock.nanos(), "starts stopped at 0");
            host.set(2_000);
            assertEquals(0, clock.nanos());

            clock.start();
            host.addAndGet(500);
            assertEquals(500, clock.nanos());

            clock.stop();
            host.addAndGet(1_000_000);
            assertEquals(500, clock.nanos());

            clock.start();
            assertEquals(500, clock.nanos());
            host.addAndGet(100);
            assertEquals(600, clock.nanos());
        } finally {
            scheduler.close();
        }
    }

    @Test
    void hostAndRealtimeClocksRunWithoutTheMachine() throws InterruptedException {
        Clock host = clocks.clock(ClockType.HOST);
        Clock realtime = clocks.clock(ClockType.REALTIME);
        long hostBefore = host.nanos();
        long realtimeBefore = realtime.nanos();
        Thread.sleep(5);

        assertTrue(Math.abs(host.nanos() / MS - System.currentTimeMillis()) < 1_000, "host is wall-clock time");
        assertTrue(host.nanos() > hostBefore);
        assertTrue(realtime.nanos() - realtimeBefore >= 5 * MS);
        assertEquals(0, clocks.clock(ClockType.VIRTUAL).nanos(), "virtual time waits for the machine to run");
    }

    @Test
    void timersFireInDeadlineOrderOnTheTimerThread() throws InterruptedException {
        Clock realtime = clocks.clock(ClockType.REALTIME);
        List<String> fired = new CopyOnWriteArrayList<>();
        CountDownLatch both = new CountDownLatch(2);
        Timer late = realtime.newTimer("late", () -> { fired.add("late@" + Thread.currentThread().getName()); both.countDown(); });
        Timer early = realtime.newTimer("early", () -> { fired.add("early@" + Thread.currentThread().getName()); both.countDown(); });

        long now = realtime.nanos();
        late.modNanos(now + 40 * MS);
        early.modNanos(now + 10 * MS);
        assertTrue(early.isPending());
        assertEquals(now + 10 * MS, early.deadlineNanos());

        assertTrue(both.await(5, TimeUnit.SECONDS));
        assertEquals(List.of("early@test-timers", "late@test-timers"), fired);
        assertFalse(early.isPending());
        assertEquals(-1, early.deadlineNanos());
        assertTrue(realtime.nanos() >= now + 40 * MS, "not before its deadline");
    }

    @Test
    void armingAnEarlierTimerWakesTheSchedulerFromALongSleep() throws InterruptedException {
        Clock realtime = clocks.clock(ClockType.REALTIME);
        CountDownLatch fired = new CountDownLatch(1);
        realtime.newTimer("far", () -> { }).modNanos(realtime.nanos() + 60_000 * MS);
        Thread.sleep(20); // let the scheduler go to sleep on the far deadline

        realtime.newTimer("near", fired::countDown).modNanos(realtime.nanos() + 5 * MS);

        assertTrue(fired.await(2, TimeUnit.SECONDS));
    }

    @Test
    void virtualTimersWaitWhileTheClockIsStoppedAndFireAfterItStarts() throws InterruptedException {
        VirtualClock virtual = clocks.virtual();
        CountDownLatch fired = new CountDownLatch(1);
        Timer timer = virtual.newTimer("guest-timer", fired::countDown);
        virtual.start();
        timer.modNanos(virtual.nanos() + 20 * MS);
        virtual.stop();

        assertFalse(fired.await(150, TimeUnit.MILLISECONDS), "fired while the machine was paused");
        assertTrue(timer.isPending());

        virtual.start();
        assertTrue(fired.await(5, TimeUnit.SECONDS));
    }

    @Test
    void virtualTimerAlreadyDueDoesNotFireWhileStopped() throws InterruptedException {
        CountDownLatch fired = new CountDownLatch(1);
        clocks.virtual().newTimer("overdue", fired::countDown).modNanos(-1);

        assertFalse(fired.await(100, TimeUnit.MILLISECONDS));
        clocks.virtual().start();
        assertTrue(fired.await(5, TimeUnit.SECONDS));
    }

    @Test
    void callbackMayRearmItsOwnTimer() throws InterruptedException {
        Clock realtime = clocks.clock(ClockType.REALTIME);
        AtomicInteger ticks = new AtomicInteger();
        CountDownLatch three = new CountDownLatch(3);
        Timer[] periodic = new Timer[1];
        periodic[0] = realtime.newTimer("periodic", () -> {
            three.countDown();
            if (ticks.incrementAndGet() < 3) {
                periodic[0].modNanos(realtime.nanos() + MS);
            }
        });
        periodic[0].modNanos(realtime.nanos() + MS);

        assertTrue(three.await(5, TimeUnit.SECONDS));
        Thread.sleep(20);
        assertEquals(3, ticks.get());
    }

    @Test
    void cancelledTimerDoesNotFireAndFreedTimerCannotBeArmed() throws InterruptedException {
        Clock realtime = clocks.clock(ClockType.REALTIME);
        CountDownLatch fired = new CountDownLatch(1);
        Timer timer = realtime.newTimer("cancelled", fired::countDown);
        timer.modNanos(realtime.nanos() + 20 * MS);
        timer.cancel();

        assertFalse(timer.isPending());
        assertFalse(fired.await(100, TimeUnit.MILLISECONDS));

        timer.free();
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> timer.modNanos(0));
        assertTrue(e.getMessage().contains("cancelled"), e.getMessage());
    }

    @Test
    void aFailingCallbackDoesNotStopTheOthers() throws InterruptedException {
        Clock realtime = clocks.clock(ClockType.REALTIME);
        CountDownLatch fired = new CountDownLatch(1);
        realtime.newTimer("broken", () -> { throw new IllegalStateException("device bug"); }).modNanos(0);
        realtime.newTimer("healthy", fired::countDown).modNanos(realtime.nanos() + 5 * MS);

        assertTrue(fired.await(5, TimeUnit.SECONDS));
    }

    @Test
    void closingEndsTheTimerThread() {
        MachineClocks other = new MachineClocks("short-lived-timers");
        other.close();

        assertFalse(Thread.getAllStackTraces().keySet().stream()
                .anyMatch(t -> t.getName().equals("short-lived-timers")));
    }
}
