package org.osgemu.migration;

import static org.junit.jupiter.api.Assertions.fail;

import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** Waiting in tests for something that happens on another thread. */
final class Await {

    private Await() {
    }

    /** Waits up to {@code seconds} until {@code condition}; fails naming {@code what} and {@code state}. */
    static void until(String what, long seconds, BooleanSupplier condition, Supplier<String> state) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                fail("timed out after " + seconds + " s waiting for " + what + "; " + state.get());
            }
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                fail("interrupted waiting for " + what);
            }
        }
    }

    static void until(String what, long seconds, BooleanSupplier condition) {
        until(what, seconds, condition, () -> "");
    }
}
